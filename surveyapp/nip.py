"""The one place where a NIP is read from what a person typed or a spreadsheet held."""

from __future__ import annotations

import re

NIP_LENGTH = 18
_SEPARATORS = re.compile(r"[\s.\-]")


class InvalidNip(ValueError):
    """The input cannot be an 18-digit NIP."""


def normalise_nip(raw: object) -> str:
    """Digits only, separators (spaces, dots, dashes) removed; exactly 18 digits or InvalidNip."""
    if raw is None:
        raise InvalidNip("empty")
    if isinstance(raw, bool) or not isinstance(raw, str):
        # A number from a spreadsheet has lost its last digits past 15 significant ones.
        raise InvalidNip("not text")
    nip = _SEPARATORS.sub("", raw.strip())
    if not nip.isascii() or not nip.isdigit() or len(nip) != NIP_LENGTH:
        raise InvalidNip("not 18 digits")
    return nip


def nip_digits(text: str) -> str:
    """The ASCII digits of a search text, to match the start of a NIP however it was typed
    ("1985 0612", "1985.0612"); `str.isdigit` would also keep "²" and "٣" (S37)."""
    return "".join(c for c in text if "0" <= c <= "9")


def format_nip(nip: str) -> str:
    """The printed layout 19900101 201503 1 001 (birth date, appointment, gender, sequence)."""
    if len(nip) != NIP_LENGTH:
        return nip
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
