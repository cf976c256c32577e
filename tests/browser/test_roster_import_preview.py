"""The roster import preview on a phone and a desktop, in both languages: the open period
offered to new people fits 360 px without sideways scrolling and has no serious or critical
axe violation. Only the check runs (nothing is committed), so the shared server's data stays."""

from __future__ import annotations

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, log_in, no_horizontal_scroll

BLOCKING = {"serious", "critical"}


def _roster(unit_code: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["NIP", "Nama", "Kode Unit", "Jabatan", "Golongan", "Jenis"])
    sheet.append(["199702022020121001", "Pegawai Baru Sekali", unit_code, "Analis", "III/a", "PNS"])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


@pytest.mark.parametrize("width", [360, 1366])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_import_preview_offers_the_open_period_and_fits(browser, live_server, width, lang):
    unit = live_server.python(
        "import sqlalchemy as sa\n"
        "from surveyapp.models import Period, PeriodUnit\n"
        "p = db.session.scalar(sa.select(Period).where(Period.state == 'open'))\n"
        "print(db.session.scalar(sa.select(PeriodUnit.code).where("
        "PeriodUnit.period_id == p.id).order_by(PeriodUnit.depth.desc()).limit(1)))"
    ).strip()
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        log_in(page, live_server, "admin")
        if lang == "en":
            page.get_by_role("button", name="English").click()
        page.goto(live_server.url + "/admin/imports")
        expect(page.locator("a[href$='/admin/imports/template.xlsx']")).to_be_visible()
        page.locator("input[type=file]").set_input_files(
            files=[
                {
                    "name": "roster.xlsx",
                    "mimeType": "application/octet-stream",
                    "buffer": _roster(unit),
                }
            ]  # fmt: skip
        )
        page.locator("form.stack button[type=submit]").click()
        expect(page.locator("#open-periods-title")).to_be_visible()
        expect(page.locator("input[name=join]")).to_be_checked()
        assert no_horizontal_scroll(page)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"import-preview-{width}-{lang}.png"), full_page=True)
        violations = [
            f"{v['id']} ({v['impact']})"
            for v in Axe().run(page).response["violations"]
            if v["impact"] in BLOCKING
        ]
        assert not violations, violations
    finally:
        if lang == "en":
            page.goto(live_server.url + "/admin/imports")
            page.get_by_role("button", name="Bahasa Indonesia").click()
        context.close()
