"""The field rules on their own: what they keep, what they change, what they refuse (each
refusal named by its message, whatever the language)."""

from __future__ import annotations

import pytest

from surveyapp import validation
from surveyapp.models import Employee, Unit


def test_limits_are_the_columns_lengths():
    assert validation.NAME_MAX == Employee.name.type.length == 200
    assert validation.GOLONGAN_MAX == Employee.golongan.type.length == 20
    assert validation.UNIT_CODE_MAX == Unit.code.type.length == 40


def test_a_name_is_trimmed_and_its_spaces_collapsed_never_cut():
    assert validation.person_name("  Dewi \t Lestari\u00a0 ") == "Dewi Lestari"
    assert validation.person_name("N" * 200) == "N" * 200
    with pytest.raises(validation.Invalid) as refused:
        validation.person_name("N" * 201)
    assert refused.value.message is validation.MSG_TOO_LONG and refused.value.values == {"n": 200}
    with pytest.raises(validation.Missing):
        validation.person_name(" \n ")
    with pytest.raises(validation.Invalid) as refused:
        validation.person_name("Dewi\x07")
    assert refused.value.message is validation.MSG_CONTROL


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("", None),
        ("   ", None),
        (None, None),
        ("dewi@contoh.go.id", "dewi@contoh.go.id"),
        (" Dewi.Lestari@Contoh.GO.ID ", "Dewi.Lestari@contoh.go.id"),
        ("d+survei@bkd.kota-uji.go.id", "d+survei@bkd.kota-uji.go.id"),
        ("x@xn--80ak6aa92e.com", "x@xn--80ak6aa92e.com"),
    ],
)
def test_good_addresses(typed, stored):
    assert validation.email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "dewi @contoh.go.id",
        "dewi@contoh .go.id",
        "dewi@contoh.go.id dewi2@contoh.go.id",
        "dewi at contoh",
        "dewi@",
        "@contoh.go.id",
        "dewi@contoh",
        "dewi@@contoh.go.id",
        "dewi..lestari@contoh.go.id",
        ".dewi@contoh.go.id",
        "dewi@-contoh.go.id",
        "dewi@contoh.go.i",
        "dewi@contoh.go.id.",
        "déwi@contoh.go.id",
        "dewi\x00@contoh.go.id",
        "d" * 65 + "@contoh.go.id",
        "dewi@" + "a" * 250 + ".id",
    ],
)
def test_bad_addresses(typed):
    with pytest.raises(validation.Invalid) as refused:
        validation.email(typed)
    assert refused.value.message is validation.MSG_EMAIL


def test_jenis_in_any_case():
    assert validation.jenis(" pppk ") == "PPPK"
    with pytest.raises(validation.Invalid) as refused:
        validation.jenis("Honorer")
    assert refused.value.message is validation.MSG_JENIS
    with pytest.raises(validation.Missing):
        validation.jenis("")


def test_a_unit_code_is_one_word():
    assert validation.unit_code(" DINAS-A ") == "DINAS-A"
    for bad in ("DINAS A", "DINAS\u00a0A", "K" * 41):
        with pytest.raises(validation.Invalid):
            validation.unit_code(bad)


def test_clean_names_the_refused_field():
    values = {"name": "Dewi", "jabatan": "", "golongan": "G" * 21, "jenis": "PNS", "email": None}
    with pytest.raises(validation.Invalid) as refused:
        validation.clean(values, validation.EMPLOYEE_RULES)
    assert refused.value.field == "golongan" and refused.value.values == {"n": 20}


def test_a_name_loses_the_invisible_characters_that_reorder_or_hide_it():
    """Issue 18: a right-to-left override or a zero-width space typed or imported into a name
    would print it reversed or garbled; line breaks, tabs and NEL fold into one space."""
    assert validation.person_name("Budi\u202e ikswoP\u202c") == "Budi ikswoP"
    assert validation.person_name("De\u200bwi\ufeff\tLes\u0085tari\u2028") == "Dewi Les tari"
    assert validation.unit_name("Bagian\u2066 Umum\u2069\n") == "Bagian Umum"
    assert validation.person_name("Made 👩\u200d💼") == "Made 👩\u200d💼"  # a joiner stays
    with pytest.raises(validation.Invalid):
        validation.person_name("Dewi\x7f")  # DEL is still refused, as a control character
