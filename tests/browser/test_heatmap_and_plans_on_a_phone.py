"""The heatmap and the action plan editor on a 360x740 phone, in Indonesian and English: the
page never scrolls sideways, the heatmap scrolls inside its own box with the unit column
staying in view, sorting and the difference toggle are plain links (they work without
JavaScript), and a plan can be made, refused with a clear message, and noted on a phone.

Writes one plan (for a unit the demo has no plan for) and a note on it; the demo's own plans
are left as they are for the other modules."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, no_horizontal_scroll
from tests.browser.pages import choose_language, resolve

NEW_PLAN_UNIT = "DISKOMINFO-SANDI"


@pytest.fixture(scope="module")
def ids(live_server):
    found = resolve(live_server)
    found["sandi"] = int(
        live_server.python(
            f"""
import sqlalchemy as sa
from surveyapp.models import Unit
print(db.session.scalar(sa.select(Unit.id).where(Unit.code == "{NEW_PLAN_UNIT}")))
"""
        )
    )
    return found


@pytest.fixture
def phone_without_js(browser, request):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_heatmap_fits_a_phone_and_keeps_the_unit_column_in_view(phone, live_server, ids, lang):
    log_in(phone, live_server, "hr")
    phone.goto(f"{live_server.url}/hr/periods/{ids['closed']}/heatmap")
    choose_language(phone, live_server, lang)
    assert no_horizontal_scroll(phone)
    box = phone.locator(".table-wrap:has(table.heatmap)")
    wide = box.evaluate("el => el.scrollWidth > el.clientWidth")
    assert wide, "eight numbers and a name do not fit 360 px: the box scrolls, not the page"
    first = phone.locator("table.heatmap tbody tr:nth-child(2) th")
    left_before = first.bounding_box()["x"]
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert first.bounding_box()["x"] == pytest.approx(left_before, abs=1)
    assert no_horizontal_scroll(phone)
    # Every number's band is also written (letters), and the legend names the letters.
    cells = phone.locator("table.heatmap td.heat")
    assert cells.count() > 0
    assert cells.first.locator("abbr.band-short").inner_text().strip()
    legend = phone.locator("ul.legend li")
    expect(legend.first).to_contain_text("Sangat Baik" if lang == "id" else "Very good")
    # A unit's name leads to its page.
    phone.locator("table.heatmap tbody tr:nth-child(2) th a").click()
    expect(phone).to_have_url(re.compile(r"/hr/periods/\d+/units/\d+$"))
    choose_language(phone, live_server, "id")


def test_sorting_and_the_difference_toggle_work_without_javascript(
    phone_without_js, live_server, ids
):
    page = phone_without_js
    log_in(page, live_server, "hr")
    page.goto(f"{live_server.url}/hr/periods/{ids['closed']}/heatmap")
    page.locator("table.heatmap thead a", has_text="BP").click()
    expect(page).to_have_url(re.compile(r"sort=BP"))
    header = page.locator("table.heatmap thead th[aria-sort]")
    expect(header).to_have_attribute("aria-sort", "descending")
    numbers = page.locator("table.heatmap tbody tr:not(.reference) td.heat:first-of-type")
    values = [float(t.split()[0].replace(",", ".")) for t in numbers.all_inner_texts()]
    assert values == sorted(values, reverse=True)
    page.get_by_role("link", name="Selisih terhadap organisasi").click()
    expect(page).to_have_url(re.compile(r"show=diff"))
    expect(page).to_have_url(re.compile(r"sort=BP"))  # the toggle keeps the order
    signed = page.locator("table.heatmap tbody tr:not(.reference) td.num").all_inner_texts()
    assert any(t.startswith(("+", "−")) for t in signed)
    assert no_horizontal_scroll(page)


def test_a_plan_is_made_refused_and_noted_on_a_phone(phone, live_server, ids):
    log_in(phone, live_server, "hr")
    phone.goto(f"{live_server.url}/hr/periods/{ids['closed']}/units/{ids['sandi']}")
    phone.get_by_role("link", name="Rencana aksi").click()
    expect(phone.locator("h1")).to_contain_text("Rencana aksi baru")
    assert no_horizontal_scroll(phone)
    # The page ticks its suggestions; a bad date is refused next to its field.
    assert phone.locator("input[name=focus]:checked").count() >= 1
    phone.get_by_label("Apa").first.fill("Apel pagi dengan pesan layanan")
    phone.get_by_label("Siapa").first.fill("Kepala Bidang")
    phone.locator("#actions-0-due").evaluate("el => { el.type = 'text'; el.value = '2027-02-30'; }")
    phone.get_by_role("button", name="Simpan rencana aksi").click()
    expect(phone.locator("#actions-0-due-error")).to_contain_text("Masukkan tanggal yang valid")
    expect(phone.get_by_role("alert")).to_contain_text("Tidak ada yang disimpan")
    assert no_horizontal_scroll(phone)
    phone.locator("#actions-0-due").fill("2027-02-27")
    phone.locator("#actions-0-status").select_option("in_progress")
    phone.get_by_role("button", name="Simpan rencana aksi").click()
    expect(phone).to_have_url(re.compile(r"/hr/plans/\d+$"))
    expect(phone.locator("h1")).to_contain_text("Rencana aksi")
    expect(phone.locator("table.cards")).to_contain_text("Apel pagi dengan pesan layanan")
    expect(phone.locator("main")).to_contain_text("Berjalan")
    assert no_horizontal_scroll(phone)
    phone.get_by_label("Catatan kemajuan").fill("Apel pertama berjalan baik.")
    phone.get_by_role("button", name="Tambahkan catatan").click()
    expect(phone.locator("ul.notes")).to_contain_text("Apel pertama berjalan baik.")
    assert no_horizontal_scroll(phone)
