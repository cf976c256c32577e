"""S18/S19: person text in a workbook is literal text, and odd text still gives a valid file."""

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from surveyapp.spreadsheet import MAX_CELL_CHARS, TRUNCATION_MARK, clean_text, text_cell


def _round_trip(values):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("S")
    sheet.append([text_cell(sheet, v) for v in values])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return list(load_workbook(buffer)["S"].iter_rows(min_row=1, max_row=1))[0]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["=", "+", "-", "@", "\t", "\r"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
)
def test_s18_formula_like_text_is_stored_as_a_string(trigger, rest):
    value = trigger + rest
    (cell,) = _round_trip([value])
    assert cell.data_type == "s"
    assert cell.value == clean_text(value)


def test_s18_hyperlink_formula_is_text():
    (cell,) = _round_trip(['=HYPERLINK("http://x","y")'])
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x","y")'


def test_s19_control_characters_emoji_and_long_text_give_a_valid_file():
    long_text = "a" * 40_000
    cells = _round_trip(["bell\x07 and nul\x00 gone", "Pegawai 👩‍💼 teladan", long_text])
    assert cells[0].value == "bell and nul gone"
    assert cells[1].value == "Pegawai 👩‍💼 teladan"
    assert len(cells[2].value) == MAX_CELL_CHARS
    assert cells[2].value.endswith(TRUNCATION_MARK)


def test_text_is_made_plain_and_excel_escapes_stay_literal():
    """Issue 18: tab, line breaks (NEL too) become a space; DEL, C1 controls, bidi overrides
    and zero-width spaces go; `_x003D_` is written so that Excel shows it as typed."""
    assert clean_text("a\tb\nc\r\nd\x85e\u2028f") == "a b c  d e f"
    assert clean_text("x\x7fy\x9bz\u202eq\u202c\u200b\ufeff") == "xyzq"
    assert clean_text("Made 👩\u200d💼") == "Made 👩\u200d💼"
    assert clean_text("_x003D_1+1") == "_x005F_x003D_1+1"
    assert clean_text("_x00_ and _xZZZZ_ stay") == "_x00_ and _xZZZZ_ stay"
    assert clean_text("plain ASCII text") == "plain ASCII text"
