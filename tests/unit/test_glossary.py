"""docs/glossary.md: one word per thing. The catalogue gives each state and action the one
Indonesian term the glossary names, on every screen that shows it (issue 17, item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]

# msgid -> the glossary's term; the msgstr must be the term or start with it.
TERMS = {
    "Not started": "Belum mulai",
    "Not filled in": "Belum mulai",
    "Who has not submitted": "Belum mengirim",
    "Closes": "Batas waktu",
    "Filter": "Tampilkan",
    "Show": "Tampilkan",
    "Core value": "Nilai dasar",
    "Item score": "Skor",
}


@pytest.fixture(scope="module")
def indonesian():
    with (ROOT / "translations/id/LC_MESSAGES/messages.po").open("rb") as fh:
        return {m.id: m.string for m in read_po(fh, locale="id") if isinstance(m.id, str)}


@pytest.mark.parametrize(("msgid", "term"), sorted(TERMS.items()))
def test_one_indonesian_word_per_thing(indonesian, msgid, term):
    assert msgid in indonesian, f"{msgid!r} is not in the catalogue"
    assert indonesian[msgid].startswith(term), (msgid, indonesian[msgid], term)


def test_every_pinned_term_is_in_the_glossary():
    glossary = (ROOT / "docs/glossary.md").read_text(encoding="utf-8")
    for term in set(TERMS.values()):
        assert f"| {term} |" in glossary, term
