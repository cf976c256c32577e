"""`make screenshots`: every page of every role on a 360 px phone and a 1366 px desktop, in
Indonesian and English, saved as tests/artifacts/pages/<role>-<page>-<lang>-<width>.png for a
person to look at. Marked `screenshots`: a plain run skips it (`pytest -m screenshots` runs it).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.pages import PAGES, each_view, resolve

pytestmark = pytest.mark.screenshots


@pytest.mark.parametrize("role", sorted({role for role, _n, _p in PAGES}))
def test_screenshot_of_every_page(browser, live_server, role):
    folder = ARTIFACTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    ids = resolve(live_server)
    for width, lang, page in each_view(browser, live_server, role):
        for who, name, path in PAGES:
            if who != role:
                continue
            page.goto(live_server.url + path.format(**ids))
            expect(page.locator("html")).to_have_attribute("lang", lang)
            page.screenshot(path=str(folder / f"{role}-{name}-{lang}-{width}.png"), full_page=True)
