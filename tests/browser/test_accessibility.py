"""axe-core (shipped inside axe-playwright-python, nothing fetched at run time) on every page
of every role, on a 360 px phone and a 1366 px desktop, in Indonesian and English: no
violation of impact serious or critical, colour contrast included."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.pages import LANGUAGES, PAGES, SIZES, resolve

BLOCKING = {"serious", "critical"}
# Known violations, by page name, each marked xfail with its reason: none left.
KNOWN: dict[str, str] = {}


def choose_language(page, server, lang: str) -> None:
    """Pick the language by its button (a logged-in user's choice is remembered)."""
    if page.locator("html").get_attribute("lang") != lang:
        name = {"id": "Bahasa Indonesia", "en": "English"}[lang]
        page.get_by_role("button", name=name).click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def _cases():
    for role, name, path in PAGES:
        marks = []
        if name in KNOWN:
            marks.append(pytest.mark.xfail(reason=KNOWN[name], strict=False))
        yield pytest.param(role, path, id=name, marks=marks)


@pytest.fixture(scope="module")
def ids(live_server):
    return resolve(live_server)


@pytest.mark.parametrize("role, path", list(_cases()))
def test_no_serious_accessibility_violation(browser, live_server, ids, role, path):
    axe = Axe()
    found = []
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
                page.goto(live_server.url + path.format(**ids))
                expect(page.locator("html")).to_have_attribute("lang", lang)
                results = axe.run(page).response["violations"]
                found += [
                    f"{v['id']} ({v['impact']}) {width}px {lang}: "
                    + "; ".join(", ".join(map(str, n["target"])) for n in v["nodes"][:5])
                    for v in results
                    if v["impact"] in BLOCKING
                ]
            choose_language(page, live_server, "id")
        finally:
            context.close()
    assert not found, "\n".join(found)
