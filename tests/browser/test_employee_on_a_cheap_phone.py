"""Issue 17, the employee's side on a 360x740 phone: page steps one can read, a result chart
drawn for the width it gets, a print button and a clean printed report, buttons and answers
that fit their boxes, no 404 for a favicon.

Each test works with its own employee (made by the screenshot test's helper), so the shared
live server's demo accounts stay as the other journeys expect them.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, log_in, no_horizontal_scroll
from tests.browser.test_employee_screenshots import CLOSED, OPEN, employee_with_a_past_result

CONTRAST = """
(element) => {
  function rgb(text) { return (text.match(/[\\d.]+/g) || []).map(Number); }
  function background(node) {
    for (; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) { return c; }
    }
    return [255, 255, 255];
  }
  function luminance(c) {
    const [r, g, b] = c.slice(0, 3).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  const a = luminance(rgb(getComputedStyle(element).color)), b = luminance(background(element));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
"""


@pytest.fixture
def employee(live_server):
    """The person the screenshots use (they only read here): a result of the closed period
    with the unit's average, a draft of the open one."""
    return employee_with_a_past_result(live_server)


@pytest.fixture
def newcomer(live_server, request):
    """Someone of their own, for a test that changes answers or the language."""
    role = f"phone-{request.node.name}"
    return employee_with_a_past_result(live_server, role, "Ponsel-Murah-2026", unit_average=False)


def _english(page):
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_page_steps_are_legible_and_say_the_value_and_its_state(phone, live_server, newcomer):
    log_in(phone, live_server, newcomer)
    phone.goto(f"{live_server.url}/survey/{OPEN}/page/3")
    steps = phone.locator(".page-steps a")
    assert steps.count() == 10  # seven values, then the culture map's three lenses
    for n in range(10):
        assert steps.nth(n).evaluate(CONTRAST) >= 4.5, n
    # All ten on one row of a 360 px screen.
    assert len({round(steps.nth(n).bounding_box()["y"]) for n in range(10)}) == 1
    expect(phone.locator(".page-steps")).to_contain_text("Halaman 3 dari 10: Kompeten")
    expect(steps.nth(0)).to_have_accessible_name(
        re.compile(r"Halaman 1: Berorientasi Pelayanan,\s+semua sudah dijawab")
    )
    expect(steps.nth(2)).to_have_attribute("aria-current", "page")
    expect(steps.nth(2)).to_have_accessible_name(re.compile(r"Kompeten,\s+1 dari 4 terjawab"))
    expect(steps.nth(3)).to_have_accessible_name(re.compile(r"Harmonis,\s+belum dijawab"))
    # A click saved on this page updates its step at once.
    phone.locator("fieldset.item").nth(1).locator("label.scale-point").nth(2).click()
    expect(phone.locator("fieldset.item").nth(1)).to_have_attribute("data-save", "saved")
    expect(steps.nth(2)).to_have_accessible_name(re.compile(r"Kompeten,\s+2 dari 4 terjawab"))


def test_next_sits_beside_previous_and_every_answer_fits_its_box(phone, live_server, newcomer):
    log_in(phone, live_server, newcomer)
    for words in (("Sebelumnya", "Berikutnya"), ("Previous", "Next")):
        if words[0] == "Previous":
            _english(phone)
        for number in range(2, 7):
            phone.goto(f"{live_server.url}/survey/{OPEN}/page/{number}")
            previous = phone.get_by_role("button", name=words[0]).bounding_box()
            following = phone.get_by_role("button", name=words[1]).bounding_box()
            assert previous["y"] == following["y"], (words, number)
            assert no_horizontal_scroll(phone)
    overflowing = phone.evaluate(
        """() => [...document.querySelectorAll('.scale-point')].filter(label => {
             const box = label.getBoundingClientRect();
             const text = label.querySelector('span').getBoundingClientRect();
             return text.right > box.right || label.scrollWidth > label.clientWidth;
           }).map(label => label.textContent.trim())"""
    )
    assert overflowing == []
    expect(phone.locator(".scale-point", has_text="Sometimes").first).to_be_visible()


def test_result_chart_is_drawn_for_a_phone_with_named_bands(phone, live_server, employee):
    log_in(phone, live_server, employee)
    phone.goto(f"{live_server.url}/survey/{CLOSED}/result")
    chart = phone.locator("svg.chart")
    expect(chart).to_be_visible()
    main = phone.locator("main").bounding_box()
    assert chart.bounding_box()["width"] >= 0.85 * (main["width"] - 32)  # full width
    heights = chart.evaluate(
        "svg => [...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 12, heights
    names = chart.locator("text.band-name").all_text_contents()
    assert names == ["Sangat Baik", "Baik", "Cukup"]
    # No number sits on a band line, and the unit's bars stand out from the white.
    crossed = chart.evaluate(
        """svg => {
             const lines = [...svg.querySelectorAll('line.threshold')]
               .map(l => l.getBoundingClientRect().left);
             return [...svg.querySelectorAll('text.value')].filter(t => {
               const r = t.getBoundingClientRect();
               return lines.some(x => x >= r.left - 2 && x <= r.right + 2);
             }).length;
           }"""
    )
    assert crossed == 0
    unit_bars = chart.locator("rect.prev")
    assert unit_bars.count() == 7
    fill = unit_bars.first.evaluate("r => getComputedStyle(r).fill")
    assert max(map(int, re.findall(r"\d+", fill)[:3])) <= 120, fill  # dark grey, not faint
    assert no_horizontal_scroll(phone)
    table = phone.locator(".table-scroll")
    assert table.evaluate("box => box.scrollWidth <= box.clientWidth")


def test_result_table_stays_beside_the_chart_on_a_desktop(browser, live_server, employee):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        log_in(page, live_server, employee)
        page.goto(f"{live_server.url}/survey/{CLOSED}/result")
        chart = page.locator("svg.chart").bounding_box()
        table = page.locator("table.result-table").bounding_box()
        assert table["x"] >= chart["x"] + chart["width"]
        heights = page.locator("svg.chart").evaluate(
            "svg => [...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().height)"
        )
        assert min(heights) >= 12
    finally:
        context.close()


@pytest.mark.parametrize("width", [360, 1366])
def test_hr_unit_page_chart_still_works(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        log_in(page, live_server, "hr")
        page.goto(live_server.url + "/hr/")
        options = page.locator("#period option")
        page.locator("#period").select_option(index=options.count() - 1)  # the closed period
        page.locator("form.inline-form button").click()
        page.locator("table tbody th a").first.click()
        chart = page.locator("svg.chart")
        expect(chart).to_be_visible()
        heights = chart.evaluate(
            "svg => [...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().height)"
        )
        assert min(heights) >= 12
        assert chart.locator("rect.bar:not(.prev)").count() == 7
        assert no_horizontal_scroll(page)
        ARTIFACTS.joinpath("pages").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "pages" / f"hr-unit-id-{width}.png"), full_page=True)
    finally:
        context.close()


def test_print_button_and_the_printed_personal_report(browser, live_server, employee):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        log_in(page, live_server, employee)
        page.goto(f"{live_server.url}/survey/{CLOSED}/result")
        page.evaluate("window.print = () => { window.printed = true; }")
        page.get_by_role("button", name="Cetak / Simpan PDF").click()
        assert page.evaluate("window.printed") is True
        nip = live_server.accounts[employee][0]
        page.emulate_media(media="print")
        expect(page.locator(".topbar")).to_be_hidden()
        expect(page.get_by_role("button", name="Cetak / Simpan PDF")).to_be_hidden()
        head = page.locator(".report-head")
        expect(head).to_be_visible()
        for text in ("Nama", "NIP", "Unit", "Periode", "Dicetak", "Semester I 2026"):
            expect(head).to_contain_text(text)
        assert re.sub(r"\D", "", head.inner_text()).find(nip) >= 0
        expect(page.locator("svg.chart")).to_be_visible()
        expect(page.locator("table.result-table")).to_be_visible()
        expect(page.get_by_role("heading", name="Yang perlu dikembangkan")).to_be_visible()
        folder = ARTIFACTS / "pages"
        folder.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        page.screenshot(path=str(folder / "result-print-id.png"), full_page=True)
        pdf = page.pdf(path=str(folder / "result-id.pdf"), format="A4", print_background=False)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one A4 page
    finally:
        context.close()


def test_no_page_asks_for_a_file_that_is_not_there(phone, live_server, employee):
    missing = []
    phone.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    log_in(phone, live_server, employee)
    for path in (
        "/",
        f"/survey/{OPEN}/page/1",
        f"/survey/{OPEN}/review",
        f"/survey/{CLOSED}/result",
    ):
        phone.goto(live_server.url + path)
        assert phone.title().endswith("· BerAKHLAK Penilaian Mandiri"), phone.title()
    phone.wait_for_timeout(300)  # the favicon is fetched after the page
    assert missing == []
