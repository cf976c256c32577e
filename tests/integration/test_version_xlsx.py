"""A version's items to Excel and back into a draft (services/questionnaire_xlsx.py)."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from surveyapp.models import AuditLog, Item
from surveyapp.services import questionnaire_xlsx, questionnaires
from surveyapp.xlsx_reader import SpreadsheetRejected
from tests.integration.test_imports import xlsx

COLUMNS = questionnaire_xlsx.COLUMNS


@pytest.fixture
def draft(build, org, session):
    return questionnaires.new_draft(build.default_version(), actor=org.admin)


def _items(session, version):
    return session.scalars(
        sa.select(Item).where(Item.version_id == version.id).order_by(Item.position)
    ).all()


def test_s18_formula_like_item_text_is_exported_as_literal_text(draft, session):
    draft.items[0].text_id = '=HYPERLINK("http://evil","klik")'
    draft.items[1].text_en = "+SUM(A1:A9)"
    session.flush()
    buffer = io.BytesIO()
    questionnaire_xlsx.export_version(draft, buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet.cell(2, 4).value == '=HYPERLINK("http://evil","klik")'
    assert sheet.cell(2, 4).data_type == "s"
    assert sheet.cell(3, 5).value == "+SUM(A1:A9)" and sheet.cell(3, 5).data_type == "s"


def test_urutan_orders_the_imported_items(draft, org, session):
    rows = [
        ["KL-9", "KL", 1, "Butir ketiga", "", "Tidak", 3],
        ["BP-9", "BP", 1, "Butir pertama", "First", "Ya", 1],
        ["AK-9", "AK", 2, "Butir kedua", "", "tidak", 2],
        ["HA-9", "HA", 3, "Tanpa urutan", "", "Tidak", None],
    ]
    errors = questionnaire_xlsx.import_items(draft, xlsx(rows, header=COLUMNS), actor=org.admin)
    assert errors == []
    session.flush()
    items = _items(session, draft)
    assert [(i.code, i.position) for i in items] == [
        ("BP-9", 1),
        ("AK-9", 2),
        ("KL-9", 3),
        ("HA-9", 4),
    ]
    assert items[0].reverse and items[0].text_en == "First" and items[1].behaviour == 2
    entry = session.scalar(sa.select(AuditLog).where(AuditLog.action == "version_items_imported"))
    assert entry.after == {"items": 4} and entry.actor_id == org.admin.id


def test_a_bad_urutan_or_long_code_is_named_and_nothing_changes(draft, org, session):
    before = [(i.code, i.text_id) for i in _items(session, draft)]
    rows = [
        ["BP-9", "BP", 1, "Teks", "", "Tidak", "satu"],
        ["X" * 21, "AK", 1, "Teks", "", "Tidak", 2],
    ]
    errors = questionnaire_xlsx.import_items(draft, xlsx(rows, header=COLUMNS), actor=org.admin)
    assert [e.line() for e in errors] == [
        "row 2, column G: Urutan harus berupa bilangan bulat.",
        "row 3, column A: Paling banyak 20 karakter.",
    ]
    assert [(i.code, i.text_id) for i in _items(session, draft)] == before


def test_a_file_that_is_not_a_workbook_is_refused_before_anything_changes(draft, org, session):
    before = len(_items(session, draft))
    with pytest.raises(SpreadsheetRejected, match="bukan berkas Excel"):
        questionnaire_xlsx.import_items(draft, io.BytesIO(b"Kode,Nilai\n"), actor=org.admin)
    assert len(_items(session, draft)) == before


def test_a_published_version_is_never_replaced_from_a_file(build, org, session):
    published = build.default_version()
    rows = [["BP-9", "BP", 1, "Teks", "", "Tidak", 1]]
    with pytest.raises(questionnaires.QuestionnaireError):
        questionnaire_xlsx.import_items(published, xlsx(rows, header=COLUMNS), actor=org.admin)
    assert "BP-9" not in {i.code for i in _items(session, published)}
