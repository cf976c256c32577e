"""NIP normalisation: the one place a NIP is read."""

import pytest

from surveyapp.nip import InvalidNip, format_nip, normalise_nip


@pytest.mark.parametrize(
    "raw",
    [
        "199001012015031001",
        "19900101 201503 1 001",
        "19900101.201503.1.001",
        " 199001012015031001 ",
        "19900101-201503-1-001",
    ],
)
def test_accepts_separators(raw):
    assert normalise_nip(raw) == "199001012015031001"


@pytest.mark.parametrize(
    "raw",
    [
        "19900101201503100",  # 17 digits
        "1990010120150310011",  # 19 digits
        "19900101201503100A",
        "١٩٩٠٠١٠١٢٠١٥٠٣١٠٠١٢٣",  # non-ASCII digits
        "",
        None,
        199001012015031001,  # a number: Excel has already rounded it
        1.99001e17,
    ],
)
def test_refuses_anything_else(raw):
    with pytest.raises(InvalidNip):
        normalise_nip(raw)


def test_format_groups_the_parts():
    assert format_nip("199001012015031001") == "19900101 201503 1 001"
