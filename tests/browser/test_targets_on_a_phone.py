"""The HR dashboard with participation targets on a 360 px phone, in both languages: the
target, the days left, the estimate stated as one, the daily curve readable (every SVG text
at least 11 px tall), the ranking of units inside the screen, and the reminder form of the
non-respondent list. Read-only, so the shared live server's data stays as the other
journeys expect it. Screenshots of the pages at 360 and 1366 px go to tests/artifacts/cockpit/.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, log_in, no_horizontal_scroll
from tests.browser.pages import choose_language, resolve
from tests.browser.test_hr_admin_on_a_phone import CLIPPED_CELLS

SMALLEST = 11
WORDS = {
    "id": ("Target partisipasi", "Perkiraan:", "dengan laju saat ini", "hari lagi"),
    "en": ("Participation target", "Estimate:", "at the current pace", "days left"),
}


def test_dashboard_with_targets_on_a_phone(phone, live_server):
    log_in(phone, live_server, "hr")
    for lang in ("id", "en"):
        choose_language(phone, live_server, lang)
        phone.goto(live_server.url + "/hr/")
        section = phone.locator("section.targets")
        expect(section).to_be_visible()
        text = section.inner_text()
        for word in WORDS[lang]:
            assert word in text, (lang, word)
        curve = phone.locator("svg.curve")
        expect(curve).to_be_visible()
        box = curve.bounding_box()
        assert box["width"] <= 360 and box["height"] >= 150
        heights = phone.evaluate(
            """() => [...document.querySelectorAll('svg.curve text')]
                .filter(t => t.textContent.trim())
                .map(t => [t.textContent.trim(), t.getBoundingClientRect().height])"""
        )
        assert len(heights) >= 5  # three levels, the target, two dates
        assert not [(t, h) for t, h in heights if h < SMALLEST]
        # Units below their target come first, and every cell is on the screen or scrolls.
        first = phone.locator("table.ranking tbody tr").first
        expect(first).to_have_class(re.compile("below"))
        assert no_horizontal_scroll(phone)
        assert phone.evaluate(CLIPPED_CELLS) == []
    choose_language(phone, live_server, "id")


def test_reminder_form_on_a_phone(phone, live_server):
    ids = resolve(live_server)
    log_in(phone, live_server, "hr")
    phone.goto(live_server.url + f"/hr/periods/{ids['open']}/non-respondents?unit={ids['unit']}")
    expect(phone.get_by_role("group", name="Kirim pengingat")).to_be_visible()
    expect(phone.locator("input[name=people]").first).to_be_visible()
    assert "Terakhir diingatkan" in phone.locator("table").first.inner_text()
    assert no_horizontal_scroll(phone)
    assert phone.evaluate(CLIPPED_CELLS) == []


def test_screenshots(browser, live_server):
    ids = resolve(live_server)
    folder = ARTIFACTS / "cockpit"
    folder.mkdir(parents=True, exist_ok=True)
    shots = [
        ("hr", "hr-home", "/hr/"),
        ("hr", "hr-remind", f"/hr/periods/{ids['open']}/non-respondents?unit={ids['unit']}"),
        ("hr", "hr-print", f"/hr/periods/{ids['open']}/units/{ids['unit']}/print"),
        ("admin", "admin-period-open", f"/admin/periods/{ids['open']}"),
        ("admin", "admin-outbox", "/admin/outbox"),
    ]
    for width, height in ((360, 740), (1366, 768)):
        for role in ("hr", "admin"):
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            log_in(page, live_server, role)
            for lang in ("id", "en"):
                choose_language(page, live_server, lang)
                for _r, name, path in [s for s in shots if s[0] == role]:
                    page.goto(live_server.url + path)
                    page.screenshot(path=str(folder / f"{name}-{lang}-{width}.png"), full_page=True)
                    # The new parts alone, at a size one can look at.
                    for part in ("section.targets", "fieldset.remind"):
                        if page.locator(part).count():
                            shot = folder / f"{name}-{part.split('.')[1]}-{lang}-{width}.png"
                            page.locator(part).screenshot(path=str(shot))
            choose_language(page, live_server, "id")
            context.close()
    assert (folder / "hr-home-id-360.png").exists()
