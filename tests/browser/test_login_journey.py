"""A newcomer on a phone: log in, see the open period, switch to English, log out."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in, no_horizontal_scroll


def test_employee_logs_in_on_a_phone_and_sees_the_open_period(phone, live_server):
    log_in(phone, live_server, "employee")
    expect(phone.locator("html")).to_have_attribute("lang", "id")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    expect(phone.get_by_text(re.compile("Draf, \\d+ dari \\d+ terjawab"))).to_be_visible()
    assert no_horizontal_scroll(phone)


def test_language_switch_is_remembered_and_logout_ends_the_session(phone, live_server):
    log_in(phone, live_server, "employee")
    phone.get_by_role("button", name="English").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_text(re.compile("Draft, \\d+ of \\d+ answered"))).to_be_visible()
    phone.get_by_text("Menu", exact=True).click()  # on a phone the links fold into a menu
    phone.get_by_role("button", name=re.compile("Log out")).click()
    expect(phone).to_have_url(re.compile("/login"))
    phone.goto(live_server.url + "/")
    expect(phone).to_have_url(re.compile("/login"))


def test_wrong_password_shows_one_message_for_every_failure(phone, live_server):
    nip, _ = live_server.accounts["employee"]
    phone.goto(live_server.url + "/login")
    phone.get_by_label(re.compile("NIP")).fill(nip)
    phone.get_by_label(re.compile("Kata sandi")).fill("bukan-sandi-yang-benar")
    phone.get_by_role("button", name="Masuk").click()
    expect(phone.get_by_role("alert")).to_contain_text("NIP atau kata sandi salah")
