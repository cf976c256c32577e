"""Every string a user sees has an Indonesian translation; English is complete too."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "ngettext:1,2",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_catalogue_translates_every_extracted_string(extracted, lang):
    path = ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalogue = read_po(fh, locale=lang)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and not m.fuzzy and (m.string if isinstance(m.string, str) else all(m.string))
    }
    missing = sorted(extracted - translated)
    assert not missing, f"untranslated in {lang}: {missing[:20]}"


def test_indonesian_differs_from_english_source():
    """A catalogue that only copies the English msgid is not a translation."""
    with (ROOT / "translations/id/LC_MESSAGES/messages.po").open("rb") as fh:
        catalogue = read_po(fh, locale="id")
    # Words Indonesian shares with English (or that are Indonesian terms already).
    shared = {"NIP", "Status", "Admin", "Golongan", "SD", "Total", "Menu", "Target"}
    same = [m.id for m in catalogue if m.id and m.string == m.id and m.id not in shared]
    assert same == [], same
