"""On a 360 px phone every word and number drawn in an SVG chart stays readable: each
<text> renders at least 11 px tall, on the employee's result and the HR unit page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.pages import CLOSED, resolve

SMALLEST = 11


@pytest.mark.parametrize(
    "role, path",
    [
        pytest.param("employee", f"/survey/{CLOSED}/result", id="employee-result"),
        pytest.param("hr", "/hr/periods/{closed}/units/{unit}", id="hr-unit"),
    ],
)
def test_chart_text_is_at_least_11px_on_a_phone(phone, live_server, role, path):
    log_in(phone, live_server, role)
    phone.goto(live_server.url + path.format(**resolve(live_server)))
    expect(phone.locator("svg text").first).to_be_attached()
    heights = phone.evaluate(
        """() => [...document.querySelectorAll('svg text')]
            .filter(t => t.textContent.trim())
            .map(t => [t.textContent.trim(), t.getBoundingClientRect().height])"""
    )
    assert heights
    small = [(text, round(h, 1)) for text, h in heights if h < SMALLEST]
    assert not small, small
