"""The command line that other people's scripts rely on."""

import re
from datetime import date

import sqlalchemy as sa

from surveyapp.models import Employee, Period, Response, Unit
from surveyapp.services import accounts

LINE = re.compile(r"^demo-account (admin|hr|employee) (\d{18}) (\S+)$")


def test_create_admin_reads_password_from_stdin(runner, session):
    result = runner.invoke(
        args=["create-admin", "--nip", "19800101 200501 1 001", "--name", "Admin Utama"],
        input="Sandi-Admin-Kuat-1\n",
    )
    assert result.exit_code == 0, result.output
    admin = session.scalar(sa.select(Employee).where(Employee.nip == "198001012005011001"))
    assert admin.is_admin and admin.name == "Admin Utama"
    assert accounts.verify_secret(admin.password_hash, "Sandi-Admin-Kuat-1")


def test_create_admin_refuses_weak_password_and_writes_nothing(runner, session):
    result = runner.invoke(
        args=["create-admin", "--nip", "198001012005011001", "--name", "X"], input="pendek\n"
    )
    assert result.exit_code != 0
    assert "Password refused" in result.output
    assert session.scalar(sa.select(sa.func.count(Employee.id))) == 0


def test_s38_create_admin_refuses_a_guessable_password_with_the_reason(runner, session):
    result = runner.invoke(
        args=["create-admin", "--nip", "198001012005011001", "--name", "Admin Utama"],
        input="AdminUtama2026\n",
    )
    assert result.exit_code != 0
    assert "Password refused: This password is easy to guess." in result.output
    assert "your name" in result.output
    assert session.scalar(sa.select(sa.func.count(Employee.id))) == 0


def test_create_admin_refuses_bad_nip(runner):
    result = runner.invoke(
        args=["create-admin", "--nip", "1980", "--name", "X"], input="Sandi-Admin-Kuat-1\n"
    )
    assert result.exit_code != 0 and "18 digits" in result.output


def test_seed_demo_builds_a_realistic_org_and_prints_accounts(runner, session, app):
    result = runner.invoke(args=["seed-demo", "--employees", "60", "--seed", "7"])
    assert result.exit_code == 0, result.output
    lines = [LINE.match(line) for line in result.stdout.strip().splitlines()]
    assert all(lines) and [m.group(1) for m in lines] == ["admin", "hr", "employee"]
    assert session.scalar(sa.select(sa.func.count(Employee.id))) == 60
    periods = session.scalars(sa.select(Period).order_by(Period.opens_at)).all()
    assert [p.state for p in periods] == ["closed", "open"]
    employee = session.scalar(sa.select(Employee).where(Employee.nip == lines[2].group(2)))
    states = {
        r.period.state: r
        for r in session.scalars(sa.select(Response).where(Response.employee_id == employee.id))
    }
    assert states["closed"].state == "submitted"
    assert states["open"].state == "draft"
    total = len(periods[1].version.items)
    assert 0 < len(states["open"].answers) < total
    # The printed passwords work.
    client = app.test_client()
    for match in lines:
        response = client.post("/login", data={"nip": match.group(2), "password": match.group(3)})
        assert response.status_code == 302
        client.post("/logout")
    # Answers vary: not everyone ticks the same.
    values = session.scalars(sa.text("SELECT DISTINCT value FROM answers")).all()
    assert len(values) >= 4


def test_seed_demo_refuses_database_with_real_data(runner, org, session):
    before = session.scalar(sa.select(sa.func.count(Employee.id)))
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "non-demo" in result.output
    assert session.scalar(sa.select(sa.func.count(Employee.id))) == before


def test_seed_demo_if_empty_prints_accounts_again(runner):
    first = runner.invoke(args=["seed-demo", "--employees", "20"])
    second = runner.invoke(args=["seed-demo", "--if-empty"])
    assert second.exit_code == 0
    assert second.stdout == first.stdout


def test_long_commands_print_plain_progress_lines_when_not_on_a_terminal(runner):
    result = runner.invoke(args=["seed-demo", "--employees", "30"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == "seed-demo: 90/90 rows (100 %)"  # 3 steps of 30
    assert "seed-demo" not in result.stdout  # scripts read the account lines from stdout


def test_s34_seed_demo_refuses_production(app, runner, session, monkeypatch):
    """Demo passwords are printed in the README: a production database never gets them."""
    from surveyapp.models import Unit

    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    for args in (["seed-demo", "--employees", "3"], ["seed-demo", "--if-empty"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1, result.output
        assert "production" in result.output and "demo-account" not in result.output
    assert session.scalar(sa.select(sa.func.count(Employee.id))) == 0
    assert session.scalar(sa.select(sa.func.count(Unit.id))) == 0
    assert session.scalar(sa.select(sa.func.count(Period.id))) == 0


def test_default_demo_shows_hr_real_unit_results_with_plausible_people(runner, session):
    """A newcomer's `make run`: every unit of the demo HR's Dinas has enough answers in the
    closed period for its results; posts fit the unit, ranks fit the post, nobody is past
    retirement age (58, or 60 for the head of a Perangkat Daerah), no PPPK heads a unit."""
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    closed = session.scalar(sa.select(Period).where(Period.state == "closed"))
    dinas = session.scalar(sa.select(Unit).where(Unit.code == "DISKOMINFO"))
    sent = dict(
        session.execute(
            sa.select(Unit.code, sa.func.count(Response.id))
            .join(Response, Response.unit_id == Unit.id)
            .where(Response.period_id == closed.id, Response.state == "submitted")
            .where(Unit.path.startswith(dinas.path))
            .group_by(Unit.code)
        ).all()
    )
    units_in_dinas = session.scalars(sa.select(Unit.code).where(Unit.path.startswith(dinas.path)))
    assert {code: sent.get(code, 0) for code in units_in_dinas if sent.get(code, 0) < 5} == {}

    heads = ("Kepala", "Sekretaris", "Camat", "Lurah", "Direktur")
    ranks = {"Ahli Pertama": {"III/a", "III/b", "IX"}, "Ahli Muda": {"III/c", "III/d", "X"}}
    ranks |= {"Kepala Seksi": {"III/c", "III/d", "IV/a"}, "Kepala Dinas": {"IV/c", "IV/d"}}
    today = date.today()
    for person in session.scalars(sa.select(Employee)):
        born = date(int(person.nip[:4]), int(person.nip[4:6]), int(person.nip[6:8]))
        age = (today - born).days / 365.25
        senior = person.jabatan in ("Kepala Dinas", "Kepala Badan", "Sekretaris Daerah")
        assert age < (60 if senior else 58), (person.jabatan, age)
        assert not (person.jenis == "PPPK" and person.jabatan.startswith(heads)), person.jabatan
        if person.jabatan.startswith(("Bidan", "Perawat", "Dokter")):
            assert person.unit.code.startswith(("DINKES", "RSUD")), person.unit.name
        for post, allowed in ranks.items():
            if post in person.jabatan:
                assert person.golongan in allowed, (person.jabatan, person.golongan)


def test_seed_demo_has_two_action_plans_after_the_closed_period(runner, session):
    from surveyapp.models import ActionPlan, AuditLog
    from surveyapp.services import plans

    result = runner.invoke(args=["seed-demo", "--seed", "7"])
    assert result.exit_code == 0, result.output
    made = session.scalars(sa.select(ActionPlan).order_by(ActionPlan.id)).all()
    assert len(made) == 2
    assert {p.period.state for p in made} == {"closed"}
    assert [plans.plan_status(p.actions) for p in made] == ["in_progress", "planned"]
    assert len(made[0].notes) == 2 and all(p.focus for p in made)
    audited = session.scalars(
        sa.select(AuditLog.action).where(AuditLog.object_type == "action_plan")
    ).all()
    assert sorted(audited) == ["plan_created", "plan_created", "plan_note_added", "plan_note_added"]
