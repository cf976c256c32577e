"""The demo employee finishes the open period's draft on a 360 px phone with the keyboard
only: Tab to move, Space to tick a radio or the confirmation box, Enter on buttons. No click.

It sends the demo employee's answers, so it lives in a file that runs after the journeys
that expect the draft (pytest runs the files in name order)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in, no_horizontal_scroll
from tests.browser.pages import OPEN

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e) return {};
  const group = e.type === 'radio'
    ? document.querySelectorAll(`input[name="${e.name}"]:checked`).length : 0;
  return {tag: e.tagName, type: e.type || '', name: e.name || '', value: e.value || '',
          checked: !!e.checked, group,
          chosen: document.querySelectorAll('input[name="choice"]:checked').length,
          pick: e.form && e.form.dataset.pick ? Number(e.form.dataset.pick) : 0,
          inForm: !!e.closest('form.questionnaire, form.culture, form.submit-form')};
}"""


def _tab_to_the_next_step(page, limit=400) -> str:
    """Tab through the page; Space on each unanswered radio group and on the confirmation,
    Enter on the button that goes forward. Says which button it pressed."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        here = page.evaluate(FOCUSED)
        if here.get("type") == "radio" and not here["group"]:
            page.keyboard.press("Space")
            assert page.evaluate(FOCUSED)["checked"]
        elif (
            here.get("type") == "checkbox"
            and here["name"] == "choice"
            and not here["checked"]
            and here["chosen"] < here["pick"]
        ):  # the culture map: tick until the lens holds its number
            page.keyboard.press("Space")
        elif here.get("type") == "checkbox" and here["name"] == "confirm" and not here["checked"]:
            page.keyboard.press("Space")
        elif here.get("tag") == "BUTTON" and here["inForm"] and here["value"] in {"next", "review"}:
            with page.expect_navigation():  # measure the next page once it has loaded
                page.keyboard.press("Enter")
            return here["value"]
        elif (
            here.get("tag") == "BUTTON"
            and here["inForm"]
            and here["type"] == "submit"
            and (not here["value"])
        ):
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return "send"
    raise AssertionError(f"no way forward found with Tab on {page.url}")


def test_employee_answers_the_rest_and_sends_with_the_keyboard_only(phone, live_server):
    log_in(phone, live_server, "employee")
    phone.goto(f"{live_server.url}/survey/{OPEN}/page/1")
    # Whatever language an earlier test left the demo employee in: the keys are the same.
    for number in range(1, 11):  # seven values, then the culture map's three lenses
        expect(phone).to_have_url(re.compile(f"/page/{number}$"))
        assert no_horizontal_scroll(phone)
        pressed = _tab_to_the_next_step(phone)
        assert pressed == ("review" if number == 10 else "next")
    expect(phone).to_have_url(re.compile("/review$"))
    expect(phone.locator("form.submit-form button[type=submit]")).to_be_visible()
    assert _tab_to_the_next_step(phone) == "send"
    expect(phone).to_have_url(re.compile("/result$"))
    expect(phone.locator("svg.chart")).to_be_visible()
