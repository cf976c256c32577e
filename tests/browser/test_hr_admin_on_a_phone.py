"""HR and admin pages on a 360x740 phone: no page scrolls sideways, every table cell is on the
screen or inside a box that scrolls, and the header stays one line for every role.

Read-only apart from one export, so the shared live server's data stays as the other
journeys expect it. With SURVEYAPP_SHOTS=<folder> set, the last test also leaves screenshots
of every page at 360 and 1366 px in id and en in tests/artifacts/<folder>/ (git-ignored).
"""

from __future__ import annotations

import os
import re

import pytest

from tests.browser.conftest import ARTIFACTS, log_in, no_horizontal_scroll

CLOSED = "2026-S1"  # the closed period of `flask seed-demo`: unit results are shown
HEADER_MAX = 64  # px: one line of header (brand, menu) at 360 px, measured ~52 px

# True when a cell's text ends past the right edge of the screen and no box around it scrolls.
CLIPPED_CELLS = """
() => {
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
  };
  const out = [];
  for (const cell of document.querySelectorAll('table th, table td')) {
    const r = cell.getBoundingClientRect();
    if (r.width === 0 || !cell.textContent.trim()) continue;
    if ((r.right > window.innerWidth + 1 || r.left < -1) && !scrolls(cell)) {
      out.push(cell.textContent.trim().slice(0, 40));
    }
  }
  return out;
}
"""


def _ids(server) -> dict[str, int]:
    """The closed period, the top unit and the demo HR officer's unit of the demo data."""
    out = server.python(
        f"""
import sqlalchemy as sa
from surveyapp.models import Employee, Period, Unit
period = db.session.scalar(sa.select(Period).where(Period.code == "{CLOSED}"))
unit = db.session.scalar(sa.select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
hr = db.session.scalar(sa.select(Employee).where(Employee.nip == "{server.accounts["hr"][0]}"))
print(period.id, unit.id, hr.hr_unit_id or unit.id)
"""
    )
    period_id, unit_id, hr_unit_id = map(int, out.split())
    return {"period": period_id, "unit": unit_id, "hr_unit": hr_unit_id}


def pages(server) -> list[tuple[str, str]]:
    """(role, path) of every HR and admin page, /jobs/ included."""
    ids = _ids(server)
    p, u, h = ids["period"], ids["unit"], ids["hr_unit"]
    return [
        ("hr", "/hr/"),
        ("hr", f"/hr/?period={p}&sort=rate"),
        ("hr", f"/hr/periods/{p}/units/{h}"),
        ("hr", f"/hr/periods/{p}/non-respondents"),
        ("hr", f"/hr/periods/{p}/heatmap"),
        ("hr", f"/hr/periods/{p}/heatmap?show=diff&sort=BP&dir=desc"),
        ("hr", "/hr/plans"),
        ("admin", f"/hr/periods/{p}/heatmap"),
        ("admin", "/hr/"),
        ("admin", f"/hr/periods/{p}/units/{u}"),
        ("admin", "/admin/"),
        ("admin", "/admin/employees"),
        ("admin", "/admin/units"),
        ("admin", f"/admin/units/{u}"),
        ("admin", "/admin/periods/new"),
        ("admin", f"/admin/periods/{p}"),
        ("admin", "/admin/questions"),
        ("admin", "/admin/audit"),
        ("admin", "/jobs/"),
        ("hr", "/jobs/"),
    ]


@pytest.fixture(scope="module")
def an_export(live_server, browser):
    """One workbook export by HR, so /jobs/ and a job page have something to show."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    log_in(page, live_server, "hr")
    page.goto(live_server.url + "/hr/")
    page.locator("form[action*='report.xlsx'] button").click()
    page.wait_for_url(re.compile(r"/jobs/[^/?]+$"))
    url = page.url
    context.close()
    return url


def test_every_hr_and_admin_page_fits_a_phone(phone, live_server, an_export):
    current = None
    problems = []
    for role, path in sorted(pages(live_server), key=lambda page: page[0]):
        if phone.url.startswith("about:") or role != current:
            # Leave the page first: /jobs/ polls, and a poll answered after the cookies are
            # cleared would set the old user's session again (seen once under load).
            phone.goto("about:blank")
            phone.context.clear_cookies()
            log_in(phone, live_server, role)
            current = role
        phone.goto(live_server.url + path)
        assert phone.locator(".error-code").count() == 0, f"{role} {path}: an error page"
        if not no_horizontal_scroll(phone):
            width = phone.evaluate("document.documentElement.scrollWidth")
            problems.append(f"{role} {path}: page is {width} px wide")
        clipped = phone.evaluate(CLIPPED_CELLS)
        if clipped:
            problems.append(f"{role} {path}: cells off the screen: {clipped[:5]}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ["employee", "hr", "admin"])
def test_header_is_one_line_on_a_phone(phone, live_server, role):
    log_in(phone, live_server, role)
    phone.goto(live_server.url + "/")
    height = phone.locator("header.topbar").bounding_box()["height"]
    assert height <= HEADER_MAX, f"{role}: header {height} px high"
    # The menu opens without JavaScript and holds every link of the header.
    menu = phone.locator("header details.menu")
    menu.locator("summary").click()
    expect_links = ["Penilaian saya", "Kata sandi"] + {
        "employee": [],
        "hr": ["Kepegawaian", "Ekspor saya"],
        "admin": ["Kepegawaian", "Administrasi"],
    }[role]
    for name in expect_links:
        assert menu.get_by_role("link", name=name).is_visible(), f"{role}: {name}"
    assert menu.get_by_role("button", name="Keluar").is_visible()
    # On a desktop the links are in a row, and that row fits beside the brand.
    phone.set_viewport_size({"width": 1366, "height": 768})
    for lang, code in (("Bahasa Indonesia", "id"), ("English", "en")):
        # The button posts and reloads, even for the language already shown: measure the new
        # page, not the old one with its menu still open.
        with phone.expect_navigation():
            phone.get_by_role("button", name=lang).click()
        assert phone.locator("html").get_attribute("lang") == code
        height = phone.locator("header.topbar").bounding_box()["height"]
        assert height <= HEADER_MAX, f"{role}, {lang}, 1366 px: header {height} px high"


def test_job_page_is_named_and_its_bar_is_full_width(phone, live_server, an_export):
    log_in(phone, live_server, "hr")
    phone.goto(an_export)
    assert " · " in phone.locator("h1").inner_text()
    bar = phone.locator("progress").bounding_box()
    main = phone.locator("#job").bounding_box()
    assert bar["width"] >= main["width"] - 60


@pytest.mark.skipif(not os.environ.get("SURVEYAPP_SHOTS"), reason="set SURVEYAPP_SHOTS=<folder>")
def test_screenshots(browser, live_server, an_export):
    folder = ARTIFACTS / os.environ["SURVEYAPP_SHOTS"]
    folder.mkdir(parents=True, exist_ok=True)
    every = [*pages(live_server), ("hr", an_export[len(live_server.url) :])]
    for width, height in ((360, 740), (1366, 768)):
        for role in ("hr", "admin"):
            # One log-in a role and size (the log-in is rate-limited); the language is
            # remembered for the account, so each is chosen explicitly.
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            log_in(page, live_server, role)
            for lang in ("id", "en"):
                page.goto(live_server.url + "/")
                page.locator(f"button[name=lang][value={lang}]").click()
                page.wait_for_load_state()
                for _role, path in [(r, p) for r, p in every if r == role]:
                    page.goto(live_server.url + path)
                    name = re.sub(r"[^a-z0-9]+", "-", f"{role}{path}".lower()).strip("-")
                    name = re.sub(r"jobs-[a-z0-9-]{12,}", "jobs-show", name)
                    shot = folder / f"{name}-{lang}-{width}.png"
                    page.screenshot(path=str(shot), full_page=True)
                    if width == 360 and role == "admin" and path == "/admin/":
                        page.locator("header details.menu summary").click()
                        page.screenshot(path=str(folder / f"admin-menu-open-{lang}-360.png"))
            context.close()
