"""`flask ...` commands; scripts rely on their names, options and output."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from .extensions import db


def register_commands(app: Flask) -> None:
    for command in (
        create_admin,
        seed_demo,
        demo_accounts,
        export_report,
        backup,
        worker,
        jobs_cleanup,
        import_units,
        import_employees,
        results_group,
        reminders_group,
    ):
        app.cli.add_command(command)


@click.command("create-admin")
@click.option("--nip", required=True, help="18-digit NIP (spaces and dots allowed).")
@click.option("--name", required=True)
@click.option("--unit", "unit_code", default=None, help="Unit code (default: the root unit).")
@with_appcontext
def create_admin(nip: str, name: str, unit_code: str | None) -> None:
    """Create an admin account, or give an existing account the admin role."""
    from flask_babel import force_locale

    from . import validation
    from .nip import InvalidNip
    from .services import accounts

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        employee = accounts.create_admin(nip, name, password, unit_code)
    except InvalidNip:
        raise click.ClickException("NIP must be 18 digits.") from None
    except validation.Invalid as exc:
        with force_locale("en"):
            raise click.ClickException(f"Name refused: {exc}") from None
    except accounts.WeakPassword as exc:
        with force_locale("en"):
            reasons = " ".join(accounts.password_messages(exc.problems))
        raise click.ClickException(f"Password refused: {reasons}") from None
    db.session.commit()
    click.echo(f"admin {employee.nip} {employee.name}")


@click.command("seed-demo")
@click.option("--employees", default=200, show_default=True, type=click.IntRange(3, 500_000))
@click.option("--seed", "seed_value", default=2026, show_default=True, type=int)
@click.option(
    "--if-empty",
    is_flag=True,
    help="Seed only when there are no employees; otherwise print the demo accounts.",
)
@with_appcontext
def seed_demo(employees: int, seed_value: int, if_empty: bool) -> None:
    """Load a demo Pemkot; refuses production and a database that holds any other data."""
    from flask import current_app

    from .progress import cli_progress
    from .services import demo

    try:
        demo.check_environment(current_app.config["ENV_NAME"])
    except demo.SeedRefused as exc:
        raise click.ClickException(str(exc)) from None
    if if_empty and demo.has_employees():
        for account in demo.demo_accounts():
            click.echo(account.line())
        return
    try:
        with cli_progress("seed-demo") as progress:
            created = demo.seed(employees=employees, seed_value=seed_value, progress=progress)
    except demo.SeedRefused as exc:  # raised before anything is written
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    for account in created:
        click.echo(account.line())


@click.command("demo-accounts")
@click.option(
    "--deactivate",
    is_flag=True,
    help="Deactivate every demo account instead (a database that is to serve production).",
)
@with_appcontext
def demo_accounts(deactivate: bool) -> None:
    """Print the demo accounts of a seeded database again, or deactivate them all."""
    from .services import demo

    if deactivate:
        count = demo.deactivate_demo_accounts()
        db.session.commit()
        click.echo(f"deactivated {count} demo accounts")
        return
    for account in demo.demo_accounts():
        click.echo(account.line())


@click.command("export-report")
@click.option("--period", "period_code", required=True, help="Period code.")
@click.option("--unit", "unit_code", default=None, help="Unit code (default: the whole period).")
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="The .xlsx file to write.",
)
@click.option("--locale", default="id", show_default=True, type=click.Choice(["id", "en"]))
@with_appcontext
def export_report(period_code: str, unit_code: str | None, output: str, locale: str) -> None:
    """Write the HR workbook of a period (the same file HR downloads from the web)."""
    import os
    import tempfile
    from pathlib import Path

    from . import excel
    from .db_sqlite import deferred_transactions, write_transaction
    from .progress import cli_progress
    from .services import reports

    # A read: on SQLite it must not hold the write lock while it gathers and writes (S33).
    with deferred_transactions():
        try:
            period = reports.period_by_code(period_code)
        except reports.NotVisible:
            raise click.ClickException(f"No opened period with code {period_code!r}.") from None
        try:
            scope = reports.scope_by_code(period, unit_code)
        except reports.NotVisible:
            raise click.ClickException(
                f"Unit {unit_code!r} is not part of {period_code}."
            ) from None
        data = reports.workbook_report(period, scope, actor=None, locale=locale)
        target = Path(output)
        # Write beside the target and rename, so a failed export never leaves half a workbook;
        # mkstemp creates the file 0600, as every file with names and NIPs must be (S39).
        fd, partial = tempfile.mkstemp(suffix=".xlsx.part", dir=target.parent)
        os.close(fd)
        try:
            with cli_progress("export-report") as progress:
                excel.write_report(data, partial, progress=progress)
            os.replace(partial, target)
        finally:
            Path(partial).unlink(missing_ok=True)
        codes = f"{period.code} {scope.code}"
    with write_transaction():  # the audit entry only
        reports.record_download(None, period, scope, target.name, "workbook", None)
    click.echo(f"{target} {codes}")


@click.group("results")
def results_group() -> None:
    """A closed period's results snapshot (docs/design.md, "Results")."""


def _closed_period(period_code: str):
    from .models import PERIOD_CLOSED
    from .services import reports

    try:
        period = reports.period_by_code(period_code)
    except reports.NotVisible:
        raise click.ClickException(f"No opened period with code {period_code!r}.") from None
    if period.state != PERIOD_CLOSED:
        raise click.ClickException(f"Period {period_code} is not closed: it has no snapshot yet.")
    return period


@results_group.command("rebuild")
@click.option("--period", "period_code", required=True, help="Period code.")
@with_appcontext
def results_rebuild(period_code: str) -> None:
    """Compute the period's snapshot again from the stored per-response sums."""
    from .services import snapshots

    period = _closed_period(period_code)
    tree = snapshots.build(period)
    db.session.commit()
    click.echo(f"rebuilt {period.code}: {len(tree.units)} units, {tree.moments['/'].n} responses")


@results_group.command("verify")
@with_appcontext
@click.option("--period", "period_code", required=True, help="Period code.")
def results_verify(period_code: str) -> None:
    """Recompute the snapshot and the stored sums from the raw answers; exit 1 on any
    difference, listing each."""
    from .services import snapshots

    period = _closed_period(period_code)
    problems = snapshots.verify(period)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"verified {period.code}: the snapshot agrees with the answers")


@click.group("reminders")
def reminders_group() -> None:
    """Automatic reminders (docs/design.md, "Participation targets and reminders")."""


@reminders_group.command("send-due")
@with_appcontext
def reminders_send_due() -> None:
    """Send the reminders that periods' schedules make due, and retry failed e-mails. Safe to
    run every few minutes from cron or a systemd timer: a second run sends nothing twice."""
    from .services import reminders

    run = reminders.send_due()
    done = run.delivery
    click.echo(
        f"periods {run.periods} claimed {run.claimed} sent {done.sent} failed {done.failed} "
        f"cancelled {done.cancelled}"
    )


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the queued jobs, then stop.")
@with_appcontext
def worker(burst: bool) -> None:
    """Run background jobs from Redis (needs SURVEYAPP_REDIS_URL); start as many as you like."""
    from flask import current_app

    from .worker import work

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException(
            "SURVEYAPP_REDIS_URL is not set: without it jobs run inside the web app itself."
        )
    work(current_app._get_current_object(), burst=burst)


@click.command("jobs-cleanup")
@with_appcontext
def jobs_cleanup() -> None:
    """Delete job files and unconfirmed roster uploads older than 24 hours and fail jobs whose
    worker is gone (run hourly)."""
    from flask import current_app

    from .services import imports, jobs

    app = current_app._get_current_object()
    expired, failed = jobs.cleanup(app)
    uploads = imports.forget_old_uploads(app)
    click.echo(f"expired {expired} failed {failed} uploads {uploads}")


@click.command("backup")
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="New file to write; an existing file is never overwritten.",
)
@with_appcontext
def backup(output: Path) -> None:
    """A consistent copy of the database while the app runs (SQLite online backup API;
    pg_dump for PostgreSQL). Exits non-zero and writes nothing usable on any failure."""
    from flask import current_app

    from .backup import BackupError
    from .backup import backup as make_backup

    try:
        result = make_backup(current_app.config["SQLALCHEMY_DATABASE_URI"], output)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backup {result.path} {result.size} bytes ({result.kind})")
    click.echo(f"restore: {result.restore_hint}")


def _codes_target(codes_output: str | None) -> Path:
    """Where the activation codes go: the file asked for, or a new name in instance/. Its
    folder is created (0700) when missing; an existing file is never overwritten."""
    from flask import current_app

    from .files import private_dir
    from .services import imports

    if codes_output:
        target = Path(codes_output)
        private_dir(target.parent)
    else:
        folder = private_dir(current_app.instance_path)
        target = folder / f"kode-aktivasi-{imports.activation_token()[:8]}.xlsx"
    if target.exists():
        raise click.ClickException(f"{target} exists; activation codes never overwrite a file.")
    return target


def _write_codes(codes, target: Path) -> None:
    """The codes workbook, complete before the import commits: a failed write leaves no
    accounts whose codes nobody has, and a failed commit leaves no file of dead codes."""
    from .excel import write_activation_codes
    from .files import open_private

    try:
        with open_private(target, exclusive=True) as fh:  # 0600 before a code is written
            write_activation_codes(codes, fh)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        codes.close()


def _import(kind: str, path: str, dry_run: bool, codes_output: str | None = None, **options):
    """All or nothing: every error as `row N, column C: message` and exit 1, or apply. The
    activation codes of new accounts are written before the commit (docs/design.md)."""
    from contextlib import ExitStack

    from .db_sqlite import deferred_transactions
    from .progress import cli_progress
    from .services import imports
    from .xlsx_reader import SpreadsheetRejected

    bars = ExitStack()

    def bar(phase: str):
        bars.close()  # the bar of the phase before ends first
        return bars.enter_context(cli_progress(f"import-{kind} ({phase})"))

    # Checked before any work: a folder that cannot be made or a file that exists stops here.
    target = None if dry_run or kind != "employees" else _codes_target(codes_output)
    try:
        # A dry run only reads, like the web preview: without SQLite's write lock (S33). A
        # real import plans and applies under the lock, so it applies what it checked.
        with deferred_transactions() if dry_run else nullcontext(), bars:
            done = imports.run_import(path, kind, dry_run=dry_run, progress=bar, **options)
    except SpreadsheetRejected as exc:
        raise click.ClickException(str(exc)) from None
    if not done.ok:
        for error in done.errors:
            click.echo(error.line())
        click.echo(f"{len(done.errors)} errors; nothing was written.", err=True)
        sys.exit(1)
    summary = " ".join(f"{k}={v}" for k, v in done.counts.items() if k != "errors")
    if dry_run:
        click.echo(f"dry-run {summary}")
        return
    written = 0
    if done.codes is not None:
        written = len(done.codes)
        try:
            _write_codes(done.codes, target)
        except OSError as exc:
            db.session.rollback()
            raise click.ClickException(
                f"Could not write the activation codes to {target} ({exc.strerror}); "
                "nothing was imported."
            ) from None
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if written:
            target.unlink(missing_ok=True)
        raise
    click.echo(f"imported {summary}")
    for code, added in done.joined.items():
        click.echo(f"joined {code} {added}")
    if written:
        click.echo(f"activation codes for {written} new accounts: {target}")


@click.command("import-units")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@with_appcontext
def import_units(path: str, dry_run: bool) -> None:
    """Import units (Kode Unit, Nama Unit, Kode Induk) from the first sheet of an xlsx."""
    _import("units", path, dry_run)


@click.command("import-employees")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@click.option(
    "--deactivate-missing", is_flag=True, help="Deactivate active people not in the file."
)
@click.option(
    "--codes-output",
    type=click.Path(dir_okay=False),
    default=None,
    help="The .xlsx for the new accounts' activation codes (default: a new file in instance/); "
    "its folder is created if missing, an existing file is refused.",
)
@click.option(
    "--no-join-open-periods",
    "join_open_periods",
    is_flag=True,
    flag_value=False,
    default=True,
    help="Do not add new and moved people to the open periods whose units they are in.",
)
@with_appcontext
def import_employees(
    path: str,
    dry_run: bool,
    deactivate_missing: bool,
    codes_output: str | None,
    join_open_periods: bool,
) -> None:
    """Import employees (NIP, Nama, Kode Unit, Jabatan, Golongan, Jenis, Email, Peran)."""
    _import(
        "employees",
        path,
        dry_run,
        codes_output,
        deactivate_missing=deactivate_missing,
        join_open_periods=join_open_periods,
    )
