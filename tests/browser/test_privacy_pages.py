"""What HR sees of a unit while its period is open (participation only, and when results
come) and once it is closed (the results), on a phone and on a desktop, in both languages.

Every run leaves the screenshots in tests/artifacts/privacy-*.png, for a person to look at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, log_in, no_horizontal_scroll

PENDING = {
    "id": "Hasil unit tersedia setelah periode ditutup pada",
    "en": "Unit results are available after the period closes on",
}
RESULTS = {"id": "Indeks nilai", "en": "Value indices"}


@pytest.mark.parametrize("width", [360, 1366])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_hr_unit_page_shows_participation_until_close_then_results(
    browser, live_server, lang, width
):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, live_server, "hr")
        if lang == "en":
            page.get_by_role("button", name="English").click()
            expect(page.locator("html")).to_have_attribute("lang", "en")
        ARTIFACTS.mkdir(exist_ok=True)
        # The newest period is the open one; the first unit of the table is the HR scope.
        page.goto(live_server.url + "/hr/")
        page.locator("table tbody th a").first.click()
        expect(page.locator(".flash-info")).to_contain_text(PENDING[lang])
        assert page.locator("svg").count() == 0  # no chart of anyone's answers
        assert no_horizontal_scroll(page)
        page.screenshot(path=str(ARTIFACTS / f"privacy-open-{lang}-{width}.png"), full_page=True)
        # The closed period of the demo: its results are there.
        page.goto(live_server.url + "/hr/")
        options = page.locator("#period option")
        page.locator("#period").select_option(index=options.count() - 1)
        page.locator("form.inline-form button").click()
        page.locator("table tbody th a").first.click()
        expect(page.locator("h2").first).to_contain_text(RESULTS[lang])
        assert PENDING[lang] not in page.content()
        page.screenshot(path=str(ARTIFACTS / f"privacy-closed-{lang}-{width}.png"), full_page=True)
    finally:
        if lang == "en":  # the language is remembered per user: give HR back Indonesian
            page.get_by_role("button", name="Bahasa Indonesia").click()
        context.close()
