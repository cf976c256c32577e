"""Reminders to people who have not submitted: the caps (one per 48 hours, five per period)
at their boundaries, never to someone who submitted, the HR scope, e-mails received by a
real SMTP server (aiosmtpd) in the right language with no other person's name, WhatsApp
links, `flask reminders send-due` run twice, a mail server that is down, the audit log, and
the mobile-number column of the roster import."""

from __future__ import annotations

import re
import socket
from datetime import timedelta
from email import message_from_bytes, policy
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from surveyapp.models import AuditLog, Employee, Reminder, ReminderRun, utcnow
from surveyapp.services import imports, reminders
from tests.integration.test_imports import xlsx

ID_MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
    "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip
EN_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
]  # fmt: skip


class Inbox:
    """What a real SMTP server received."""

    def __init__(self):
        self.messages = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    yield inbox
    controller.stop()


@pytest.fixture
def outbox(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    return tmp_path / "outbox"


@pytest.fixture
def period(build, org, session):
    """Open, 10 days to go. Bidang A1: Siti (Indonesian) and Budi (English, with a mobile
    number) have not submitted, Dewi has. Dinas B: Made has not submitted."""
    org.employee.email = "siti@sukamaju.go.id"
    org.colleague.email = "budi@sukamaju.go.id"
    org.colleague.locale = "en"
    org.colleague.phone = "+6281234567890"
    org.other.email = "made@sukamaju.go.id"
    dewi = build.employee(org.bidang_a1, name="Dewi Lestari")
    dewi.email = "dewi@sukamaju.go.id"
    period = build.period([org.root], days_left=10)
    build.response(period, dewi)
    session.flush()
    period.dewi = dewi
    return period


def _claim(period, scope_path, mode=reminders.MODE_UNIT, picked=None, now=None, **how):
    people = reminders.chosen_people(period, scope_path, mode, picked)
    how = {"email": True, "whatsapp": False} | how
    return reminders.claim(period, people, actor=None, now=now, **how)


def _rows(session, person) -> list[Reminder]:
    return list(
        session.scalars(
            sa.select(Reminder).where(Reminder.employee_id == person.id).order_by(Reminder.slot)
        )
    )


# --- caps at their boundaries ------------------------------------------------------------------


def test_one_reminder_per_48_hours_exactly_at_and_one_minute_before(period, org, session):
    t0 = utcnow()
    picked = [org.employee.id]
    mode = reminders.MODE_PICKED
    assert _claim(period, org.bidang_a1.path, mode, picked, now=t0).claimed == 1
    too_soon = t0 + timedelta(hours=47, minutes=59)
    assert _claim(period, org.bidang_a1.path, mode, picked, now=too_soon).claimed == 0
    at = t0 + timedelta(hours=48)
    assert _claim(period, org.bidang_a1.path, mode, picked, now=at).claimed == 1
    assert [r.slot for r in _rows(session, org.employee)] == [1, 2]


def test_five_reminders_per_period_the_sixth_is_refused(period, org, session):
    t0 = utcnow()
    period.closes_at = t0 + timedelta(days=30)  # the sixth try is well before the deadline
    got = [
        _claim(
            period,
            org.bidang_a1.path,
            reminders.MODE_PICKED,
            [org.employee.id],
            now=t0 + timedelta(hours=48 * i),
        ).claimed
        for i in range(6)
    ]
    assert got == [1, 1, 1, 1, 1, 0]
    assert len(_rows(session, org.employee)) == 5


def test_both_caps_are_settings(app, period, org, session, monkeypatch):
    monkeypatch.setitem(app.config, "REMINDER_MIN_HOURS", 1)
    monkeypatch.setitem(app.config, "REMINDER_MAX_PER_PERIOD", 2)
    t0 = utcnow()
    picked = [org.employee.id]
    got = [
        _claim(period, None, reminders.MODE_PICKED, picked, now=t0 + timedelta(minutes=m)).claimed
        for m in (0, 59, 60, 120)
    ]
    assert got == [1, 0, 1, 0]


def test_nothing_is_claimed_once_the_deadline_has_passed(period, org, session):
    after = period.closes_at
    assert _claim(period, None, now=after).claimed == 0
    assert _claim(period, None, now=after - timedelta(seconds=1)).claimed == 3


def test_never_to_someone_who_has_submitted(period, org, session):
    claimed = _claim(period, org.bidang_a1.path, whatsapp=True)
    assert claimed.chosen == 2  # Siti and Budi; Dewi has submitted
    assert {r.employee_id for r in session.scalars(sa.select(Reminder))} == {
        org.employee.id,
        org.colleague.id,
    }
    with pytest.raises(reminders.NotInScope):
        _claim(period, org.bidang_a1.path, reminders.MODE_PICKED, [period.dewi.id])


def test_people_without_an_address_are_left_out(period, org, session):
    claimed = _claim(period, org.dinas_a.path)  # Siti, Budi and HR Rina (no e-mail)
    assert (claimed.chosen, claimed.claimed, claimed.skipped) == (3, 2, 1)
    claimed = _claim(period, org.dinas_a.path, email=False, whatsapp=True, now=utcnow())
    assert claimed.claimed == 0  # Budi has a number but was reminded just now


def test_a_duplicate_slot_is_refused_by_the_database(period, org, session):
    """The claim's guarantee is the database's, not only the SELECT's: a second row with the
    same slot cannot exist."""
    _claim(period, None, reminders.MODE_PICKED, [org.employee.id])
    session.add(Reminder(period_id=period.id, employee_id=org.employee.id, slot=1, batch="x" * 32))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
    session.rollback()


# --- the HR pages and their scope --------------------------------------------------------------


def test_hr_reminds_a_unit_and_the_list_shows_when(hr_client, period, org, session, outbox):
    reply = hr_client.post(
        f"/hr/periods/{period.id}/reminders",
        data={"mode": "unit", "unit": str(org.bidang_a1.id), "email": "y"},
    )
    assert reply.status_code == 303 and "/jobs/" in reply.headers["Location"]
    job_page = hr_client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "2 email terkirim." in job_page
    assert len(list(outbox.glob("*.eml"))) == 2
    page = hr_client.get(
        f"/hr/periods/{period.id}/non-respondents?unit={org.bidang_a1.id}"
    ).get_data(as_text=True)
    assert "Terakhir diingatkan" in page
    assert page.count("(1 kali)") == 2
    sent = session.scalars(sa.select(AuditLog).where(AuditLog.action == "reminder_sent")).all()
    assert len(sent) == 2 and {e.actor_id for e in sent} == {org.hr_a.id}
    assert {e.after["employee_id"] for e in sent} == {org.employee.id, org.colleague.id}


def test_a_second_click_sends_nothing_twice(hr_client, period, org, session, outbox):
    data = {"mode": "unit", "unit": str(org.bidang_a1.id), "email": "y"}
    hr_client.post(f"/hr/periods/{period.id}/reminders", data=data)
    again = hr_client.post(f"/hr/periods/{period.id}/reminders", data=data)
    assert again.status_code == 303 and "non-respondents" in again.headers["Location"]
    assert "Tidak ada yang perlu diingatkan" in hr_client.get(again.headers["Location"]).get_data(
        as_text=True
    )
    assert len(list(outbox.glob("*.eml"))) == 2
    assert session.scalar(sa.select(sa.func.count(Reminder.id))) == 2


def test_hr_cannot_remind_outside_their_scope(hr_client, period, org, session, outbox):
    # Made works in Dinas B, outside Rina's Dinas A.
    picked = hr_client.post(
        f"/hr/periods/{period.id}/reminders",
        data={"mode": "picked", "people": [str(org.other.id)], "email": "y"},
    )
    unit = hr_client.post(
        f"/hr/periods/{period.id}/reminders",
        data={"mode": "unit", "unit": str(org.dinas_b.id), "email": "y"},
    )
    printable = hr_client.get(f"/hr/periods/{period.id}/units/{org.dinas_b.id}/print")
    assert (picked.status_code, unit.status_code, printable.status_code) == (404, 404, 404)
    assert session.scalar(sa.select(sa.func.count(Reminder.id))) == 0
    assert not list(outbox.glob("*.eml"))


def test_an_employee_cannot_remind(employee_client, period, org):
    reply = employee_client.post(
        f"/hr/periods/{period.id}/reminders", data={"mode": "unit", "email": "y"}
    )
    assert reply.status_code == 403


def test_printable_list_for_the_head_of_the_unit(hr_client, period, org):
    page = hr_client.get(f"/hr/periods/{period.id}/units/{org.bidang_a1.id}/print")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Siti Rahmawati" in text and "Budi Santoso" in text
    assert "Dewi Lestari" not in text  # submitted
    assert "2 orang belum mengirim." in text


# --- what arrives --------------------------------------------------------------------------------


def _deadline(period, months, sep) -> str:
    local = period.closes_at.astimezone(ZoneInfo("Asia/Jakarta"))
    return f"{local.day} {months[local.month - 1]} {local.year}, {local:%H}{sep}{local:%M} WIB"


def test_smtp_receives_one_message_each_in_their_language(hr_client, period, org, smtp):
    reply = hr_client.post(
        f"/hr/periods/{period.id}/reminders",
        data={"mode": "picked", "people": [str(org.employee.id), str(org.colleague.id)],
              "email": "y"},
    )  # fmt: skip
    assert reply.status_code == 303
    by_rcpt = {tuple(rcpts): msg for rcpts, msg in smtp.messages}
    assert sorted(by_rcpt) == [("budi@sukamaju.go.id",), ("siti@sukamaju.go.id",)]
    siti = by_rcpt[("siti@sukamaju.go.id",)]
    budi = by_rcpt[("budi@sukamaju.go.id",)]
    siti_body, budi_body = siti.get_content(), budi.get_content()
    assert siti["Subject"].startswith("Pengingat: ")
    assert siti_body.startswith("Yth. Siti Rahmawati,")
    assert f"Batas waktunya {_deadline(period, ID_MONTHS, '.')}." in siti_body
    assert budi["Subject"].startswith("Reminder: ")
    assert budi_body.startswith("Dear Budi Santoso,")
    assert f"The deadline is {_deadline(period, EN_MONTHS, ':')}." in budi_body
    for body in (siti_body, budi_body):
        assert "http://127.0.0.1:5000/login" in body
        assert period.name in body
    others = {"Made Wirawan", "Dewi Lestari", "Rina HR A", "Agus HR B", "Admin Kota"}
    assert not [n for n in others | {"Budi Santoso"} if n in siti_body + siti["Subject"]]
    assert not [n for n in others | {"Siti Rahmawati"} if n in budi_body + budi["Subject"]]


def test_whatsapp_links_decode_to_the_message(hr_client, period, org, session):
    reply = hr_client.post(
        f"/hr/periods/{period.id}/reminders",
        data={"mode": "picked", "people": [str(org.colleague.id)], "whatsapp": "y"},
    )
    assert reply.status_code == 303 and "/whatsapp" in reply.headers["Location"]
    page = hr_client.get(reply.headers["Location"]).get_data(as_text=True)
    links = re.findall(r'href="(https://wa\.me/[^"]+)"', page)
    assert len(links) == 1
    link = urlsplit(links[0].replace("&amp;", "&"))
    assert link.path == "/6281234567890"
    text = parse_qs(link.query)["text"][0]
    local = period.closes_at.astimezone(ZoneInfo("Asia/Jakarta"))
    deadline = f"{local.day} {EN_MONTHS[local.month - 1]} {local.year}, {local:%H:%M} WIB"
    assert text == (
        "Dear Budi Santoso,\n\n"
        f"you have not yet submitted your answers to {period.name}. "
        f"The deadline is {deadline}.\n\n"
        "Log in with your NIP at http://127.0.0.1:5000/login, answer the questions and "
        "send your answers.\n\n"
        "This message was sent automatically; please do not reply to it."
    )
    assert unquote(links[0]).count("Siti") == 0
    prepared = session.scalars(
        sa.select(AuditLog).where(AuditLog.action == "reminder_whatsapp_prepared")
    ).all()
    assert [e.after["employee_id"] for e in prepared] == [org.colleague.id]
    assert prepared[0].actor_id == org.hr_a.id


def test_another_hr_officer_cannot_open_the_whatsapp_batch(app, hr_client, login, period, org):
    reply = hr_client.post(
        f"/hr/periods/{period.id}/reminders",
        data={"mode": "picked", "people": [str(org.colleague.id)], "whatsapp": "y"},
    )
    other = login(org.hr_b, app.test_client())
    assert other.get(reply.headers["Location"]).status_code == 404


# --- automatic reminders and faults ------------------------------------------------------------


def test_send_due_twice_sends_once(runner, period, org, session, outbox):
    period.reminder_days = "14,3"  # 10 days left: the 14-day step is due, the 3-day one not
    session.commit()
    first = runner.invoke(args=["reminders", "send-due"])
    second = runner.invoke(args=["reminders", "send-due"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "sent 3" in first.output  # Siti, Budi, Made; not Dewi (submitted) nor HR (no e-mail)
    assert "claimed 0 sent 0" in second.output
    assert len(list(outbox.glob("*.eml"))) == 3
    assert [r.days_before for r in session.scalars(sa.select(ReminderRun))] == [14]


def test_send_due_runs_a_step_only_when_it_is_due(period, org, session, outbox):
    period.reminder_days = "3"
    session.commit()
    three_days_before = period.closes_at - timedelta(days=3)
    assert reminders.send_due(three_days_before - timedelta(minutes=1)).claimed == 0
    assert reminders.send_due(three_days_before).claimed == 3
    assert reminders.send_due(period.closes_at).claimed == 0  # closed for answers


def test_a_server_that_is_down_fails_then_retries_and_sends_once(app, period, org, session, smtp):
    down = _free_port()  # nothing listens there
    up = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = down
    t0 = utcnow()
    claimed = _claim(period, None, reminders.MODE_PICKED, [org.employee.id], now=t0)
    session.commit()
    done = reminders.deliver(reminders.batch_ids(claimed.batch), now=t0)
    assert (done.sent, done.failed) == (0, 1)
    row = _rows(session, org.employee)[0]
    assert row.email_state == "failed" and row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error or "Connect" in row.last_error
    assert row.next_attempt_at == t0 + timedelta(minutes=15)
    # Too early for the retry: nothing happens even with the server back.
    app.config["MAIL_PORT"] = up
    assert reminders.send_due(t0 + timedelta(minutes=14)).delivery.sent == 0
    assert reminders.send_due(t0 + timedelta(minutes=15)).delivery.sent == 1
    assert reminders.send_due(t0 + timedelta(hours=5)).delivery.sent == 0
    assert [rcpts for rcpts, _m in smtp.messages] == [["siti@sukamaju.go.id"]]
    session.expire_all()
    assert _rows(session, org.employee)[0].email_state == "sent"
    failed = session.scalars(sa.select(AuditLog).where(AuditLog.action == "reminder_failed"))
    assert len(failed.all()) == 1


def test_retries_are_bounded(app, period, org, session, smtp):
    app.config["MAIL_PORT"] = _free_port()
    t0 = utcnow()
    claimed = _claim(period, None, reminders.MODE_PICKED, [org.employee.id], now=t0)
    session.commit()
    reminders.deliver(reminders.batch_ids(claimed.batch), now=t0)
    for hours in (1, 2, 3, 4, 5):
        reminders.send_due(t0 + timedelta(hours=hours))
    session.expire_all()
    row = _rows(session, org.employee)[0]
    assert (row.email_state, row.attempts) == ("gave_up", 3)
    assert smtp.messages == []


def test_a_refused_recipient_is_marked_failed_and_the_others_go_out(period, org, session, smtp):
    smtp.refuse.add("siti@sukamaju.go.id")
    claimed = _claim(period, org.bidang_a1.path)
    session.commit()
    done = reminders.deliver(reminders.batch_ids(claimed.batch))
    assert (done.sent, done.failed) == (1, 1)
    siti = _rows(session, org.employee)[0]
    assert siti.email_state == "failed" and "550" in siti.last_error
    assert [rcpts for rcpts, _m in smtp.messages] == [["budi@sukamaju.go.id"]]


def test_someone_who_submits_before_the_retry_gets_nothing(app, build, period, org, session, smtp):
    app.config["MAIL_PORT"] = _free_port()
    t0 = utcnow()
    claimed = _claim(period, None, reminders.MODE_PICKED, [org.employee.id], now=t0)
    session.commit()
    reminders.deliver(reminders.batch_ids(claimed.batch), now=t0)
    build.response(period, org.employee)
    session.commit()
    done = reminders.send_due(t0 + timedelta(hours=1)).delivery
    assert done.cancelled == 1 and smtp.messages == []


def test_admin_reads_the_outbox(admin_client, hr_client, period, org, outbox):
    hr_client.post(
        f"/hr/periods/{period.id}/reminders",
        data={"mode": "picked", "people": [str(org.employee.id)], "email": "y"},
    )
    listing = admin_client.get("/admin/outbox").get_data(as_text=True)
    name = re.search(r"/admin/outbox/([0-9-]+-[0-9a-f]{8}\.eml)", listing).group(1)
    message = admin_client.get(f"/admin/outbox/{name}").get_data(as_text=True)
    assert "siti@sukamaju.go.id" in message and "Yth. Siti Rahmawati," in message
    assert admin_client.get("/admin/outbox/..%2Fsecret_key").status_code == 404
    assert hr_client.get("/admin/outbox").status_code == 403


# --- the mobile number in the roster import ----------------------------------------------------

HEADER = ["NIP", "Nama", "Kode Unit", "Jabatan", "Golongan", "Jenis", "No. HP"]


def _row(nip, phone):
    return [nip, "Dewi Lestari", "DINAS-A", "Analis", "III/b", "PNS", phone]


def test_import_normalises_mobile_numbers_and_reports_bad_ones_per_row(org, session):
    good = imports.plan_employees(
        xlsx(
            [
                _row("198506122010011101", "0812-3456-7890"),
                _row("198506122010011102", "+62 813 1111 2222"),
                _row("198506122010011103", 6281299998888),
                _row("198506122010011104", ""),
            ],
            header=HEADER,
        )
    )
    assert good.ok, [e.line() for e in good.errors]
    imports.apply_employees(good, actor=org.admin)
    session.flush()
    phones = dict(
        session.execute(
            # The four NIPs of this file only: other tests of the run may use the same prefix.
            sa.select(Employee.nip, Employee.phone).where(
                Employee.nip.in_([f"19850612201001110{n}" for n in range(1, 5)])
            )
        ).all()
    )
    assert phones == {
        "198506122010011101": "+6281234567890",
        "198506122010011102": "+6281311112222",
        "198506122010011103": "+6281299998888",
        "198506122010011104": None,
    }
    bad = imports.plan_employees(
        xlsx(
            [
                _row("198506122010011105", "12345"),
                _row("198506122010011106", "+1 415 555 0100"),  # not Indonesian
                _row("198506122010011107", "021-555-1234"),  # a Jakarta landline
            ],
            header=HEADER,
        )
    )
    assert [(e.row, e.column) for e in bad.errors] == [(2, "G"), (3, "G"), (4, "G")]
    assert all("nomor HP" in e.message for e in bad.errors)


# --- the demo ------------------------------------------------------------------------------------


def test_the_demo_has_a_reminder_history(runner, session):
    from surveyapp.models import Period, Response, UnitTarget

    result = runner.invoke(args=["seed-demo", "--employees", "60", "--seed", "7"])
    assert result.exit_code == 0, result.output
    period = session.scalar(sa.select(Period).where(Period.code == "2026-S2"))
    rows = session.scalars(sa.select(Reminder).where(Reminder.period_id == period.id)).all()
    assert rows and {r.email_state for r in rows} == {"sent"}
    assert len({r.created_at.date() for r in rows}) == 2  # two rounds
    submitted = set(
        session.scalars(
            sa.select(Response.employee_id).where(
                Response.period_id == period.id, Response.state == "submitted"
            )
        )
    )
    assert not {r.employee_id for r in rows} & submitted
    assert period.reminder_days == "7,3,1"
    assert session.scalar(sa.select(sa.func.count()).select_from(UnitTarget)) == 1
    sent = session.scalar(
        sa.select(sa.func.count(AuditLog.id)).where(AuditLog.action == "reminder_sent")
    )
    assert sent == len(rows)
