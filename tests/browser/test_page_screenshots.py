"""`make screenshots`: every page of every role on a 360 px phone and a 1366 px desktop, in
Indonesian and English, saved as tests/artifacts/pages/<role>-<page>-<lang>-<width>.png for a
person to look at. Marked `screenshots`: a plain run skips it (`pytest -m screenshots` runs it).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, log_in
from tests.browser.pages import LANGUAGES, PAGES, SIZES, resolve
from tests.browser.test_accessibility import choose_language

pytestmark = pytest.mark.screenshots


@pytest.mark.parametrize("role", sorted({role for role, _n, _p in PAGES}))
def test_screenshot_of_every_page(browser, live_server, role):
    folder = ARTIFACTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    ids = resolve(live_server)
    for width, height in SIZES.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            if role == "anonymous":
                page.goto(live_server.url + "/login")
            else:
                log_in(page, live_server, role)
            for lang in LANGUAGES:
                choose_language(page, live_server, lang)
                for who, name, path in PAGES:
                    if who != role:
                        continue
                    page.goto(live_server.url + path.format(**ids))
                    expect(page.locator("html")).to_have_attribute("lang", lang)
                    target = folder / f"{role}-{name}-{lang}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
            choose_language(page, live_server, "id")
        finally:
            context.close()
