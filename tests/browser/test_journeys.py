"""The journeys of issue 8 in Debian's Chromium on a 360x740 phone screen."""

from __future__ import annotations

import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import log_in, no_horizontal_scroll

PERIOD = "2026-S2"  # the open period of `flask seed-demo`


def _answer_page(page, value_index=3):
    """Tick one scale point on every unanswered item of the page; wait until each is saved."""
    items = page.locator("fieldset.item")
    for n in range(items.count()):
        item = items.nth(n)
        if item.locator("input:checked").count():
            continue
        item.locator("label.scale-point").nth(value_index).click()
        expect(item).to_have_attribute("data-save", "saved")


def choose_ten(page) -> None:
    """Tick boxes on a culture-map page until it holds ten."""
    boxes = page.locator("label.culture-choice")
    n = 0
    while page.locator('input[name="choice"]:checked').count() < 10:
        if not boxes.nth(n).locator("input").is_checked():
            boxes.nth(n).click()
        n += 1


def _fill_in_and_submit(page, server, words):
    page.goto(f"{server.url}/survey/{PERIOD}/page/1")
    for number in range(1, 5):
        _answer_page(page)
        assert no_horizontal_scroll(page)
        page.get_by_role("button", name=words["next"]).click()
        expect(page).to_have_url(re.compile(f"/page/{number + 1}$"))
    # Reload page 4: the clicks were saved on the server, not only in the page.
    page.goto(f"{server.url}/survey/{PERIOD}/page/4")
    expect(page.locator("fieldset.item").first.locator("input:checked")).to_have_count(1)
    for number in range(5, 8):
        page.goto(f"{server.url}/survey/{PERIOD}/page/{number}")
        _answer_page(page)
    for number in range(8, 11):  # the culture map: ten behaviours on each lens's page
        page.goto(f"{server.url}/survey/{PERIOD}/page/{number}")
        choose_ten(page)
        page.locator("button.go-next").click()
    expect(page).to_have_url(re.compile("/review$"))
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=words["send"]).click()
    expect(page).to_have_url(re.compile("/result$"))
    expect(page.locator("svg.chart")).to_be_visible()
    expect(page.locator("table").first).to_contain_text(words["value"])
    assert no_horizontal_scroll(page)


def _fresh_employee(server, role: str, password: str) -> None:
    """Someone on the open period's roster without a password yet: give them one."""
    nip = server.python(
        f"""
import sqlalchemy as sa
from surveyapp.models import Employee, RosterEntry, Period, Response
from surveyapp.services import accounts
period = db.session.scalar(sa.select(Period).where(Period.code == "{PERIOD}"))
on_roster = sa.select(RosterEntry.employee_id).where(RosterEntry.period_id == period.id)
started = sa.select(Response.employee_id).where(Response.period_id == period.id)
person = db.session.scalar(sa.select(Employee).where(
    Employee.id.in_(on_roster), Employee.id.not_in(started),
    Employee.password_hash.is_(None)).limit(1))
accounts.set_password(person, "{password}")
db.session.commit()
print(person.nip)
"""
    ).strip()
    server.accounts[role] = (nip, password)


def test_employee_fills_in_on_a_phone_reloads_finishes_and_sees_the_chart(phone, live_server):
    _fresh_employee(live_server, "indonesian", "Bahasa-Indonesia-2026")
    log_in(phone, live_server, "indonesian")
    _fill_in_and_submit(
        phone,
        live_server,
        {"next": "Berikutnya", "send": "Kirim jawaban saya", "value": "Berorientasi Pelayanan"},
    )


def test_the_same_journey_in_english(phone, live_server):
    _fresh_employee(live_server, "english", "Bahasa-Inggris-2026")
    log_in(phone, live_server, "english")
    phone.get_by_role("button", name="English").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    _fill_in_and_submit(
        phone,
        live_server,
        {"next": "Next", "send": "Send my answers", "value": "Service Oriented"},
    )


def _download_workbook(page, tmp_path):
    page.get_by_role("button", name=re.compile("Unduh laporan")).first.click()
    expect(page.locator("[data-job=done]")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target, load_workbook(target)


def test_hr_downloads_the_workbook_and_it_opens(browser, live_server, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    log_in(page, live_server, "hr")
    # The open period: a participation workbook, and the button says so.
    expect(page.get_by_role("button", name=re.compile("Unduh laporan partisipasi"))).to_be_visible()
    target, book = _download_workbook(page, tmp_path)
    assert target.name.startswith("laporan-berakhlak-2026-s2-")
    assert book.sheetnames == ["Ringkasan"]
    assert book["Ringkasan"]["A1"].value == "Laporan partisipasi (belum memuat hasil)"
    # The closed period: the results workbook.
    page.goto(live_server.url + "/hr/")
    options = page.locator("#period option")
    page.locator("#period").select_option(index=options.count() - 1)
    page.locator("form.inline-form button").click()
    target, book = _download_workbook(page, tmp_path)
    assert target.name.startswith("laporan-berakhlak-2026-s1-")
    assert book.sheetnames[:2] == ["Ringkasan Pimpinan", "Ringkasan"]
    assert "Butir" in book.sheetnames
    context.close()


def test_admin_edits_a_draft_publishes_it_and_opens_a_period(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    log_in(page, live_server, "admin")
    page.goto(live_server.url + "/admin/questions")
    page.get_by_role("link", name="v1").click()
    page.get_by_role("button", name="Draf baru dari versi ini").click()
    # v2 is the version with the culture map (migration 0009), and other tests of this live
    # server may have made drafts too: the new draft has the next number, v3 or later.
    expect(page.locator("h1")).to_contain_text(re.compile(r"v([3-9]|\d\d+)$"))
    draft = page.locator("h1").inner_text().strip()  # "Penilaian Mandiri BerAKHLAK v3"
    # One item at a time: open the first, change its text, save it.
    page.locator("a.item-open").first.click()
    page.locator("textarea").first.fill("Saya melayani masyarakat dengan sepenuh hati.")
    page.get_by_role("button", name="Simpan butir ini").click()
    expect(page.get_by_text("tersimpan.")).to_be_visible()
    page.get_by_role("button", name="Terbitkan versi ini").click()
    expect(page.get_by_text("Versi sudah diterbitkan")).to_be_visible()
    page.goto(live_server.url + "/admin/periods/new")
    page.get_by_label("Kode").fill("2027-S1")
    page.get_by_label("Nama").fill("Semester I 2027")
    # Only published versions are offered for a period.
    page.get_by_label("Versi kuesioner").select_option(label=draft)
    page.get_by_label("Dibuka").fill("2027-01-05T08:00")
    page.get_by_label("Batas waktu", exact=True).fill("2027-02-05T16:00")
    page.locator("input[name=units]").first.check()  # the top of the tree: the whole city
    page.get_by_role("button", name="Buat sebagai draf").click()
    expect(page.get_by_text("Periode sudah dibuat sebagai draf.")).to_be_visible()
    page.get_by_role("button", name="Buka periode").click()
    expect(page.get_by_text("Periode sudah dibuka")).to_be_visible()
    context.close()
