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
    LENSES,
    RESPONSE_DRAFT,
    RESPONSE_SUBMITTED,
    Answer,
    CultureChoice,
    Employee,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    Reminder,
    Response,
    RosterEntry,
    Unit,
    utcnow,
)
from . import accounts, audit, culture_map, org, periods, reminders, results, targets

DEMO_PASSWORDS = {
    "admin": "Admin-Demo-2026!",
    "hr": "Hr-Demo-2026-Kominfo",
    "employee": "Pegawai-Demo-2026",
}
HR_SCOPE_CODE = "DISKOMINFO"
# Share of the demo staff in the demo HR's Dinas: about ten people in each of its units at the
# default size, enough for unit results (MIN_GROUP_SIZE) in the closed period.
HR_DINAS_SHARE = 0.45


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


def make_nip(rng: random.Random, seq: int, pppk: bool, age: tuple[int, int] = (23, 57)) -> str:
    """Birth date (8) + appointment year-month (6) + gender (1) + sequence (3); the person is
    `age` years old today (below retirement age), appointed after 18."""
    today = date.today()
    days = rng.randrange(int(age[0] * 365.25) + 1, int((age[1] + 1) * 365.25) - 1)
    birth = today - timedelta(days=days)
    start_year = min(today.year - 1, birth.year + rng.randint(22, 35))
    if pppk:
        start_year = max(start_year, 2022)
    month = rng.choice((1, 3, 4, 10, 12)) if not pppk else rng.choice((1, 3, 10))
    gender = rng.choice("12")
    return f"{birth:%Y%m%d}{start_year:04d}{month:02d}{gender}{seq % 1000:03d}"


def _person_name(rng: random.Random, gender: str, jabatan: str) -> str:
    first = rng.choice(
        demo_data.FIRST_NAMES_MALE if gender == "1" else demo_data.FIRST_NAMES_FEMALE
    )
    prefix = "dr. " if jabatan.startswith("Dokter") else ""
    suffix = ", M.Kes." if prefix and rng.random() < 0.3 else ""
    if not prefix:
        suffix = rng.choice(demo_data.TITLES_SUFFIX)
    return f"{prefix}{first} {rng.choice(demo_data.LAST_NAMES)}{suffix}"


def _grade(jabatan: str) -> str:
    """The kind of post, which sets the rank and the age range (demo_data.GRADES)."""
    if jabatan in ("Sekretaris Daerah", "Kepala Dinas", "Kepala Badan"):
        return "jpt"
    if jabatan in demo_data.ADMINISTRATOR_POSTS:
        return "administrator"
    if jabatan.startswith("Kepala ") or jabatan == "Lurah":
        return "pengawas"
    for kind in ("ahli muda", "ahli pertama", "terampil"):
        if jabatan.lower().endswith(kind):
            return kind
    return "pelaksana"


def _head_of(unit: Unit) -> str:
    word = unit.name.split()[0]
    if unit.depth == 1:
        return demo_data.HEAD_OF_PERANGKAT_DAERAH.get(word, "Kepala Badan")
    return demo_data.HEAD_BY_UNIT_WORD.get(word, "Kepala Seksi")


def _jobs_in(unit: Unit, units_by_id: dict[int, Unit]) -> tuple[str, ...]:
    """General posts everywhere; the Dinas's own trade outside its secretariat."""
    top = unit
    while top.depth > 1:
        top = units_by_id[top.parent_id]
    office = unit.name.split()[0] in ("Sekretariat", "Subbagian", "Bagian")
    trade = () if office else demo_data.TRADE_JOBS.get(top.code, ())
    return demo_data.GENERAL_JOBS + trade * 2  # the trade weighs more where it is practised


def _place_people(
    rng: random.Random, count: int, placeable: list[Unit], hr_scope: Unit
) -> list[Unit]:
    """Which unit each person sits in. The demo HR's Dinas gets HR_DINAS_SHARE of everyone,
    spread evenly over its units so a newcomer sees real unit results there; the rest go
    mostly to the lower units elsewhere."""
    dinas = [u for u in placeable if u.path.startswith(hr_scope.path)]
    others = [u for u in placeable if u not in dinas]
    in_dinas = round(count * HR_DINAS_SHARE) if others else count
    places = [dinas[n % len(dinas)] for n in range(in_dinas)]
    weights = [1 + 2 * u.depth for u in others]
    places += rng.choices(others, weights, k=count - in_dinas) if others else []
    return places


def _person(rng, seq: int, unit: Unit, jabatan: str, nips: set[str]) -> dict:
    grade = demo_data.GRADES[_grade(jabatan)]
    pppk = "pppk" in grade and rng.random() < 0.2
    nip = make_nip(rng, seq, pppk, grade["age"])
    while nip in nips:
        nip = make_nip(rng, rng.randrange(1000), pppk, grade["age"])
    if jabatan.startswith("Bidan") and nip[14] != "2":  # midwives in the demo are women
        nip = nip[:14] + "2" + nip[15:]
        while nip in nips:
            nip = nip[:15] + f"{rng.randrange(1000):03d}"
    nips.add(nip)
    return {
        "nip": nip,
        "name": _person_name(rng, nip[14], jabatan),
        "unit_id": unit.id,
        "jabatan": jabatan,
        "golongan": rng.choice(grade["pppk"] if pppk else grade["pns"]),
        "jenis": "PPPK" if pppk else "PNS",
        # A reserved, never-delivered domain (RFC 2606): reminders in the demo reach nobody.
        "email": f"{nip}@sukamaju.example",
        "is_demo": True,
        "active": True,
        "locale": None,
    }


def seed(employees: int = 200, seed_value: int = 2026, progress=None) -> list[DemoAccount]:
    """Build the demo organisation, people, a closed and an open period with responses.
    `progress(done, total)` hears of each third: the people, then each period's answers."""
    check_empty()
    progress = progress or (lambda done, total: None)
    steps = 3 * max(employees, 3)
    rng = random.Random(seed_value)  # reproducible demo data, not a secret  # nosec B311
    # The default questionnaire's latest published version: the one with the culture map
    # (migration 0009) where it exists.
    version = db.session.scalar(
        sa.select(QuestionnaireVersion)
        .join(Questionnaire)
        .where(QuestionnaireVersion.status == "published")
        .order_by(QuestionnaireVersion.number.desc(), QuestionnaireVersion.id)
        .limit(1)
    )
    if version is None:
        raise SeedRefused("No questionnaire found; run `flask db upgrade` first.")

    units: dict[str, Unit] = {}
    for code, name, parent_code, _depth in demo_data.flatten(demo_data.ORG_TREE):
        units[code] = org.add_unit(code, name, units[parent_code] if parent_code else None)
    root = units[demo_data.ORG_TREE["code"]]
    units_by_id = {u.id: u for u in units.values()}
    placeable = [u for u in units.values() if u is not root]
    culture = {u.id: rng.gauss(0, 0.45) for u in units.values()}
    admin_unit = units.get("BKPSDM-PPI-DATA") or placeable[0]
    hr_scope = units.get(HR_SCOPE_CODE) or placeable[0]
    below = [u for u in placeable if u.path.startswith(hr_scope.path) and u is not hr_scope]

    # The three printed accounts first, then everyone else; the first person placed in a
    # unit heads it (PNS of the matching rank), the others hold functional posts.
    total = max(employees, 3)
    nips: set[str] = set()
    people = [
        _person(rng, 1, admin_unit, "Pranata Komputer Ahli Muda", nips),
        _person(rng, 2, hr_scope, "Analis Sumber Daya Manusia Aparatur Ahli Pertama", nips),
        _person(rng, 3, (below or [hr_scope])[0], "Pengelola Data", nips),
    ]
    headed: set[int] = set()
    for i, unit in enumerate(_place_people(rng, total - 3, placeable, hr_scope), start=4):
        if unit.id not in headed:
            headed.add(unit.id)
            jabatan = _head_of(unit)
        else:
            jabatan = rng.choice(_jobs_in(unit, units_by_id))
        people.append(_person(rng, i, unit, jabatan, nips))
    db.session.execute(sa.insert(Employee), people)
    db.session.flush()
    progress(steps // 3, steps)
    staff = list(db.session.scalars(sa.select(Employee).order_by(Employee.id)))

    admin, hr, employee = staff[0], staff[1], staff[2]
    admin.is_admin = True
    hr.is_hr, hr.hr_unit_id = True, hr_scope.id
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
    past.opened_at = past.opens_at
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
    _action_plans(past, hr, units, now)
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
    current.reminder_days = "7,3,1"
    periods.open_period(current)
    current.opened_at = current.opens_at  # opened on time, ten days ago
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
    _reminder_history(current, hr, hr_scope, now)
    progress(steps, steps)
    return [
        DemoAccount("admin", admin.nip, DEMO_PASSWORDS["admin"]),
        DemoAccount("hr", hr.nip, DEMO_PASSWORDS["hr"]),
        DemoAccount("employee", employee.nip, DEMO_PASSWORDS["employee"]),
    ]


# Two plans the demo HR made after the closed period, so a newcomer sees the loop: one well
# under way, one just begun. (The demo has one closed period, so no "after" is shown yet.)
DEMO_PLANS = (
    (
        "DISKOMINFO-APTIKA",
        "Layanan aplikasi lebih cepat dan ramah bagi OPD pengguna.",
        (
            (
                "Coaching mingguan tentang layanan bagi tim helpdesk",
                "Kepala Bidang Aptika",
                -120,
                "done",
            ),
            (
                "Survei singkat kepuasan OPD pengguna setiap bulan",
                "Sub Koordinator Aplikasi",
                -30,
                "in_progress",
            ),
            ("Forum berbagi praktik baik lintas seksi", "Kepala Bidang Aptika", 20, "planned"),
        ),
        (
            (-100, "Coaching pertama selesai, 12 orang hadir."),
            (-40, "Survei bulan pertama: 31 tanggapan."),
        ),
    ),
    (
        "DISKOMINFO-IKP",
        "",
        (
            ("Rapat rutin lintas bidang setiap dua minggu", "Kepala Bidang IKP", 10, "planned"),
            ("Pelatihan penulisan rilis berita untuk staf baru", "Pranata Humas", 45, "planned"),
        ),
        (),
    ),
)


def _action_plans(period, hr, units: dict, now) -> None:
    """The demo's plans, made through services/plans as the demo HR (so they are audited),
    with the values the page suggests as their focus."""
    from . import plans, reports

    today = now.date()
    for code, goal, actions, notes in DEMO_PLANS:
        unit = units.get(code)
        if unit is None:
            continue
        scope = reports.scope_for(hr, period, unit.id)
        suggested = [s.code for s in plans.suggestions(period, scope, "id") if s.suggested]
        plan = plans.create_plan(
            hr,
            period,
            scope,
            focus=suggested[: plans.FOCUS_MAX] or ["AD"],
            goal=goal,
            actions=[
                plans.ActionInput(what, who, today + timedelta(days=days), status)
                for what, who, days, status in actions
            ],
        )
        for days, text in notes:
            plans.add_note(hr, plan, scope, noted_on=today + timedelta(days=days), text=text)


def _reminder_history(period, hr: Employee, scope: Unit, now) -> None:
    """What HR has done so far in the open period, so a newcomer sees the loop: a higher
    target for the HR unit, and two rounds of e-mail reminders to the people of its units
    who had not submitted (six and two days ago; each round within the caps)."""
    targets.set_unit_target(period, scope.id, 90.0, actor=hr)
    for days_ago in (6, 2):
        when = now - timedelta(days=days_ago)
        people = reminders.chosen_people(period, scope.path, reminders.MODE_UNIT)
        claimed = reminders.claim(period, people, email=True, whatsapp=False, actor=hr, now=when)
        db.session.execute(
            sa.update(Reminder)
            .where(Reminder.batch == claimed.batch)
            .values(email_state="sent", sent_at=when, attempts=1)
        )
        for reminder in db.session.scalars(
            sa.select(Reminder).where(Reminder.batch == claimed.batch)
        ):
            audit.record(
                "reminder_sent",
                actor=hr,
                object_type="reminder",
                object_id=reminder.id,
                after={
                    "employee_id": reminder.employee_id,
                    "period_id": period.id,
                    "slot": reminder.slot,
                },
            ).at = when
    db.session.flush()


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
    # Nobody has answered in the future: an open period's answers end now.
    span = (min(period.closes_at, utcnow()) - period.opens_at).total_seconds()
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
    _choose_culture(version, rng, culture, response_ids, plans)


def _choose_culture(version, rng, culture, response_ids, plans) -> None:
    """The culture map, where the version has one: exactly `pick` behaviours per lens for a
    submitted response, the first lens only for a draft. Units differ: each has values it
    leans to and limiting habits of its own, and a unit whose Likert answers run low (its
    `culture` shift) names more limiting behaviours for today."""
    found = culture_map.section(version)
    if found is None:
        return
    rows = list(found.behaviours)
    unit_taste: dict[int, dict[int, float]] = {}
    chosen = []
    for response_id, (_e, unit_id, _p, state, started, _sub) in zip(
        response_ids, plans, strict=True
    ):
        taste = unit_taste.get(unit_id)
        if taste is None:
            habits = set(
                rng.sample([b.id for b in rows if b.limiting], demo_data.CULTURE_OWN_HABITS)
            )
            taste = unit_taste[unit_id] = {
                b.id: (demo_data.CULTURE_HABIT_BOOST if b.id in habits else 1.0)
                * math.exp(rng.gauss(0, 0.6))
                for b in rows
            }
        climate = culture.get(unit_id, 0.0) + rng.gauss(0, 0.3)
        weights = {
            "self": {
                b.id: taste[b.id] * (demo_data.CULTURE_SELF_LIMITING if b.limiting else 1.0)
                for b in rows
            },
            "current": {
                b.id: taste[b.id]
                * math.exp(
                    (-1 if b.limiting else 1) * demo_data.CULTURE_CLIMATE_WEIGHT * climate
                    - (0.4 if b.limiting else 0.0)
                )
                for b in rows
            },
            "desired": {
                b.id: (demo_data.CULTURE_DESIRED_LIMITING if b.limiting else taste[b.id] ** 0.5)
                for b in rows
            },
        }
        lenses = LENSES if state == "submitted" else LENSES[:1]
        for lens in lenses:
            for behaviour_id in _weighted_sample(rng, weights[lens], found.pick):
                chosen.append(
                    {
                        "response_id": response_id,
                        "lens": lens,
                        "behaviour_id": behaviour_id,
                        "chosen_at": started,
                    }
                )
    if chosen:
        db.session.execute(sa.insert(CultureChoice), chosen)


def _weighted_sample(rng, weights: dict[int, float], k: int) -> list[int]:
    """k distinct keys, each drawn with chance in proportion to its weight (Efraimidis and
    Spirakis: the k largest u ** (1 / w))."""
    keyed = sorted(weights, key=lambda key: rng.random() ** (1 / weights[key]), reverse=True)
    return keyed[:k]
