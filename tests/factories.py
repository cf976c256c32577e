"""Builders for the domain objects, so a test says only what matters to it."""

from __future__ import annotations

import itertools
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from surveyapp.models import (
    RESPONSE_DRAFT,
    RESPONSE_SUBMITTED,
    Answer,
    CultureChoice,
    Employee,
    Period,
    QuestionnaireVersion,
    Response,
    RosterEntry,
    Unit,
    utcnow,
)
from surveyapp.services import accounts, org, periods, results

PASSWORD = "Kata-Sandi-Uji-2026"
_seq = itertools.count(1)


def nip_for(n: int, gender: str = "1") -> str:
    """A valid NIP for the n-th person a test builds. Its TMT (2010-02) keeps it apart from
    the fixed NIPs tests type in import files (1985061220100110xx...), which a long run's
    sequence would otherwise reach."""
    return f"19850612201002{gender}{n % 1000:03d}"


def login_session(client, employee: Employee) -> None:
    with client.session_transaction() as sess:
        sess["_user_id"] = employee.get_id()
        sess["_fresh"] = True
        sess["login_at"] = sess["seen_at"] = time.time()
        sess.permanent = True


@dataclass
class StandardOrg:
    root: Unit
    dinas_a: Unit
    bidang_a1: Unit
    dinas_b: Unit
    employee: Employee
    colleague: Employee
    other: Employee
    hr_a: Employee
    hr_b: Employee
    admin: Employee


class Builder:
    def __init__(self, session):
        self.session = session

    def default_version(self) -> QuestionnaireVersion:
        return self.session.scalar(
            sa.select(QuestionnaireVersion).order_by(QuestionnaireVersion.id).limit(1)
        )

    def culture_version(self) -> QuestionnaireVersion:
        """The default questionnaire's version with the culture map (migration 0009)."""
        from surveyapp.models import CultureMap

        return self.session.scalar(
            sa.select(QuestionnaireVersion)
            .join(CultureMap, CultureMap.version_id == QuestionnaireVersion.id)
            .order_by(QuestionnaireVersion.id)
            .limit(1)
        )

    def unit(self, code: str | None = None, name: str | None = None, parent: Unit | None = None):
        n = next(_seq)
        return org.add_unit(code or f"U{n}", name or f"Unit {n}", parent)

    def employee(
        self,
        unit: Unit,
        *,
        nip: str | None = None,
        name: str | None = None,
        password: str | None = PASSWORD,
        hr_unit: Unit | None = None,
        admin: bool = False,
        active: bool = True,
        jenis: str = "PNS",
    ) -> Employee:
        n = next(_seq)
        person = Employee(
            nip=nip or nip_for(n),
            name=name or f"Pegawai {n}",
            unit=unit,
            jabatan="Analis",
            golongan="III/a",
            jenis=jenis,
            is_hr=hr_unit is not None,
            hr_unit=hr_unit,
            is_admin=admin,
            active=active,
        )
        if password:
            person.password_hash = accounts.hash_secret(password)
        self.session.add(person)
        self.session.flush()
        return person

    def standard_org(self) -> StandardOrg:
        root = self.unit("ROOT", "Pemerintah Kota Uji")
        dinas_a = self.unit("DINAS-A", "Dinas A", root)
        bidang_a1 = self.unit("A-1", "Bidang A1", dinas_a)
        dinas_b = self.unit("DINAS-B", "Dinas B", root)
        return StandardOrg(
            root=root,
            dinas_a=dinas_a,
            bidang_a1=bidang_a1,
            dinas_b=dinas_b,
            employee=self.employee(bidang_a1, name="Siti Rahmawati"),
            colleague=self.employee(bidang_a1, name="Budi Santoso"),
            other=self.employee(dinas_b, name="Made Wirawan"),
            hr_a=self.employee(dinas_a, hr_unit=dinas_a, name="Rina HR A"),
            hr_b=self.employee(dinas_b, hr_unit=dinas_b, name="Agus HR B"),
            admin=self.employee(root, admin=True, name="Admin Kota"),
        )

    def period(
        self,
        units: list[Unit],
        *,
        version: QuestionnaireVersion | None = None,
        state: str = "open",
        hide_individuals: bool = True,
        code: str | None = None,
        days_left: int = 14,
    ) -> Period:
        n = next(_seq)
        now = utcnow()
        period = periods.create_period(
            code=code or f"P{n}",
            name=f"Periode {n}",
            version=version or self.default_version(),
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=days_left),
            scope_units=units,
            hide_individuals=hide_individuals,
        )
        if state in ("open", "closed"):
            periods.open_period(period)
        if state == "closed":
            periods.close_period(period)
        self.session.flush()
        return period

    def response(
        self,
        period: Period,
        employee: Employee,
        answers: dict[str, int] | int | None = None,
        *,
        submitted: bool = True,
        choices: dict[str, list[int]] | None = None,
    ) -> Response:
        """A response with answers by item code (or one value for every item), and culture-map
        choices (lens -> behaviour ids) made before it is submitted, as on the pages."""
        roster = self.session.scalar(
            sa.select(RosterEntry).where(
                RosterEntry.period_id == period.id, RosterEntry.employee_id == employee.id
            )
        )
        unit_id = roster.unit_id if roster else employee.unit_id
        unit_path = roster.unit_path if roster else employee.unit.path
        now = utcnow()
        response = Response(
            period_id=period.id,
            employee_id=employee.id,
            unit_id=unit_id,
            unit_path=unit_path,
            state=RESPONSE_SUBMITTED if submitted else RESPONSE_DRAFT,
            started_at=now - timedelta(minutes=15),
            updated_at=now,
            submitted_at=now if submitted else None,
        )
        self.session.add(response)
        self.session.flush()
        items = period.version.items
        if answers is None:
            answers = 4
        for item in items:
            value = answers if isinstance(answers, int) else answers.get(item.code)
            if value is None:
                continue
            self.session.add(Answer(response_id=response.id, item_id=item.id, value=value))
        for lens, behaviour_ids in (choices or {}).items():
            self.session.add_all(
                CultureChoice(response_id=response.id, lens=lens, behaviour_id=b)
                for b in behaviour_ids
            )
        self.session.flush()
        if submitted:  # as responses.submit does
            results.store_value_sums([response.id])
        return response


def download_export(client, url: str, unit=None):
    """Start an export (a background job; inline in tests) and download its file."""
    started = client.post(url, data={"unit": "" if unit is None else str(unit)})
    assert started.status_code == 303, started.status_code
    return client.get(started.headers["Location"] + "/download")


@contextmanager
def count_statements():
    """Collect the SQL statements sent while the block runs (to pin a fixed number)."""
    from surveyapp.extensions import db

    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)
