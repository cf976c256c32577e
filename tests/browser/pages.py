"""Every page a role sees, for the accessibility, chart and screenshot checks.

Paths may name `{closed}` (the closed demo period's id), `{open}` (the open one's), `{unit}`
(the demo HR's Dinas), `{version}` (the first questionnaire version) and `{plan}` (the demo's
first action plan); `resolve` fills them in from the live server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from playwright.sync_api import expect

from tests.browser.conftest import log_in

OPEN, CLOSED = "2026-S2", "2026-S1"  # the open and the closed period of `flask seed-demo`
SIZES = {360: 740, 1366: 768}
LANGUAGES = ("id", "en")

PAGES: list[tuple[str, str, str]] = [
    ("anonymous", "login", "/login"),
    ("anonymous", "activate", "/activate"),
    ("employee", "home", "/"),  # with "Past periods": my history
    ("employee", "questionnaire-1", f"/survey/{OPEN}/page/1"),
    ("employee", "questionnaire-7", f"/survey/{OPEN}/page/7"),
    ("employee", "culture-map", f"/survey/{OPEN}/page/9"),  # Unit saya saat ini
    ("employee", "review", f"/survey/{OPEN}/review"),
    ("employee", "result", f"/survey/{CLOSED}/result"),
    ("hr", "hr-home", "/hr/"),
    ("hr", "hr-unit", "/hr/periods/{closed}/units/{unit}"),
    ("hr", "hr-non-respondents", "/hr/periods/{closed}/non-respondents"),
    ("hr", "hr-heatmap", "/hr/periods/{closed}/heatmap"),
    ("hr", "hr-heatmap-difference", "/hr/periods/{closed}/heatmap?show=diff&sort=overall"),
    ("hr", "hr-plans", "/hr/plans"),
    ("hr", "hr-plan", "/hr/plans/{plan}"),
    ("hr", "hr-plan-edit", "/hr/plans/{plan}/edit"),
    ("hr", "hr-remind", "/hr/periods/{open}/non-respondents?unit={unit}"),
    ("hr", "hr-print", "/hr/periods/{open}/units/{unit}/print"),
    ("admin", "admin-home", "/admin/"),
    ("admin", "admin-employees", "/admin/employees"),
    ("admin", "admin-units", "/admin/units"),
    ("admin", "admin-periods", "/admin/periods/new"),
    ("admin", "admin-period", "/admin/periods/{closed}"),
    ("admin", "admin-period-open", "/admin/periods/{open}"),
    ("admin", "outbox", "/admin/outbox"),
    ("admin", "admin-questions", "/admin/questions"),
    ("admin", "admin-version", "/admin/questions/{version}"),
    ("admin", "admin-version-settings", "/admin/questions/{version}/settings"),
    ("admin", "audit", "/admin/audit"),
    ("admin", "jobs", "/jobs/"),
]


def resolve(server) -> dict[str, int]:
    """The ids the paths need, read once from the live server's database."""
    return json.loads(
        server.python(
            f"""
import json
import sqlalchemy as sa
from surveyapp.models import ActionPlan, Employee, Period, QuestionnaireVersion
closed = db.session.scalar(sa.select(Period.id).where(Period.code == "{CLOSED}"))
open_ = db.session.scalar(sa.select(Period.id).where(Period.code == "{OPEN}"))
hr = db.session.scalar(sa.select(Employee).where(Employee.nip == "{server.accounts["hr"][0]}"))
version = db.session.scalar(sa.select(sa.func.min(QuestionnaireVersion.id)))
plan = db.session.scalar(sa.select(sa.func.min(ActionPlan.id)))
print(json.dumps({{
    "closed": closed, "open": open_, "unit": hr.hr_unit_id, "version": version, "plan": plan
}}))
"""
        )
    )


def choose_language(page, server, lang: str) -> None:
    """Pick the language by its button (a logged-in user's choice is remembered)."""
    if page.locator("html").get_attribute("lang") != lang:
        name = {"id": "Bahasa Indonesia", "en": "English"}[lang]
        page.get_by_role("button", name=name).click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def each_view(browser, server, role: str) -> Iterator[tuple[int, str, object]]:
    """(width, language, page) for every screen size and language, the page logged in as
    `role` (anonymous: on the login page); the account is left in Indonesian."""
    for width, height in SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            if role == "anonymous":
                page.goto(server.url + "/login")
            else:
                log_in(page, server, role)
            for lang in LANGUAGES:
                choose_language(page, server, lang)
                yield width, lang, page
            choose_language(page, server, "id")
        finally:
            context.close()
