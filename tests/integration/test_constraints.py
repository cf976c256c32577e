"""The schema itself refuses bad data, not only the code in front of it."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DataError, IntegrityError

from surveyapp.models import Answer, Employee, Response


def _insert_fails(session, statement, errors=IntegrityError):
    with pytest.raises(errors), session.begin_nested():
        session.execute(statement)


def test_second_response_for_same_period_and_person_is_refused_by_database(build, session, org):
    period = build.period([org.root])
    build.response(period, org.employee)
    _insert_fails(
        session,
        sa.insert(Response).values(
            period_id=period.id,
            employee_id=org.employee.id,
            unit_id=org.bidang_a1.id,
            unit_path=org.bidang_a1.path,
            state="draft",
            started_at=sa.func.now(),
            updated_at=sa.func.now(),
        ),
    )


def test_second_answer_for_same_item_is_refused(build, session, org):
    period = build.period([org.root])
    response = build.response(period, org.employee, submitted=False)
    item = period.version.items[0]
    _insert_fails(
        session,
        sa.insert(Answer).values(
            response_id=response.id, item_id=item.id, value=3, answered_at=sa.func.now()
        ),
    )


def test_duplicate_nip_is_refused(build, session, org):
    _insert_fails(
        session,
        sa.insert(Employee).values(
            nip=org.employee.nip,
            name="Kembar",
            unit_id=org.root.id,
            jabatan="",
            golongan="",
            jenis="PNS",
            created_at=sa.func.now(),
        ),
    )


@pytest.mark.parametrize("nip", ["12345", "1985061220100110011"])
def test_nip_of_wrong_length_is_refused(session, org, nip):
    _insert_fails(
        session,
        sa.insert(Employee).values(
            nip=nip,
            name="X",
            unit_id=org.root.id,
            jabatan="",
            golongan="",
            jenis="PNS",
            created_at=sa.func.now(),
        ),
        # PostgreSQL stops an over-long value at the column's type, SQLite at the CHECK.
        errors=(IntegrityError, DataError),
    )


@pytest.mark.parametrize("value", [-1, 11])
def test_answer_outside_any_scale_is_refused(build, session, org, value):
    period = build.period([org.root])
    response = build.response(period, org.employee, {}, submitted=False)
    _insert_fails(
        session,
        sa.insert(Answer).values(
            response_id=response.id,
            item_id=period.version.items[0].id,
            value=value,
            answered_at=sa.func.now(),
        ),
    )


def test_submitted_response_needs_submission_time(build, session, org):
    period = build.period([org.root])
    response = build.response(period, org.employee, submitted=False)
    _insert_fails(
        session,
        sa.update(Response).where(Response.id == response.id).values(state="submitted"),
    )


def test_foreign_keys_are_enforced(session, org):
    _insert_fails(
        session,
        sa.insert(Employee).values(
            nip="198506122010011999",
            name="X",
            unit_id=999_999,
            jabatan="",
            golongan="",
            jenis="PNS",
            created_at=sa.func.now(),
        ),
    )


def test_default_questionnaire_after_upgrade(build):
    """Seven values; every one of the 21 behaviours has an item; a reverse item per value."""
    version = build.default_version()
    assert version.questionnaire.name == "Penilaian Mandiri BerAKHLAK"
    assert version.number == 1
    assert (version.scale_min, version.scale_max) == (1, 5)
    assert version.scale_labels["id"] == [
        "Tidak pernah",
        "Jarang",
        "Kadang-kadang",
        "Sering",
        "Selalu",
    ]
    assert version.min_group_size == 5
    assert [b["lower"] for b in version.bands] == [85, 70, 55, 0]
    codes = [i.core_value.code for i in version.items]
    assert sorted(set(codes)) == sorted(["BP", "AK", "KO", "HA", "LO", "AD", "KL"])
    behaviours = {(i.core_value.code, i.behaviour) for i in version.items}
    assert len(behaviours) == 21
    for value in {"BP", "AK", "KO", "HA", "LO", "AD", "KL"}:
        assert any(i.reverse for i in version.items if i.core_value.code == value)
    assert all(i.text_id and i.text_en for i in version.items)
