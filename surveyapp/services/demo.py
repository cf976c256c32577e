"""A demo Pemkot that looks real and is obviously fake, for `flask seed-demo`."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from .. import demo_data
from ..extensions import db
from ..models import (
    RESPONSE_DRAFT,
    RESPONSE_SUBMITTED,
    Answer,
    Employee,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    RosterEntry,
    Unit,
    utcnow,
)
from . import accounts, audit, org, periods, results

DEMO_PASSWORDS = {
    "admin": "Admin-Demo-2026!",
    "hr": "Hr-Demo-2026-Kominfo",
    "employee": "Pegawai-Demo-2026",
}
HR_SCOPE_CODE = "DISKOMINFO"


class SeedRefused(RuntimeError):
    """The database holds data that is not demo data, or is already seeded."""


@dataclass(frozen=True)
class DemoAccount:
    role: str
    nip: str
    password: str

    def line(self) -> str:
        return f"demo-account {self.role} {self.nip} {self.password}"


def demo_accounts() -> list[DemoAccount]:
    """The three printed accounts of an already seeded demo database."""
    accounts_found = []
    for role, condition in (
        ("admin", Employee.is_admin.is_(True)),
        ("hr", sa.and_(Employee.is_hr.is_(True), Employee.is_admin.is_(False))),
        ("employee", sa.and_(Employee.is_hr.is_(False), Employee.is_admin.is_(False))),
    ):
        nip = db.session.scalar(
            sa.select(Employee.nip)
            .where(condition, Employee.is_demo.is_(True), Employee.password_hash.is_not(None))
            .order_by(Employee.id)
            .limit(1)
        )
        if nip:
            accounts_found.append(DemoAccount(role, nip, DEMO_PASSWORDS[role]))
    return accounts_found


def check_environment(env_name: str) -> None:
    """The demo passwords are printed in the README: a production database never gets them."""
    if env_name == "production":
        raise SeedRefused(
            "seed-demo does not run with SURVEYAPP_ENV=production: the demo accounts' "
            "passwords are public. Nothing was written."
        )


def active_demo_accounts() -> int:
    """How many demo people (marked `is_demo` by seed-demo, never by an import) may still
    log in or be activated; the production preflight refuses to start while any may."""
    return db.session.scalar(
        sa.select(sa.func.count(Employee.id)).where(
            Employee.is_demo.is_(True), Employee.active.is_(True)
        )
    )


def deactivate_demo_accounts() -> int:
    """Close every demo account and end its sessions, for a database that must go live."""
    people = db.session.scalars(
        sa.select(Employee).where(Employee.is_demo.is_(True), Employee.active.is_(True))
    ).all()
    for person in people:
        person.active = False
        accounts.end_all_sessions(person)
    if people:
        audit.record("demo_accounts_deactivated", after={"count": len(people)})
    return len(people)


def has_employees() -> bool:
    return bool(db.session.scalar(sa.select(sa.func.count(Employee.id))))


def check_empty() -> None:
    real = db.session.scalar(
        sa.select(sa.func.count(Employee.id)).where(Employee.is_demo.is_(False))
    )
    if real:
        raise SeedRefused(
            f"The database holds {real} non-demo employees; seed-demo will not touch it."
        )
    if db.session.scalar(sa.select(sa.func.count(Employee.id))):
        raise SeedRefused("The database already holds demo data.")
    if db.session.scalar(sa.select(sa.func.count(Unit.id))):
        raise SeedRefused("The database already holds units; seed-demo needs an empty roster.")


def make_nip(rng: random.Random, seq: int, pppk: bool) -> str:
    """Birth date (8) + appointment year-month (6) + gender (1) + sequence (3)."""
    birth = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 35 * 365))
    start_year = min(2025, birth.year + rng.randint(22, 35))
    if pppk:
        start_year = max(start_year, 2022)
    month = rng.choice((1, 3, 4, 10, 12)) if not pppk else rng.choice((1, 3, 10))
    gender = rng.choice("12")
    return f"{birth:%Y%m%d}{start_year:04d}{month:02d}{gender}{seq % 1000:03d}"


def _person_name(rng: random.Random, gender: str) -> str:
    first = rng.choice(
        demo_data.FIRST_NAMES_MALE if gender == "1" else demo_data.FIRST_NAMES_FEMALE
    )
    prefix = rng.choice(demo_data.TITLES_PREFIX)
    if prefix.strip() == "dr." and rng.random() < 0.7:
        prefix = ""
    return (
        f"{prefix}{first} {rng.choice(demo_data.LAST_NAMES)}{rng.choice(demo_data.TITLES_SUFFIX)}"
    )


def seed(employees: int = 200, seed_value: int = 2026, progress=None) -> list[DemoAccount]:
    """Build the demo organisation, people, a closed and an open period with responses.
    `progress(done, total)` hears of each third: the people, then each period's answers."""
    check_empty()
    progress = progress or (lambda done, total: None)
    steps = 3 * max(employees, 3)
    rng = random.Random(seed_value)  # reproducible demo data, not a secret  # nosec B311
    version = db.session.scalar(
        sa.select(QuestionnaireVersion)
        .join(Questionnaire)
        .order_by(QuestionnaireVersion.id)
        .limit(1)
    )
    if version is None:
        raise SeedRefused("No questionnaire found; run `flask db upgrade` first.")

    units: dict[str, Unit] = {}
    for code, name, parent_code, _depth in demo_data.flatten(demo_data.ORG_TREE):
        units[code] = org.add_unit(code, name, units[parent_code] if parent_code else None)
    root = units[demo_data.ORG_TREE["code"]]
    # People sit mostly in the lower units; a unit's "culture" shifts its scores.
    placeable = [u for u in units.values() if u is not root]
    weights = [1 + 2 * u.depth for u in placeable]
    culture = {u.id: rng.gauss(0, 0.45) for u in units.values()}

    nips: set[str] = set()
    people: list[dict] = []
    for i in range(max(employees, 3)):
        pppk = rng.random() < 0.2
        nip = make_nip(rng, i + 1, pppk)
        while nip in nips:
            nip = make_nip(rng, rng.randrange(1000), pppk)
        nips.add(nip)
        unit = rng.choices(placeable, weights)[0]
        people.append(
            {
                "nip": nip,
                "name": _person_name(rng, nip[14]),
                "unit_id": unit.id,
                "jabatan": rng.choice(demo_data.JABATAN),
                "golongan": rng.choice(demo_data.GOLONGAN_PPPK if pppk else demo_data.GOLONGAN_PNS),
                "jenis": "PPPK" if pppk else "PNS",
                "email": None,
                "is_demo": True,
                "active": True,
                "locale": None,
            }
        )
    db.session.execute(sa.insert(Employee), people)
    db.session.flush()
    progress(steps // 3, steps)
    staff = list(db.session.scalars(sa.select(Employee).order_by(Employee.id)))

    # The three printed accounts.
    admin_unit = next((u for u in units.values() if u.code.startswith("BKPSDM")), placeable[0])
    hr_scope = units.get(HR_SCOPE_CODE) or placeable[0]
    admin, hr, employee = staff[0], staff[1], staff[2]
    admin.unit_id, admin.is_admin, admin.jabatan = admin_unit.id, True, "Pranata Komputer Ahli Muda"
    hr.unit_id, hr.is_hr, hr.hr_unit_id = hr_scope.id, True, hr_scope.id
    hr.jabatan = "Analis Sumber Daya Manusia Aparatur Ahli Pertama"
    below = [u for u in placeable if u.path.startswith(hr_scope.path) and u is not hr_scope]
    employee.unit_id = (below or [hr_scope])[0].id
    for person, role in ((admin, "admin"), (hr, "hr"), (employee, "employee")):
        accounts.set_password(person, DEMO_PASSWORDS[role])
    db.session.flush()

    items = list(db.session.scalars(sa.select(Item).where(Item.version_id == version.id)))
    now = utcnow().replace(microsecond=0)
    past = periods.create_period(
        code="2026-S1",
        name="Penilaian Mandiri BerAKHLAK Semester I 2026",
        version=version,
        opens_at=now - timedelta(days=200),
        closes_at=now - timedelta(days=170),
        scope_units=[root],
        hide_individuals=True,
    )
    periods.open_period(past)
    _fill(
        past,
        items,
        version,
        rng,
        culture,
        staff,
        submit_rate=0.86,
        draft_rate=0.06,
        demo_employee=employee,
        demo_state="submitted",
    )
    periods.close_period(past)
    progress(2 * steps // 3, steps)

    current = periods.create_period(
        code="2026-S2",
        name="Penilaian Mandiri BerAKHLAK Semester II 2026",
        version=version,
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=18),
        scope_units=[root],
        hide_individuals=True,
    )
    periods.open_period(current)
    _fill(
        current,
        items,
        version,
        rng,
        culture,
        staff,
        submit_rate=0.42,
        draft_rate=0.2,
        demo_employee=employee,
        demo_state="half",
    )
    db.session.flush()
    progress(steps, steps)
    return [
        DemoAccount("admin", admin.nip, DEMO_PASSWORDS["admin"]),
        DemoAccount("hr", hr.nip, DEMO_PASSWORDS["hr"]),
        DemoAccount("employee", employee.nip, DEMO_PASSWORDS["employee"]),
    ]


def _fill(
    period,
    items,
    version,
    rng,
    culture,
    staff,
    *,
    submit_rate,
    draft_rate,
    demo_employee,
    demo_state,
) -> None:
    """Responses with answers that vary by person, unit and value, in a few bulk inserts."""
    roster = db.session.execute(
        sa.select(RosterEntry.employee_id, RosterEntry.unit_id, RosterEntry.unit_path).where(
            RosterEntry.period_id == period.id
        )
    ).all()
    value_shift = {code: rng.gauss(0, 0.25) for code in ("BP", "AK", "KO", "HA", "LO", "AD", "KL")}
    span = (period.closes_at - period.opens_at).total_seconds()
    plans = []
    for employee_id, unit_id, unit_path in roster:
        if employee_id == demo_employee.id:
            state = demo_state
        else:
            roll = rng.random()
            state = (
                "submitted"
                if roll < submit_rate
                else "half"
                if roll < submit_rate + draft_rate
                else None
            )
        if state is None:
            continue
        started = period.opens_at + timedelta(seconds=rng.uniform(0, span * 0.8))
        duration = timedelta(seconds=rng.uniform(240, 1500) if rng.random() > 0.03 else 30)
        submitted_at = started + duration if state == "submitted" else None
        plans.append((employee_id, unit_id, unit_path, state, started, submitted_at))
    if not plans:
        return
    response_ids = db.session.scalars(
        sa.insert(Response).returning(Response.id, sort_by_parameter_order=True),
        [
            {
                "period_id": period.id,
                "employee_id": e,
                "unit_id": u,
                "unit_path": p,
                "state": RESPONSE_SUBMITTED if s == "submitted" else RESPONSE_DRAFT,
                "started_at": st,
                "updated_at": sub or st,
                "submitted_at": sub,
            }
            for e, u, p, s, st, sub in plans
        ],
    ).all()
    answers = []
    lo, hi = version.scale_min, version.scale_max
    for response_id, (_e, unit_id, _p, state, started, _sub) in zip(
        response_ids, plans, strict=True
    ):
        trait = culture.get(unit_id, 0.0) + rng.gauss(0, 0.55)
        straight = rng.random() < 0.02
        chosen = items if state == "submitted" else items[: len(items) // 2]
        for n, item in enumerate(chosen):
            if straight:
                value = hi
            else:
                latent = 3.7 + trait + value_shift[item.core_value.code] + rng.gauss(0, 0.7)
                value = min(hi, max(lo, int(math.floor(latent + 0.5))))
                if item.reverse:
                    value = lo + hi - value
            answers.append(
                {
                    "response_id": response_id,
                    "item_id": item.id,
                    "value": value,
                    "answered_at": started + timedelta(seconds=20 * (n + 1)),
                }
            )
    db.session.execute(sa.insert(Answer), answers)
    submitted = [r for r, plan in zip(response_ids, plans, strict=True) if plan[3] == "submitted"]
    results.store_value_sums(submitted)
