"""Settings from the environment; the embedded default needs none of them."""

from __future__ import annotations

import functools
import json
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .files import open_private

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_FILE = "secret_key"  # a file name, not a secret  # noqa: S105  # nosec B105


class ConfigError(RuntimeError):
    """Raised when the app must not start with the settings it was given."""


compact_json = functools.partial(json.dumps, separators=(",", ":"))


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def instance_secret_key(instance_path: Path) -> str:
    """A random key generated once into instance/, so sessions survive restarts."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / DEFAULT_SECRET_FILE
    if not key_file.exists():
        with open_private(key_file, "w", exclusive=True) as fh:
            fh.write(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


class MailUrlError(ValueError):
    """SURVEYAPP_MAIL_URL that cannot be used: the app refuses to start, saying why."""


MAIL_SCHEMES = {"smtp": (False, False), "smtp+starttls": (True, False), "smtps": (False, True)}
MAIL_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


def parse_mail_url(url: str) -> dict:
    """smtp://user:pass@host:port (plain), smtp+starttls://... (STARTTLS) or smtps://...
    (TLS from the start) as Flask-Mail's settings; user and password may be %-encoded."""
    parts = urlsplit(url)
    if parts.scheme not in MAIL_SCHEMES or not parts.hostname:
        raise MailUrlError(
            "SURVEYAPP_MAIL_URL must look like smtp://user:pass@host:25, "
            "smtp+starttls://user:pass@host:587 or smtps://user:pass@host:465"
        )
    use_tls, use_ssl = MAIL_SCHEMES[parts.scheme]
    return {
        "MAIL_SERVER": parts.hostname,
        "MAIL_PORT": parts.port or MAIL_PORTS[parts.scheme],
        "MAIL_USERNAME": unquote(parts.username) if parts.username else None,
        "MAIL_PASSWORD": unquote(parts.password) if parts.password else None,
        "MAIL_USE_TLS": use_tls,
        "MAIL_USE_SSL": use_ssl,
    }


class Config:
    """Development defaults: SQLite in instance/, a generated secret key."""

    ENV_NAME = "development"
    TESTING = False
    PRODUCTION = False
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    # JSON columns without spaces: a closed period's snapshot is over a megabyte of JSON at
    # 500 units, a fifth of it blanks, and json.dumps is three times faster without them.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "json_serializer": compact_json}
    # SQLite: how long a writer waits for another writer's transaction (surveyapp/db_sqlite.py).
    # Readers never hold the write lock, so this only covers queues of short saves; keep it
    # well below the gunicorn timeout.
    SQLITE_BUSY_TIMEOUT_MS = 30_000
    # A write in a transaction begun without the write lock: raise (tests) or log a warning.
    SQLITE_STRICT_WRITES = False
    TIMEZONE = "Asia/Jakarta"
    BABEL_DEFAULT_LOCALE = "id"
    # Flask-Babel converts and formats in the instance zone (i18n.select_timezone reads
    # TIMEZONE on each use; this default only mirrors it).
    BABEL_DEFAULT_TIMEZONE = TIMEZONE
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")
    LANGUAGES = ("id", "en")
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024  # a 100,000-person roster is about 6 MB
    # Sessions: idle timeout 60 minutes (refreshed on each request), absolute 12 hours.
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=60)
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
    SESSION_REFRESH_EACH_REQUEST = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "surveyapp_session"
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    # The CSRF token lives as long as the session, so a long sitting never trips over it.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_SSL_STRICT = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    # Background jobs: RQ workers when a Redis URL is set, else a thread pool in the app.
    REDIS_URL: str | None = None
    JOBS_ENGINE: str | None = None  # "rq", "thread" or "inline"; None chooses from REDIS_URL
    JOBS_QUEUE = "surveyapp"
    JOBS_THREADS = 2
    JOBS_DIR: str | None = None  # default: instance/jobs
    # How many reverse proxies (nginx, a load balancer) stand in front and set
    # X-Forwarded-For/-Proto; 0 trusts no such header (a client could forge it).
    TRUSTED_PROXIES = 0
    LOGIN_FAILURES_LIMIT = "5 per 15 minutes"  # per NIP, across workers (S07)
    # Per client address on login and activation: stops one machine walking many NIPs.
    LOGIN_ADDRESS_LIMIT = "30 per minute"
    ACTIVATION_CODE_DAYS = 14
    # OWASP's first argon2id configuration (19 MiB, t=2, p=1): S06 is met, and a login costs
    # a sixth of the CPU of 64 MiB/t=3/p=4, which lets 2 cores carry a deadline-day rush of
    # logins (bench/load.py). Raise it on bigger servers; existing hashes keep working.
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19 * 1024
    ARGON2_PARALLELISM = 1
    # E-mail (services/mailer.py): SURVEYAPP_MAIL_URL sets the MAIL_* settings of Flask-Mail;
    # without it every message is written to instance/outbox/ and shown to admins.
    MAIL_SERVER: str | None = None
    MAIL_DEFAULT_SENDER = "surveyapp <noreply@localhost>"
    MAIL_OUTBOX_DIR: str | None = None
    # The address people use to reach the app: the link in a reminder.
    PUBLIC_URL = "http://127.0.0.1:5000"
    # Reminders (services/reminders.py, docs/design.md "Participation targets and reminders").
    REMINDER_MIN_HOURS = 48  # at most one reminder per person in this many hours
    REMINDER_MAX_PER_PERIOD = 5
    REMINDER_MAX_ATTEMPTS = 3  # an e-mail the server refused is tried this often, then given up
    REMINDER_RETRY_MINUTES = 15  # the first retry; each further waits twice as long

    @classmethod
    def from_env(cls, instance_path: Path) -> dict:
        """Resolve settings: environment first, then the class defaults."""
        cfg = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        env = os.environ
        cfg["SQLALCHEMY_DATABASE_URI"] = (
            env.get("SURVEYAPP_DATABASE_URL")
            or cfg["SQLALCHEMY_DATABASE_URI"]
            or f"sqlite:///{instance_path / 'surveyapp.sqlite'}"
        )
        cfg["REDIS_URL"] = env.get("SURVEYAPP_REDIS_URL") or cfg["REDIS_URL"]
        # Where job files live; several machines need one shared folder (NFS or the like).
        cfg["JOBS_DIR"] = env.get("SURVEYAPP_JOBS_DIR") or cfg.get("JOBS_DIR")
        cfg["TIMEZONE"] = env.get("SURVEYAPP_TIMEZONE", cfg["TIMEZONE"])
        cfg["BABEL_DEFAULT_TIMEZONE"] = cfg["TIMEZONE"]
        cfg["BABEL_DEFAULT_LOCALE"] = env.get(
            "SURVEYAPP_DEFAULT_LOCALE", cfg["BABEL_DEFAULT_LOCALE"]
        )
        cfg["RATELIMIT_STORAGE_URI"] = env.get(
            "SURVEYAPP_RATELIMIT_STORAGE_URI", cfg["RATELIMIT_STORAGE_URI"]
        )
        # Logins per minute from one address (a shared office NAT may need more).
        cfg["LOGIN_ADDRESS_LIMIT"] = env.get(
            "SURVEYAPP_LOGIN_ADDRESS_LIMIT", cfg["LOGIN_ADDRESS_LIMIT"]
        )
        mail_url = env.get("SURVEYAPP_MAIL_URL", "").strip()
        if mail_url:
            try:
                cfg.update(parse_mail_url(mail_url))
            except MailUrlError as exc:
                raise ConfigError(str(exc)) from None
        cfg["MAIL_DEFAULT_SENDER"] = env.get("SURVEYAPP_MAIL_FROM", cfg["MAIL_DEFAULT_SENDER"])
        cfg["PUBLIC_URL"] = env.get("SURVEYAPP_PUBLIC_URL", cfg["PUBLIC_URL"]).rstrip("/")
        for name in ("REMINDER_MIN_HOURS", "REMINDER_MAX_PER_PERIOD"):
            raw = env.get(f"SURVEYAPP_{name}", "").strip()
            if raw:
                if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
                    raise ConfigError(f"SURVEYAPP_{name} must be a whole number from 1.")
                cfg[name] = int(raw)
        raw_proxies = env.get("SURVEYAPP_TRUSTED_PROXIES", "").strip()
        if raw_proxies:
            if not raw_proxies.isdigit():
                raise ConfigError("SURVEYAPP_TRUSTED_PROXIES must be a whole number (0, 1, 2).")
            cfg["TRUSTED_PROXIES"] = int(raw_proxies)
        secret = env.get("SURVEYAPP_SECRET_KEY")
        if cfg["PRODUCTION"]:
            if (
                not secret
                or secret.strip() in {"", "change-me", "dev", "secret"}
                or len(secret) < 32
            ):
                raise ConfigError(
                    "SURVEYAPP_SECRET_KEY must be set to a random value of at least 32 characters "
                    "in production"
                )
            cfg["SECRET_KEY"] = secret
        else:
            cfg["SECRET_KEY"] = secret or cfg["SECRET_KEY"] or instance_secret_key(instance_path)
        return cfg


class TestConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production-use-0123456789"  # noqa: S105  # nosec
    # Cheap hashing keeps the suite fast; production cost is pinned by its own test.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1
    RATELIMIT_STORAGE_URI = "memory://"
    # Hundreds of test logins come from one address; the S07 test sets a low limit.
    LOGIN_ADDRESS_LIMIT = "10000 per minute"
    SQLITE_STRICT_WRITES = True  # a view that writes without @writes fails its tests
    JOBS_ENGINE = "inline"  # jobs run in the test's own transaction; RQ tests choose "rq"
    # Route tests post forms without tokens; the CSRF tests turn it back on (csrf_on fixture).
    WTF_CSRF_ENABLED = False


class ProductionConfig(Config):
    ENV_NAME = "production"
    PRODUCTION = True
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-surveyapp"


CONFIGS = {"development": Config, "testing": TestConfig, "production": ProductionConfig}


def config_class(name: str | None = None) -> type[Config]:
    name = name or os.environ.get("SURVEYAPP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(f"Unknown SURVEYAPP_ENV {name!r}; use one of {sorted(CONFIGS)}") from None
