"""Screenshots of the employee's questionnaire, review and result pages on a 360x740 phone
and a 1366x768 desktop, in Indonesian and English, for a person to look at.

Every run leaves them in tests/artifacts/pages/<page>-<lang>-<width>.png (git-ignored).
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, log_in, no_horizontal_scroll

OPEN, CLOSED = "2026-S2", "2026-S1"  # the open and the closed period of `flask seed-demo`
SIZES = {360: 740, 1366: 768}


REPORTER = "reporter"  # the one person the screenshots and the phone tests share


def employee_with_a_past_result(
    server, role: str = REPORTER, password: str = "Laporan-Pribadi-2026", unit_average=True
) -> str:
    """Someone who sent answers in the closed period and has not started the open one: a
    password, pages 1-2 and the first answer of page 3 of the open period saved. The seeded
    units are small: few people see their unit's average, so `unit_average` picks one of
    them first (True) or leaves them for others (False). A role already made is reused."""
    if role not in server.accounts:
        nip = server.python(
            f"""
import sqlalchemy as sa
from surveyapp.models import Employee, RosterEntry, Period, Response
from surveyapp.services import accounts, personal, responses
def period(code):
    return db.session.scalar(sa.select(Period).where(Period.code == code))
now, past = period("{OPEN}"), period("{CLOSED}")
on_roster = sa.select(RosterEntry.employee_id).where(RosterEntry.period_id == now.id)
started = sa.select(Response.employee_id).where(Response.period_id == now.id)
sent = sa.select(Response.employee_id).where(
    Response.period_id == past.id, Response.state == "submitted")
candidates = db.session.scalars(sa.select(Employee).where(
    Employee.id.in_(on_roster), Employee.id.not_in(started), Employee.id.in_(sent),
    Employee.password_hash.is_(None)).order_by(Employee.id)).all()
def average_shown(person):
    mine = responses.find_response(past, person)
    return personal.personal_result(past, mine, "id").unit_overall is not None
person = sorted(candidates, key=lambda p: average_shown(p) != {unit_average})[0]
accounts.set_password(person, "{password}")
pages = responses.value_pages(now.version)
codes = [i.code for _v, items in pages[:2] for i in items] + [pages[2][1][0].code]
responses.save_by_code(now, person, {{c: 2 + n % 4 for n, c in enumerate(codes)}})
db.session.commit()
print(person.nip)
"""
        ).strip()
        server.accounts[role] = (nip, password)
    return role


def answer_everything(server, role: str) -> None:
    nip = server.accounts[role][0]
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
from surveyapp.services import culture_map
section = culture_map.section(now.version)
if section is not None:  # the culture map: the first ten of the list in every lens
    codes = set(b.code for b in section.behaviours[: section.pick])
    for lens in ("self", "current", "desired"):
        culture_map.save_lens(now, person, lens, codes)
db.session.commit()
"""
    )


def _language(page, lang: str) -> None:
    """Pick the language by its button (each browser session remembers its own)."""
    name = {"id": "Bahasa Indonesia", "en": "English"}[lang]
    page.get_by_role("button", name=name).click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def test_screenshots_of_the_employee_pages(browser, live_server):
    role = employee_with_a_past_result(live_server)
    folder = ARTIFACTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    contexts = {
        w: browser.new_context(viewport={"width": w, "height": h}) for w, h in SIZES.items()
    }
    pages = {w: c.new_page() for w, c in contexts.items()}
    try:
        for page in pages.values():
            log_in(page, live_server, role)

        def shoot(name: str, path: str) -> None:
            for lang in ("id", "en"):
                for width, page in pages.items():
                    _language(page, lang)
                    page.goto(live_server.url + path)
                    expect(page.locator("html")).to_have_attribute("lang", lang)
                    assert no_horizontal_scroll(page), (name, lang, width)
                    page.screenshot(path=str(folder / f"{name}-{lang}-{width}.png"), full_page=True)

        shoot("questionnaire", f"/survey/{OPEN}/page/3")
        answer_everything(live_server, role)
        shoot("review", f"/survey/{OPEN}/review")
        shoot("result", f"/survey/{CLOSED}/result")
    finally:
        for page in pages.values():  # the language is remembered per user: back to Indonesian
            _language(page, "id")
        for context in contexts.values():
            context.close()
