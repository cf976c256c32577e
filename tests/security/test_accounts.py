"""docs/security.md S06-S10 beyond the route tests in tests/integration/test_auth.py."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from surveyapp.extensions import limiter
from surveyapp.models import AuditLog
from surveyapp.services import accounts
from tests.factories import PASSWORD

THROTTLED = "Terlalu banyak percobaan gagal untuk NIP ini"
NIP = "198506122010011901"


def post_login(client, nip, password):
    return client.post("/login", data={"nip": nip, "password": password})


def test_s06_password_is_stored_as_argon2id_not_plain(org):
    stored = org.employee.password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert accounts.verify_secret(stored, PASSWORD)
    assert not accounts.verify_secret(stored, PASSWORD + "x")


def test_s07_sixth_failure_within_window_is_refused_even_with_right_password(client, org):
    for _ in range(5):
        assert post_login(client, org.employee.nip, "salah-sandi-123").status_code == 200
    refused = post_login(client, org.employee.nip, PASSWORD)
    assert refused.status_code == 429
    assert THROTTLED in refused.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still not logged in


def test_s07_throttle_is_per_nip_and_heals(app, client, org):
    for _ in range(5):
        post_login(client, org.employee.nip, "salah-sandi-123")
    # Another person on the same computer is not locked out by it.
    assert post_login(app.test_client(), org.other.nip, PASSWORD).status_code == 302
    # The window moves: once it has passed (cleared here), the owner gets in again.
    with app.app_context():
        accounts.reset_throttle(org.employee.nip)
    assert post_login(client, org.employee.nip, PASSWORD).status_code == 302


def test_s07_nip_typed_differently_counts_as_the_same_nip(client, org):
    spaced = " ".join([org.employee.nip[:8], org.employee.nip[8:14], org.employee.nip[14:]])
    dotted = ".".join([org.employee.nip[:8], org.employee.nip[8:14], org.employee.nip[14:]])
    for typed in (org.employee.nip, spaced, dotted, spaced, dotted):
        post_login(client, typed, "salah-sandi-123")
    assert post_login(client, org.employee.nip, PASSWORD).status_code == 429


@pytest.mark.no_transaction
def test_s07_counter_is_shared_through_redis_across_workers(app):
    """Two app instances (two gunicorn workers) share one counter when storage is Redis."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not answering at 127.0.0.1:6379")
    uri = "redis://127.0.0.1:6379/15"
    key = "s07-test-" + str(id(app))
    from surveyapp import create_app

    workers = [
        create_app(
            {
                "ENV_NAME": "testing",
                "RATELIMIT_STORAGE_URI": uri,
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
            }
        )
        for _ in range(2)
    ]
    try:
        for i in range(5):
            with workers[i % 2].app_context():
                assert accounts.claim_attempt(key)
        for worker in workers:
            with worker.app_context():
                assert not accounts.claim_attempt(key)
        # A success on one worker gives its slot back for both, once.
        with workers[1].app_context():
            accounts.release_attempt(key)
        with workers[0].app_context():
            assert accounts.claim_attempt(key)
            assert not accounts.claim_attempt(key)
    finally:
        with workers[0].app_context():
            accounts.reset_throttle(key)


def test_s31_a_successful_login_gives_back_its_own_slot_not_the_failures(client, org):
    """The owner logging in during an attack does not hand the attacker 5 fresh guesses."""
    for _ in range(4):
        assert post_login(client, org.employee.nip, "salah-sandi-123").status_code == 200
    assert post_login(client, org.employee.nip, PASSWORD).status_code == 302
    client.post("/logout")
    assert post_login(client, org.employee.nip, "salah-sandi-123").status_code == 200
    refused = post_login(client, org.employee.nip, PASSWORD)
    assert refused.status_code == 429
    assert THROTTLED in refused.get_data(as_text=True)


def test_s31_simultaneous_logins_for_one_nip_verify_at_most_the_limit(app, monkeypatch):
    """30 threads at once for one NIP (29 wrong, the right password in the middle): the count
    is taken before any password is checked, so at most 5 wrong ones are ever verified."""
    with app.app_context():
        person = SimpleNamespace(id=1, active=True, password_hash=accounts.hash_secret(PASSWORD))
        accounts.reset_throttle(NIP)
    real_verify = accounts.verify_secret
    verified: list[str] = []

    def slow_verify(stored, given):
        verified.append(given)
        time.sleep(0.05)  # what argon2 costs in production: the window the race needs
        return real_verify(stored, given)

    monkeypatch.setattr(accounts, "verify_secret", slow_verify)
    monkeypatch.setattr(accounts, "find_by_nip", lambda raw: person)
    monkeypatch.setattr(accounts.audit, "record", lambda *a, **k: None)  # no database here
    passwords = [f"salah-sandi-{i:02d}" for i in range(29)]
    passwords.insert(15, PASSWORD)
    start = threading.Barrier(len(passwords))

    def attempt(password):
        with app.app_context():
            start.wait()
            return accounts.authenticate(NIP, password)

    with ThreadPoolExecutor(len(passwords)) as pool:
        results = list(pool.map(attempt, passwords))

    wrong = [p for p in verified if p != PASSWORD]
    logged_in = [r for r in results if r.employee is not None]
    assert len(wrong) <= 5, f"{len(wrong)} wrong passwords were checked"
    # A right password that won a slot gives it back (successes are not failures).
    assert len(verified) <= 5 + len(logged_in)
    assert sum(r.throttled for r in results) == len(passwords) - len(verified)


def test_s07_one_address_cannot_walk_through_many_nips(app, client, build, org):
    """Per-address limit on login POSTs (Flask-Limiter), on top of the per-NIP one."""
    default = app.config["LOGIN_ADDRESS_LIMIT"]
    app.config["LOGIN_ADDRESS_LIMIT"] = "3 per minute"
    try:
        codes = [
            post_login(client, f"19850612201001{1100 + i:04d}", "salah-sandi-123").status_code
            for i in range(4)
        ]
    finally:
        limiter.reset()
        app.config["LOGIN_ADDRESS_LIMIT"] = default
    assert codes[:3] == [200, 200, 200]
    assert codes[3] == 429


def test_s08_unknown_nip_still_pays_for_a_password_hash(client, org, monkeypatch):
    """Timing: an unknown NIP verifies against a dummy hash, so it costs what a real one does."""
    from argon2 import PasswordHasher

    calls = []
    original = PasswordHasher.verify

    def counting_verify(self, stored, given):
        calls.append(stored)
        return original(self, stored, given)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    post_login(client, "199912312020121999", "salah-sandi-123")
    post_login(client, org.employee.nip, "salah-sandi-123")
    assert len(calls) == 2


def test_s08_failed_logins_are_audited_without_the_password(client, org, session):
    post_login(client, org.employee.nip, "rahasia-sekali-99")
    entry = session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "login_failed").order_by(AuditLog.id.desc())
    ).first()
    assert entry is not None
    assert "rahasia-sekali-99" not in repr(entry.__dict__)


def test_s35_text_that_is_not_a_nip_is_never_stored(app, client, org, session, caplog, capsys):
    """A password typed into the NIP box (the classic slip) must not become an audit row's
    object id, a log line or a rate-limit key: only a valid NIP, or a marker, is kept."""
    import logging

    caplog.set_level(logging.DEBUG)
    typed = "Rahasia-Pribadi-Sekali-2026!"
    for _ in range(6):  # the sixth is throttled: its audit row must not hold the text either
        post_login(client, typed, "salah-sandi-123")
    client.post(
        "/activate",
        data={
            "nip": typed,
            "code": "QWERTY7X9Z",
            "password": "Melayani-Bangsa-2026",
            "confirm": "Melayani-Bangsa-2026",
        },
    )
    post_login(client, "199912312020121999", "salah-sandi-123")  # a NIP that is not ours

    # Every text column of every audit row, the JSON ones included.
    text_columns = [
        c.name
        for c in AuditLog.__table__.columns
        if isinstance(c.type, sa.String | sa.Text | sa.JSON)
    ]
    for row in session.execute(sa.select(*AuditLog.__table__.columns)).mappings():
        for name in text_columns:
            assert typed not in str(row[name]), (row["action"], name)
    rows = session.scalars(sa.select(AuditLog).order_by(AuditLog.id)).all()
    by_action = {}
    for row in rows:
        by_action.setdefault(row.action, []).append(row)
    assert len(by_action["login_failed"]) == 6 and len(by_action["login_throttled"]) == 1
    assert len(by_action["activation_failed"]) == 1
    # Only a valid, normalised NIP is kept; anything else is the marker.
    assert {r.object_id for r in by_action["login_failed"]} == {
        accounts.INVALID_NIP,
        "199912312020121999",
    }
    assert by_action["activation_failed"][0].object_id == accounts.INVALID_NIP
    # Nor in the logs, nor in the login counters' storage.
    written = capsys.readouterr().err
    assert typed not in caplog.text and typed not in written
    storage = accounts._limiter_for(app.config["RATELIMIT_STORAGE_URI"]).storage
    assert typed not in repr(vars(storage))


# --- S38: password strength with the person's own words -----------------------------------

EASY = "Kata sandi ini mudah ditebak."
COMMON = "Memuat kata atau kata sandi yang terlalu umum."
PERSONAL = "Memuat NIP, nama Anda, nama instansi, atau kata seperti BerAKHLAK atau ASN."
HAS_NIP = "Kata sandi tidak boleh memuat NIP Anda."
HINT = "Gunakan kalimat pendek yang mudah Anda ingat, misalnya empat kata acak."
FOUR_WORDS = "kopi pagi hujan deras"


def _grouped(nip: str, sep: str) -> str:
    return sep.join([nip[:8], nip[8:14], nip[14], nip[15:]])


S38_CASES = {
    "indonesia123": (lambda nip: "indonesia123", [EASY, COMMON, HINT]),
    "passw0rd123": (lambda nip: "passw0rd123", [EASY, COMMON, HINT]),
    "nip-dashes": (lambda nip: _grouped(nip, "-"), [HAS_NIP]),
    "nip-spaces": (lambda nip: _grouped(nip, " "), [HAS_NIP]),
    "nip-birth-and-appointment": (lambda nip: f"{nip[:8]}-{nip[8:14]}", [EASY, PERSONAL]),
    "name-and-year": (lambda nip: "Siti Rahmawati 2026", [EASY, PERSONAL, HINT]),
    "berakhlak2026": (lambda nip: "berakhlak2026", [EASY, PERSONAL, HINT]),
    "four-words": (lambda nip: FOUR_WORDS, None),
    "four-words-dashed": (lambda nip: "Meja-Kayu-Lampu-Hijau", None),
}


def _s38_change(app, build, org, login, session, password):
    """The password change form of a logged-in Siti Rahmawati: (page, hash changed)."""
    person = build.employee(org.bidang_a1, name="Siti Rahmawati")
    before = (person.password_hash, person.password_changed_at, person.session_version)
    client = login(person, app.test_client())
    response = client.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "password": password(person.nip),
            "confirm": password(person.nip),
        },
    )
    session.refresh(person)
    after = (person.password_hash, person.password_changed_at, person.session_version)
    return response, after != before


def _s38_activate(app, build, org, login, session, password):
    """The activation form of a newcomer Siti Rahmawati with a valid code."""
    person = build.employee(org.bidang_a1, name="Siti Rahmawati", password=None)
    code = accounts.issue_activation_code(person)
    session.flush()
    audit_before = session.scalar(sa.select(sa.func.count(AuditLog.id)))
    client = app.test_client()
    typed = password(person.nip)
    response = client.post(
        "/activate", data={"nip": person.nip, "code": code, "password": typed, "confirm": typed}
    )
    session.refresh(person)
    written = person.password_hash is not None or person.activation_code_hash is None
    if not written:
        assert session.scalar(sa.select(sa.func.count(AuditLog.id))) == audit_before
        # The code was not spent: the same code with a good password still works.
        retry = client.post(
            "/activate",
            data={"nip": person.nip, "code": code, "password": FOUR_WORDS, "confirm": FOUR_WORDS},
        )
        assert retry.status_code == 302
    return response, written


@pytest.mark.parametrize("form", ["activate", "change"])
@pytest.mark.parametrize("case", list(S38_CASES))
def test_s38_weak_passwords_refused_with_a_reason(app, build, org, login, session, form, case):
    password, reasons = S38_CASES[case]
    submit = _s38_activate if form == "activate" else _s38_change
    response, written = submit(app, build, org, login, session, password)
    if reasons is None:
        assert response.status_code == 302, response.get_data(as_text=True)
        assert written
        return
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for reason in reasons:
        assert reason in page, (reason, case)
    assert not written


def test_s38_reasons_are_english_for_an_english_reader(app, build, org, login, session):
    person = build.employee(org.bidang_a1, name="Siti Rahmawati")
    person.locale = "en"
    session.flush()
    client = login(person, app.test_client())
    page = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": "berakhlak2026", "confirm": "berakhlak2026"},
    ).get_data(as_text=True)
    assert "This password is easy to guess." in page
    assert "such as BerAKHLAK or ASN" in page
    assert "for example four random words" in page


def test_s38_activation_names_the_person_only_after_a_valid_code(app, build, org, session):
    """A wrong code and a password made of the holder's name get the wrong-code answer, the
    same as for any other password: the form is no oracle for whose NIP it is (S08)."""
    person = build.employee(org.bidang_a1, name="Wayan Sukaryawan", password=None)
    accounts.issue_activation_code(person)
    session.flush()
    named = "Wayan Sukaryawan 2026"
    page = (
        app.test_client()
        .post(
            "/activate",
            data={"nip": person.nip, "code": "ZZZZZZZZZZ", "password": named, "confirm": named},
        )
        .get_data(as_text=True)
    )
    assert "NIP atau kode aktivasi salah" in page
    assert PERSONAL not in page
    assert accounts.password_problems(named, nip=person.nip) == []  # the typed NIP alone
    assert "weak_personal" in accounts.employee_password_problems(person, named)


@pytest.mark.parametrize(
    "typed",
    [
        "{a}/{b}/{c}/{d}",
        "{a}_{b}_{c}{d}",
        "NIP:{a}.{b}.{c}.{d}!",
        "{a}{b}{c}{d}",
    ],
)
def test_s38_nip_is_refused_with_any_separator(app_ctx, typed):
    nip = "198506122010011001"
    password = typed.format(a=nip[:8], b=nip[8:14], c=nip[14], d=nip[15:])
    assert accounts.password_problems(password, nip=nip) == ["contains_nip"]


def test_s38_every_way_to_set_a_password_keeps_the_rule(build, org, session):
    """set_password itself refuses, so a new caller cannot forget the check."""
    person = build.employee(org.bidang_a1, name="Siti Rahmawati")
    before = (person.password_hash, person.session_version)
    with pytest.raises(accounts.WeakPassword) as refused:
        accounts.set_password(person, "SitiRahmawati2026")
    assert "weak_personal" in refused.value.problems
    assert (person.password_hash, person.session_version) == before


def test_s38_long_passwords_are_judged_not_crashed(app_ctx):
    """zxcvbn refuses input over 72 characters; the form allows 200."""
    assert accounts.password_problems("a" * 200) != []
    assert accounts.password_problems(FOUR_WORDS + " " + "x7Qp" * 40) == []
