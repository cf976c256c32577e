"""Passwords, login, activation codes and session revocation."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
import threading
import unicodedata
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import parse as parse_limit
from limits.storage import MemoryStorage, RedisStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from zxcvbn import matching as zxcvbn_matching
from zxcvbn import zxcvbn

from .. import validation
from ..extensions import db
from ..models import Employee, Unit, utcnow
from ..nip import InvalidNip, normalise_nip
from . import audit, org

MIN_PASSWORD_LENGTH = 10
# zxcvbn's 3: about 10^8 to 10^10 guesses, "safely unguessable" against an online attacker
# and costly offline against argon2id.
MIN_PASSWORD_SCORE = 3
# zxcvbn refuses longer input (its matching is quadratic); the first 72 characters decide.
ESTIMATOR_MAX_LENGTH = 72
# Words everyone in this app sees every day, so everyone is tempted to use them.
APP_WORDS = ("berakhlak", "asn", "pns", "pppk")
# Unambiguous characters for codes HR reads out or prints: no 0/O, 1/I/L.
CODE_ALPHABET = "".join(c for c in string.ascii_uppercase + string.digits if c not in "01OIL")
CODE_LENGTH = 10
# The audit log's object id for a login or activation whose NIP field held no valid NIP: the
# text itself may be a password typed in the wrong box and is never kept (S35).
INVALID_NIP = "invalid"


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


# --- password strength (S06, S38) -------------------------------------------------------

PASSWORD_MESSAGES = {
    "too_short": _l("The password must be at least %(n)d characters long.", n=MIN_PASSWORD_LENGTH),
    "contains_nip": _l("The password must not contain your NIP."),
    "weak": _l("This password is easy to guess."),
    "weak_personal": _l(
        "It contains your NIP, your name, the organisation's name or a word such as "
        "BerAKHLAK or ASN."
    ),
    "weak_common": _l("It contains a word or a password that is too common."),
    "weak_date": _l("It contains a year or a date."),
    "weak_sequence": _l("It contains a sequence such as abc or 123."),
    "weak_repeat": _l("It repeats characters or groups, such as aaa or abcabc."),
    "weak_keyboard": _l("It follows a keyboard pattern such as qwerty or asdf."),
    "weak_hint": _l("Use a short sentence you can remember, for example four random words."),
}
# zxcvbn's own feedback is English only: its match kinds map to our messages instead.
_PATTERN_PROBLEMS = {
    "sequence": "weak_sequence",
    "repeat": "weak_repeat",
    "date": "weak_date",
    "regex": "weak_date",  # zxcvbn's only regex is "recent year"
    "spatial": "weak_keyboard",
}
_DICTIONARY_PROBLEMS = {"user_inputs": "weak_personal", "years": "weak_date"}
_PROBLEM_ORDER = (
    "weak_personal",
    "weak_common",
    "weak_date",
    "weak_sequence",
    "weak_repeat",
    "weak_keyboard",
)
# zxcvbn keeps the user inputs of a call in a module-level dictionary: one call at a time.
_estimator_lock = threading.Lock()


class WeakPassword(ValueError):
    """A new password the rules refuse; `problems` are keys of PASSWORD_MESSAGES."""

    def __init__(self, problems: list[str]):
        super().__init__(", ".join(problems))
        self.problems = problems


def _word_list() -> list[str]:
    text = resources.files("surveyapp").joinpath("data/indonesian_words.txt").read_text()
    lines = (line.strip().lower() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _years() -> list[str]:
    """Years, nearest to this one first. zxcvbn's own "recent year" stops at 2019, so
    "berakhlak2026" would look like a word and four random digits."""
    this_year = date.today().year
    return [str(y) for y in sorted(range(1940, this_year + 15), key=lambda y: abs(y - this_year))]


def _add_dictionaries() -> None:
    if "indonesian" not in zxcvbn_matching.RANKED_DICTIONARIES:
        zxcvbn_matching.add_frequency_lists({"indonesian": _word_list(), "years": _years()})


def _estimate(password: str, user_inputs: list[str]) -> dict:
    """zxcvbn's verdict on the password, and on it without punctuation and spaces if that is
    weaker: zxcvbn counts each separator as a guess and each extra part as 10^4 more, so
    "Siti Rahmawati 2026" or "19850612-201001" would pass, while an attacker's rules simply
    join the person's name, NIP and the year with whatever is between them."""
    text = password[:ESTIMATOR_MAX_LENGTH]
    joined = re.sub(r"[\W_]+", "", text)
    with _estimator_lock:
        _add_dictionaries()
        results = [zxcvbn(t, user_inputs=user_inputs) for t in dict.fromkeys((text, joined)) if t]
    return min(results, key=lambda r: r["guesses"])


def _words(text: str) -> list[str]:
    """The text whole, run together, and its words of three letters or more."""
    lowered = text.lower().strip()
    words = re.findall(r"[^\W\d_]{3,}", lowered)
    return [lowered, "".join(words), *words]


def _nip_forms(nip: str) -> list[str]:
    """The NIP as people write it: digits alone, its parts, 8-6-1-3 and 8-6-4 groupings."""
    four = (nip[:8], nip[8:14], nip[14], nip[15:])
    three = (nip[:8], nip[8:14], nip[14:])
    forms = [nip, nip[:8], nip[8:14], nip[14:], nip[15:], nip[:14], nip[8:]]
    for sep in (" ", "-", ".", "/", "_"):
        forms += [sep.join(four), sep.join(three)]
    return forms


def _organisation_names(unit: Unit | None) -> list[str]:
    """The top units' names (the organisation, such as "Pemerintah Kota ...") and the person's
    own unit: the names an employee sees on every page."""
    names = list(
        db.session.scalars(
            sa.select(Unit.name).where(Unit.parent_id.is_(None)).order_by(Unit.id).limit(10)
        )
    )
    if unit is not None:
        names.append(unit.name)
    return names


def password_inputs(nip: str | None, name: str | None, unit: Unit | None = None) -> list[str]:
    """What an attacker who knows the person tries first: zxcvbn's user inputs."""
    inputs = list(APP_WORDS)
    if nip:
        inputs += _nip_forms(nip)
    if name:
        inputs += _words(name)
    for org_name in _organisation_names(unit):
        inputs += _words(org_name)
    return list(dict.fromkeys(i for i in inputs if i))


def _alphanumeric(text: str) -> str:
    """Letters and digits only, any script's digits read as 0-9: the NIP however it is typed."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text if c.isalnum())


def password_problems(
    password: str, *, nip: str | None = None, name: str | None = None, unit: Unit | None = None
) -> list[str]:
    """Why a new password is refused, as keys of PASSWORD_MESSAGES; empty when it is fine.

    The one place of the rule: at least 10 characters, not the NIP however it is separated,
    and a zxcvbn score of at least 3 with the person's NIP, name and organisation as inputs.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return ["too_short"]
    if nip and nip in _alphanumeric(password):
        return ["contains_nip"]
    result = _estimate(password, password_inputs(nip, name, unit))
    if result["score"] >= MIN_PASSWORD_SCORE:
        return []
    kinds = set()
    for match in result["sequence"]:
        if match["pattern"] == "dictionary":
            kinds.add(_DICTIONARY_PROBLEMS.get(match["dictionary_name"], "weak_common"))
        elif match["pattern"] in _PATTERN_PROBLEMS:
            kinds.add(_PATTERN_PROBLEMS[match["pattern"]])
    return ["weak", *(k for k in _PROBLEM_ORDER if k in kinds), "weak_hint"]


def employee_password_problems(employee: Employee, password: str) -> list[str]:
    """password_problems with everything known about the account."""
    return password_problems(password, nip=employee.nip, name=employee.name, unit=employee.unit)


def password_messages(problems: Iterable[str]) -> list[str]:
    """The reasons in the current language (zxcvbn's own feedback is English only)."""
    return [str(PASSWORD_MESSAGES[p]) for p in problems]


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


@dataclass(frozen=True)
class ActivationResult:
    employee: Employee | None
    problems: tuple[str, ...] = ()


def activate(
    raw_nip: str, code: str, new_password: str, *, ip: str | None = None
) -> ActivationResult:
    """Set the first password with a one-time code: the employee, or why the password is
    refused, or neither for any bad NIP/code alike. A refused password never spends the code.

    The password is checked against the typed NIP before the code, so most weak passwords are
    named at once; against the person's name only once the code is valid, so the form says
    nothing about whose NIP it is (S08).
    """
    try:
        typed_nip = normalise_nip(raw_nip)
    except InvalidNip:
        typed_nip = None
    problems = password_problems(new_password, nip=typed_nip)
    if problems:
        return ActivationResult(None, tuple(problems))
    key = "act:" + _throttle_key(raw_nip)
    if not claim_attempt(key):  # counted before the code is checked, as at login (S31)
        return ActivationResult(None)
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
        return ActivationResult(None)
    try:
        set_password(employee, new_password)
    except WeakPassword as exc:
        release_attempt(key)  # the code was right: only the password needs another try
        return ActivationResult(None, tuple(exc.problems))
    employee.activation_code_hash = None
    employee.activation_expires_at = None
    release_attempt(key)
    audit.record("activated", actor=employee, object_type="employee", object_id=employee.id, ip=ip)
    return ActivationResult(employee)


def set_password(employee: Employee, new_password: str) -> None:
    """Store a new password and end every session the account has open.

    Every way to set a password comes here, so none can skip the rule: WeakPassword if
    password_problems refuses it, and nothing is changed.
    """
    problems = employee_password_problems(employee, new_password)
    if problems:
        raise WeakPassword(problems)
    employee.password_hash = hash_secret(new_password)
    employee.password_changed_at = utcnow()
    end_all_sessions(employee)


def end_all_sessions(employee: Employee) -> None:
    employee.session_version = (employee.session_version or 0) + 1


def create_admin(raw_nip: str, name: str, password: str, unit_code: str | None = None) -> Employee:
    """Make or promote an admin account (the first one, from the command line).

    InvalidNip, validation.Invalid (the name) or WeakPassword, all ValueError, before anything
    is written."""
    nip = normalise_nip(raw_nip)
    name = validation.person_name(name)
    employee = db.session.scalar(sa.select(Employee).where(Employee.nip == nip))
    unit = employee.unit if employee is not None else _admin_unit(unit_code)
    problems = password_problems(password, nip=nip, name=name, unit=unit)
    if problems:
        raise WeakPassword(problems)
    if employee is None:
        unit = unit or org.add_unit("ORG", "Organisasi", None)
        employee = Employee(nip=nip, name=name, unit=unit, jenis="PNS")
        db.session.add(employee)
    employee.name = name
    employee.is_admin = True
    employee.active = True
    set_password(employee, password)
    db.session.flush()
    audit.record("admin_created", object_type="employee", object_id=employee.id)
    return employee


def _admin_unit(unit_code: str | None) -> Unit | None:
    """The unit named, else the first top unit; None in an empty database."""
    unit = None
    if unit_code:
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == unit_code))
    if unit is None:
        unit = db.session.scalar(sa.select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    return unit
