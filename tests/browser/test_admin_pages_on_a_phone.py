"""Admin pages of the question bank, periods and audit log fit a 360 px screen; read-only, so
the shared live server's data stays as the other journeys expect it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, no_horizontal_scroll


@pytest.mark.parametrize(
    "path, heading",
    [
        ("/admin/questions", "Bank soal"),
        ("/admin/questions/1", "Penilaian Mandiri BerAKHLAK v1"),
        ("/admin/questions/1/preview/1", "Berorientasi Pelayanan"),
        ("/admin/questions/1/preview/7", "Kolaboratif"),
        ("/admin/periods/new", "Periode baru"),
        ("/admin/audit", "Log audit"),
    ],
)
def test_admin_page_fits_a_phone(phone, live_server, path, heading):
    log_in(phone, live_server, "admin")
    phone.goto(live_server.url + path)
    expect(phone.locator("h1")).to_contain_text(heading)
    assert no_horizontal_scroll(phone)


def test_preview_is_the_employee_page_with_nothing_to_click(phone, live_server):
    log_in(phone, live_server, "admin")
    phone.goto(live_server.url + "/admin/questions/1/preview/1")
    radios = phone.locator("fieldset.item input[type=radio]")
    assert radios.count() > 0
    for n in range(radios.count()):
        expect(radios.nth(n)).to_be_disabled()
    phone.get_by_role("link", name="Berikutnya").click()
    expect(phone.locator("h1")).to_contain_text("Akuntabel")
