"""The culture map on a 360 px phone: pick, reload, change, be stopped at eleven, finish the
three lenses, send, and see one's own culture map; HR's culture map of a closed period."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, log_in, no_horizontal_scroll
from tests.browser.pages import CLOSED, OPEN
from tests.browser.test_employee_screenshots import employee_with_a_past_result
from tests.browser.test_journeys import choose_ten


def _codes(page) -> list[str]:
    return page.locator('input[name="choice"]').evaluate_all("(all) => all.map(e => e.value)")


def _chosen(page) -> list[str]:
    return page.locator('input[name="choice"]:checked').evaluate_all(
        "(all) => all.map(e => e.value)"
    )


def _click(page, n: int) -> None:
    """Click the n-th behaviour and wait for the server to answer the save."""
    with page.expect_response(re.compile(r"/culture$")) as saved:
        page.locator("label.culture-choice").nth(n).click()
    assert saved.value.ok


def _answer_the_items(server, nip: str) -> None:
    server.python(
        f"""
import sqlalchemy as sa
from surveyapp.models import Employee, Period
from surveyapp.services import responses
now = db.session.scalar(sa.select(Period).where(Period.code == "{OPEN}"))
person = db.session.scalar(sa.select(Employee).where(Employee.nip == "{nip}"))
done = responses.answers_by_code(responses.find_response(now, person))
rest = {{i.code: 1 + n % 5 for n, i in enumerate(now.version.items) if i.code not in done}}
responses.save_by_code(now, person, rest)
db.session.commit()
"""
    )


def test_pick_reload_change_send_and_see_my_culture_map(phone, live_server):
    role = employee_with_a_past_result(
        live_server, "culture-phone", "Peta-Budaya-2026", unit_average=False
    )
    log_in(phone, live_server, role)
    phone.goto(f"{live_server.url}/survey/{OPEN}/page/8")
    counter = phone.locator("#culture-count")
    expect(counter).to_have_text("0 dari 10 dipilih")
    expect(phone.locator("h1")).to_have_text("Diri saya")
    order = _codes(phone)
    assert len(order) == 35
    for n in range(7):
        _click(phone, n)
    expect(counter).to_have_text("7 dari 10 dipilih")
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=str(ARTIFACTS / "culture-map-360-id.png"), full_page=False)

    phone.reload()  # saved on the server, in the same order
    assert _codes(phone) == order
    assert _chosen(phone) == order[:7]
    expect(counter).to_have_text("7 dari 10 dipilih")

    _click(phone, 0)  # untick the first
    for n in range(7, 11):
        _click(phone, n)
    expect(counter).to_have_text("10 dari 10 dipilih")
    expect(counter).to_have_attribute("data-state", "done")
    phone.locator("label.culture-choice").nth(12).click()  # an eleventh: stopped in the page
    expect(phone.locator("#save-status")).to_contain_text("Anda sudah memilih 10")
    assert not phone.locator("label.culture-choice").nth(12).locator("input").is_checked()
    phone.reload()
    assert _chosen(phone) == order[1:11]

    # The same page on a desktop in English (a second session of the same person).
    desk = phone.context.browser.new_context(viewport={"width": 1366, "height": 768})
    wide = desk.new_page()
    log_in(wide, live_server, role)
    wide.get_by_role("button", name="English").click()
    wide.goto(f"{live_server.url}/survey/{OPEN}/page/8")
    expect(wide.locator("#culture-count")).to_have_text("10 of 10 chosen")
    assert no_horizontal_scroll(wide)
    wide.screenshot(path=str(ARTIFACTS / "culture-map-1366-en.png"))
    wide.get_by_role("button", name="Bahasa Indonesia").click()
    desk.close()

    phone.locator("button.go-next").click()
    for number in (9, 10):
        expect(phone).to_have_url(re.compile(f"/page/{number}$"))
        choose_ten(phone)
        phone.locator("button.go-next").click()
    expect(phone).to_have_url(re.compile("/review$"))
    _answer_the_items(live_server, live_server.accounts[role][0])
    phone.reload()
    expect(phone.locator("body")).to_contain_text("Peta budaya saya")
    phone.get_by_role("checkbox").check()
    phone.get_by_role("button", name="Kirim jawaban saya").click()
    expect(phone).to_have_url(re.compile("/result$"))
    mine = phone.locator(".my-culture")
    expect(mine).to_contain_text("Diri saya")
    expect(mine).to_contain_text("setelah periode ditutup")
    assert mine.locator(".culture-mine").first.locator("li").count() == 30
    assert no_horizontal_scroll(phone)
    mine.screenshot(path=str(ARTIFACTS / "culture-my-map-360-id.png"))


def test_hr_reads_the_culture_map_of_the_closed_period(browser, live_server):
    period_id, unit = live_server.python(
        f"""
import sqlalchemy as sa
from surveyapp.models import Employee, Period
from surveyapp.services import culture_results
past = db.session.scalar(sa.select(Period).where(Period.code == "{CLOSED}"))
hr = db.session.scalar(sa.select(Employee).where(Employee.nip == "{live_server.accounts["hr"][0]}"))
rows = culture_results.unit_rows(past, hr.hr_unit.path)
print(past.id, next(r.unit.unit_id for r in rows if r.culture is not None))
"""
    ).split()
    for width, lang in ((360, "id"), (1366, "en")):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        log_in(page, live_server, "hr")
        if lang == "en":
            page.get_by_role("button", name="English").click()
        page.goto(f"{live_server.url}/hr/periods/{period_id}/units/{unit}")
        section = page.locator(".culture-map")
        expect(section).to_be_visible()
        expect(section.locator(".culture-lens")).to_have_count(3)
        assert no_horizontal_scroll(page)
        section.screenshot(path=str(ARTIFACTS / f"culture-hr-{width}-{lang}.png"))
        if lang == "en":
            page.get_by_role("button", name="Bahasa Indonesia").click()
        context.close()
