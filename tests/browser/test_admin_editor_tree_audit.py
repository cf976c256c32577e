"""The question bank editor, the tree of units of a new period and the audit log, in a
browser: on a 360 px phone nothing scrolls sideways, axe finds nothing serious or critical
(both languages, phone and desktop), the tree's script ticks a subtree and narrows the list,
and one item is saved from its own page. Screenshots of each page (360 and 1366 px, id and
en) go to tests/artifacts/editor/ for a person to look at.

The module makes a draft of its own (v2 of the demo questionnaire) and edits only that, so
the shared live server's published version and periods stay as the other modules expect."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, log_in, no_horizontal_scroll
from tests.browser.pages import each_view

BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def draft(live_server):
    """A draft copied from the demo's published version: its id and one item's."""
    return json.loads(
        live_server.python(
            """
import json
import sqlalchemy as sa
from surveyapp.models import Employee, QuestionnaireVersion
from surveyapp.services import questionnaires
admin = db.session.scalar(sa.select(Employee).where(Employee.is_admin.is_(True)))
base = db.session.scalar(sa.select(QuestionnaireVersion).order_by(QuestionnaireVersion.id))
draft = questionnaires.new_draft(base, actor=admin)
db.session.commit()
item = next(i for i in draft.items if i.code == "BP-1a")
print(json.dumps({"version": draft.id, "item": item.id}))
"""
        )
    )


def _pages(draft) -> dict[str, str]:
    v, i = draft["version"], draft["item"]
    return {
        "editor-list": f"/admin/questions/{v}",
        "editor-item": f"/admin/questions/{v}/items/{i}",
        "editor-settings": f"/admin/questions/{v}/settings",
        "editor-new-item": f"/admin/questions/{v}/items/new",
        "period-units": "/admin/periods/new",
        "audit": "/admin/audit",
        "admin-home": "/admin/",
    }


def test_pages_fit_a_phone_pass_axe_and_are_photographed(browser, live_server, draft):
    axe = Axe()
    folder = ARTIFACTS / "editor"
    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    for width, lang, page in each_view(browser, live_server, "admin"):
        for name, path in _pages(draft).items():
            page.goto(live_server.url + path)
            expect(page.locator("html")).to_have_attribute("lang", lang)
            if width == 360 and not no_horizontal_scroll(page):
                problems.append(f"{name} {lang}: scrolls sideways at 360 px")
            for v in axe.run(page).response["violations"]:
                if v["impact"] in BLOCKING:
                    targets = "; ".join(", ".join(map(str, n["target"])) for n in v["nodes"][:5])
                    problems.append(f"{name} {width}px {lang}: {v['id']} ({v['impact']}) {targets}")
            page.screenshot(path=str(folder / f"{name}-{lang}-{width}.png"), full_page=True)
    assert not problems, "\n".join(problems)


def test_one_item_is_saved_from_its_page_on_a_phone(phone, live_server, draft):
    log_in(phone, live_server, "admin")
    v, i = draft["version"], draft["item"]
    phone.goto(f"{live_server.url}/admin/questions/{v}")
    phone.locator(f"#item-{i} a.item-open").click()
    expect(phone.locator("h1")).to_have_text("Butir BP-1a")
    phone.get_by_label("Pernyataan dalam bahasa Indonesia").fill(
        "Saya melayani dengan sepenuh hati."
    )
    behaviour = phone.get_by_label("Perilaku yang diukur")
    assert "kebutuhan masyarakat" in behaviour.locator("option:checked").inner_text()
    phone.get_by_role("button", name="Simpan butir ini").click()
    expect(phone.locator(".flash-success")).to_contain_text("Butir BP-1a tersimpan")
    expect(phone.locator(f"#item-{i}")).to_contain_text("Saya melayani dengan sepenuh hati.")
    assert no_horizontal_scroll(phone)


def test_the_unit_tree_ticks_a_subtree_and_narrows_by_search(phone, live_server):
    log_in(phone, live_server, "admin")
    phone.goto(live_server.url + "/admin/periods/new")
    tree = phone.locator("[data-unit-tree]")
    parent = tree.locator(".unit-tree-root > li > ul > li").first  # a Dinas, with units below
    below = parent.locator("li input[type=checkbox]")
    assert below.count() > 0
    parent.locator(":scope > label input").check()
    for n in range(below.count()):
        expect(below.nth(n)).to_be_checked()
    below.first.uncheck()
    expect(parent.locator(":scope > label input")).not_to_be_checked()
    search = phone.get_by_label("Cari unit")
    expect(search).to_be_visible()
    code = below.nth(1).locator("xpath=..").inner_text().split("(")[-1].rstrip(")")
    search.fill(code.lower())
    visible = tree.locator("li label:visible")
    # The unit, and the units above it that lead there; the other 90 are hidden.
    assert 1 <= visible.count() <= 4
    assert code in visible.last.inner_text()
    search.fill("tidak ada unit seperti ini")
    expect(phone.locator("#unit-search-count")).to_have_text("Tidak ada unit yang cocok.")
    assert no_horizontal_scroll(phone)


def test_the_audit_log_filters_by_words_on_a_phone(phone, live_server):
    log_in(phone, live_server, "admin")
    phone.goto(live_server.url + "/admin/audit")
    phone.get_by_label("Kegiatan").select_option(label="Masuk")
    phone.get_by_role("button", name="Tampilkan", exact=True).click()
    sentences = phone.locator(".audit-sentence")
    assert sentences.count() > 0
    for n in range(min(sentences.count(), 10)):
        assert sentences.nth(n).inner_text().endswith(" masuk")
    assert no_horizontal_scroll(phone)
