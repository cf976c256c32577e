"""Passwords, login, activation codes and session revocation."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from importlib import resources

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from limits import parse as parse_limit
from limits.storage import MemoryStorage, RedisStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from ..extensions import db
from ..models import Employee, Unit, utcnow
from ..nip import InvalidNip, normalise_nip
from . import audit, org

MIN_PASSWORD_LENGTH = 10
# Unambiguous characters for codes HR reads out or prints: no 0/O, 1/I/L.
CODE_ALPHABET = "".join(c for c in string.ascii_uppercase + string.digits if c not in "01OIL")
CODE_LENGTH = 10
# The audit log's object id for a login or activation whose NIP field held no valid NIP: the
# text itself may be a password typed in the wrong box and is never kept (S35).
INVALID_NIP = "invalid"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = resources.files("surveyapp").joinpath("data/common_passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_secret(secret: str) -> str:
    """argon2id, the memory-hard hash S06 asks for."""
    return _hasher().hash(secret)


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    if not stored_hash:
        # Spend the same time as a real check so the answer's timing says nothing.
        _burn_time()
        return False
    try:
        return _hasher().verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def _burn_time() -> None:
    with suppress(VerificationError):
        _hasher().verify(_dummy_hash(), "not-the-password")


@lru_cache(maxsize=4)
def _dummy_hash_for(params: tuple[int, int, int]) -> str:
    t, m, p = params
    return PasswordHasher(time_cost=t, memory_cost=m, parallelism=p).hash(secrets.token_hex(16))


def _dummy_hash() -> str:
    cfg = current_app.config
    return _dummy_hash_for(
        (cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_COST"], cfg["ARGON2_PARALLELISM"])
    )


def password_problems(password: str, nip: str | None) -> list[str]:
    """Reasons a new password is refused, as message keys the view translates."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append("too_short")
    if nip and nip in password.replace(" ", "").replace(".", ""):
        problems.append("contains_nip")
    if password.lower() in common_passwords():
        problems.append("common")
    return problems


# --- login throttling -------------------------------------------------------------------


@lru_cache(maxsize=4)
def _limiter_for(uri: str) -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(storage_from_string(uri))


def _failure_limit():
    return parse_limit(current_app.config["LOGIN_FAILURES_LIMIT"])


def _limiter() -> MovingWindowRateLimiter:
    return _limiter_for(current_app.config["RATELIMIT_STORAGE_URI"])


def claim_attempt(key: str) -> bool:
    """Count a try for this NIP before any secret is checked; False once the window is full.

    The check and the count are one step (a lock in memory, a Lua script in Redis), so
    however many requests race, at most the limit's number are let through per window
    (S07, S31). The window moves, so a refusal heals by itself.
    """
    return _limiter().hit(_failure_limit(), "login-failure", key)


def release_attempt(key: str) -> None:
    """Give back the slot a successful try claimed: only failures stay in the window.

    The limits library has no "un-hit", so this drops the newest entry of the moving window
    (which frees a slot at most one password check early). On a storage we do not know the
    slot stays taken, which errs on the safe side.
    """
    storage = _limiter().storage
    name = _failure_limit().key_for("login-failure", key)
    if isinstance(storage, RedisStorage):
        storage.get_connection().lpop(storage.prefixed_key(name))
    elif isinstance(storage, MemoryStorage):
        with storage.locks[name]:
            if events := storage.events.get(name):
                del events[0]


def reset_throttle(key: str) -> None:
    _limiter().clear(_failure_limit(), "login-failure", key)


# --- login and activation ---------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    employee: Employee | None
    throttled: bool = False


def find_by_nip(raw_nip: str) -> Employee | None:
    try:
        nip = normalise_nip(raw_nip)
    except InvalidNip:
        return None
    return db.session.scalar(sa.select(Employee).where(Employee.nip == nip))


def _valid_nip(raw_nip: str) -> str | None:
    try:
        return normalise_nip(raw_nip)
    except InvalidNip:
        return None


def _throttle_key(raw_nip: str) -> str:
    """The NIP; for text that is not one (often a password typed in the wrong box) a keyed
    digest, so the counters in Redis never hold what was typed (S35)."""
    nip = _valid_nip(raw_nip)
    if nip is not None:
        return nip
    key = current_app.config["SECRET_KEY"].encode()
    return "text:" + hmac.new(key, raw_nip.strip().encode(), hashlib.sha256).hexdigest()[:32]


def _audit_nip(raw_nip: str) -> str:
    """What the audit log keeps of a typed NIP: the NIP if valid, else only INVALID_NIP."""
    return _valid_nip(raw_nip) or INVALID_NIP


def authenticate(raw_nip: str, password: str, *, ip: str | None = None) -> LoginResult:
    """The employee if NIP and password match an active account; one answer for every failure.

    The try is counted before the password is checked (S31), so a burst of simultaneous
    guesses gets no more checks than the limit allows.
    """
    key = _throttle_key(raw_nip)
    if not claim_attempt(key):
        audit.record("login_throttled", object_type="nip", object_id=_audit_nip(raw_nip), ip=ip)
        return LoginResult(None, throttled=True)
    employee = find_by_nip(raw_nip)
    ok = verify_secret(employee.password_hash if employee else None, password)
    if employee is not None and ok and employee.active:
        release_attempt(key)
        audit.record("login", actor=employee, object_type="employee", object_id=employee.id, ip=ip)
        return LoginResult(employee)
    audit.record(
        "login_failed",
        actor=employee,
        object_type="nip",
        object_id=_audit_nip(raw_nip),
        after={"reason": "inactive" if employee is not None and ok else "bad_credentials"},
        ip=ip,
    )
    return LoginResult(None)


def new_activation_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def hash_code(nip: str, code: str) -> str:
    """Activation codes are random (50 bits), single use, expiring and throttled per NIP, so a
    keyed fast hash is enough, and a roster import can issue 100,000 of them in seconds
    (argon2 at password cost would take hours). The key is the app's secret key."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"{nip}:{_normalise_code(code)}".encode(), hashlib.sha256)
    return "hmac-sha256$" + digest.hexdigest()


def verify_code(stored: str | None, nip: str, code: str) -> bool:
    """Same work whether or not the NIP has a code, so timing says nothing (S08)."""
    expected = hash_code(nip, code)
    return hmac.compare_digest(stored or "hmac-sha256$" + "0" * 64, expected) and bool(stored)


def issue_activation_code(employee: Employee, *, actor: Employee | None = None) -> str:
    """A fresh single-use code; only its hash is kept. Returns the code to hand out once."""
    code = new_activation_code()
    employee.activation_code_hash = hash_code(employee.nip, code)
    employee.activation_expires_at = utcnow() + timedelta(
        days=current_app.config["ACTIVATION_CODE_DAYS"]
    )
    audit.record(
        "activation_code_issued", actor=actor, object_type="employee", object_id=employee.id
    )
    return code


def _normalise_code(code: str) -> str:
    return code.strip().upper().replace(" ", "").replace("-", "")


def activate(
    raw_nip: str, code: str, new_password: str, *, ip: str | None = None
) -> Employee | None:
    """Set the first password with a one-time code. None for any bad NIP/code, alike.

    Password rules are checked by the caller before, so a weak password never burns a code.
    """
    key = "act:" + _throttle_key(raw_nip)
    if not claim_attempt(key):  # counted before the code is checked, as at login (S31)
        return None
    employee = find_by_nip(raw_nip)
    stored = employee.activation_code_hash if employee else None
    valid = verify_code(stored, employee.nip if employee else _throttle_key(raw_nip), code)
    if (
        employee is None
        or not valid
        or not employee.active
        or employee.activation_expires_at is None
        or employee.activation_expires_at < utcnow()
    ):
        audit.record("activation_failed", object_type="nip", object_id=_audit_nip(raw_nip), ip=ip)
        return None
    set_password(employee, new_password)
    employee.activation_code_hash = None
    employee.activation_expires_at = None
    release_attempt(key)
    audit.record("activated", actor=employee, object_type="employee", object_id=employee.id, ip=ip)
    return employee


def set_password(employee: Employee, new_password: str) -> None:
    """Store a new password and end every session the account has open."""
    employee.password_hash = hash_secret(new_password)
    employee.password_changed_at = utcnow()
    end_all_sessions(employee)


def end_all_sessions(employee: Employee) -> None:
    employee.session_version = (employee.session_version or 0) + 1


def create_admin(raw_nip: str, name: str, password: str, unit_code: str | None = None) -> Employee:
    """Make or promote an admin account (the first one, from the command line)."""
    nip = normalise_nip(raw_nip)
    problems = password_problems(password, nip)
    if problems:
        raise ValueError(", ".join(problems))
    employee = db.session.scalar(sa.select(Employee).where(Employee.nip == nip))
    if employee is None:
        unit = None
        if unit_code:
            unit = db.session.scalar(sa.select(Unit).where(Unit.code == unit_code))
        if unit is None:
            unit = db.session.scalar(
                sa.select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id)
            )
        if unit is None:
            unit = org.add_unit("ORG", "Organisasi", None)
        employee = Employee(nip=nip, name=name, unit=unit, jenis="PNS")
        db.session.add(employee)
    employee.name = name
    employee.is_admin = True
    employee.active = True
    set_password(employee, password)
    db.session.flush()
    audit.record("admin_created", object_type="employee", object_id=employee.id)
    return employee
