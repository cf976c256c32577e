"""Refuse to serve with an unsafe or unfinished production setup, with one clear message.

`make serve` and gunicorn.conf.py (before any worker starts) run `python -m
surveyapp.preflight --workers N`. It runs in a process of its own, so the gunicorn master
never imports the app and a HUP reload always loads the code on disk.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

TRUTHY = {"1", "true", "yes", "on"}
ROOT = Path(__file__).resolve().parent.parent


def problems(workers: int) -> list[str]:
    """Every reason not to start, as sentences an operator can act on."""
    from .config import ConfigError, ProductionConfig

    env = os.environ
    found: list[str] = []
    if env.get("SURVEYAPP_ENV") != "production":
        found.append(
            f"SURVEYAPP_ENV is {env.get('SURVEYAPP_ENV')!r}; gunicorn serves only the "
            "production configuration (SURVEYAPP_ENV=production)."
        )
    if env.get("FLASK_DEBUG", "").strip().lower() in TRUTHY:
        found.append("FLASK_DEBUG is on; the debugger must never run in production (S14).")
    storage = env.get("SURVEYAPP_RATELIMIT_STORAGE_URI", "").strip()
    if not storage and workers > 1:
        found.append(
            "SURVEYAPP_RATELIMIT_STORAGE_URI is not set, so each of the "
            f"{workers} workers would count failed logins on its own (S07 needs one count). "
            "Set it to redis://HOST:6379/0, or to memory:// to accept per-worker counting "
            "on purpose (one worker, or a trial)."
        )
    if env.get("SURVEYAPP_ENV") == "production":
        try:
            ProductionConfig.from_env(ROOT / "instance")  # the secret key, without side effects
        except ConfigError as exc:
            found.append(str(exc))
    if found:
        return found  # the checks below need a sound production environment to mean anything

    from . import create_app

    try:
        app = create_app()
    except ConfigError as exc:
        return [str(exc)]
    found += _storage_problems(app.config["RATELIMIT_STORAGE_URI"])
    found += _database_problems(app)
    return found


def _storage_problems(uri: str) -> list[str]:
    if uri.startswith("memory://"):
        return []
    from limits.storage import storage_from_string

    try:
        reachable = storage_from_string(uri).check()
    except Exception as exc:  # any driver error means the same to the operator
        reachable = False
        detail = f" ({type(exc).__name__})"
    else:
        detail = ""
    if reachable:
        return []
    return [
        f"The rate-limit storage {_safe(uri)} does not answer{detail}; start it or fix the URI."
    ]


def _database_problems(app) -> list[str]:
    import sqlalchemy as sa
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from .extensions import db
    from .services import demo

    found = []
    heads = set(ScriptDirectory(str(ROOT / "migrations")).get_heads())
    with app.app_context():
        url = db.engine.url
        try:
            with db.engine.connect() as conn:
                current = set(MigrationContext.configure(conn).get_current_heads())
            demo_accounts = demo.active_demo_accounts() if current == heads else 0
        except sa.exc.SQLAlchemyError as exc:
            return [
                f"The database {_safe(url)} does not answer ({type(exc).__name__}); "
                "check SURVEYAPP_DATABASE_URL and that the server runs."
            ]
        finally:
            db.session.remove()
            db.engine.dispose()
    if not current:
        found.append(
            "The database has no schema yet: run `SURVEYAPP_ENV=production flask db upgrade`."
        )
    elif current != heads:
        found.append(
            f"The database schema is at revision {', '.join(sorted(current))}, this code needs "
            f"{', '.join(sorted(heads))}: take a backup (flask backup --output FILE), then run "
            "`SURVEYAPP_ENV=production flask db upgrade`."
        )
    if demo_accounts:
        found.append(
            f"The database holds {demo_accounts} active demo accounts from `flask seed-demo`, "
            "whose passwords are public (S34): serve production from a database without demo "
            "data, or run `SURVEYAPP_ENV=production flask demo-accounts --deactivate`."
        )
    return found


def _safe(url) -> str:
    """A URL fit for a message: the password hidden."""
    import sqlalchemy as sa

    try:
        return sa.make_url(str(url)).render_as_string(hide_password=True)
    except Exception:
        return "(the configured URL)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    found = problems(args.workers)
    if found:
        print("surveyapp will not start:", file=sys.stderr)
        for problem in found:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    print(f"surveyapp preflight ok ({args.workers} workers)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
