"""Temporary: screenshots to look at (not committed)."""

from tests.browser.conftest import ARTIFACTS, log_in
from tests.browser.pages import choose_language, resolve


def test_look(browser, live_server):
    ids = resolve(live_server)
    out = ARTIFACTS / "look"
    out.mkdir(parents=True, exist_ok=True)
    for role, paths in (
        ("admin", {"period-open": f"/admin/periods/{ids['open']}", "period-closed": f"/admin/periods/{ids['closed']}"}),
        ("hr", {"hr-closed": f"/hr/?period={ids['closed']}", "hr-open": "/hr/"}),
    ):
        for width, height in ((360, 740), (1366, 900)):
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            log_in(page, live_server, role)
            for lang in ("id", "en"):
                choose_language(page, live_server, lang)
                for name, path in paths.items():
                    page.goto(live_server.url + path)
                    page.screenshot(path=str(out / f"{name}-{lang}-{width}.png"), full_page=width > 400)
            choose_language(page, live_server, "id")
            context.close()
