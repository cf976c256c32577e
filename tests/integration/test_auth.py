"""Login, logout and activation, as an employee and as an attacker sees them."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from surveyapp.models import AuditLog, utcnow
from surveyapp.services import accounts
from tests.factories import PASSWORD

SAME_MESSAGE = "NIP atau kata sandi salah, atau akun tidak aktif."


def post_login(client, nip, password, next_url=""):
    return client.post("/login", data={"nip": nip, "password": password, "next": next_url})


def test_login_page_is_indonesian_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Masuk" in page
    assert 'lang="id"' in page


@pytest.mark.parametrize(
    "typed",
    ["{nip}", "{a} {b} {c} {d}", "{a}.{b}.{c}.{d}", " {nip} "],
)
def test_login_accepts_nip_with_spaces_or_dots(client, org, session, typed):
    nip = org.employee.nip
    text = typed.format(nip=nip, a=nip[:8], b=nip[8:14], c=nip[14], d=nip[15:])
    response = post_login(client, text, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert org.employee.name in home


def test_s08_wrong_password_unknown_nip_and_inactive_account_get_the_same_message(
    client, org, build, session
):
    inactive = build.employee(org.root, active=False)
    answers = [
        post_login(client, org.employee.nip, "salah-sekali-123"),
        post_login(client, "199912312020121999", PASSWORD),
        post_login(client, inactive.nip, PASSWORD),
        post_login(client, "bukan-nip", PASSWORD),
    ]
    bodies = [r.get_data(as_text=True) for r in answers]
    assert all(r.status_code == 200 for r in answers)
    assert all(SAME_MESSAGE in body for body in bodies)
    # Nothing else on the page differs between the cases.
    heads = [b.split('name="csrf_token"')[0] for b in bodies]  # the NIP typed comes later
    strip = [re.sub(r'(name="csrf-token" content=")[^"]+', r"\1", h) for h in heads]
    assert len(set(strip)) == 1
    failed = session.scalars(sa.select(AuditLog).where(AuditLog.action == "login_failed")).all()
    assert len(failed) == 4


def test_s09_login_records_audit_and_starts_fresh_session(client, org, session):
    with client.session_transaction() as sess:
        sess["planted"] = "by-attacker"
    post_login(client, org.employee.nip, PASSWORD)
    with client.session_transaction() as sess:
        assert "planted" not in sess
    assert session.scalar(sa.select(AuditLog).where(AuditLog.action == "login")) is not None


def test_s09_logout_is_post_only_and_ends_other_sessions(app, client, org):
    other_device = app.test_client()
    post_login(client, org.employee.nip, PASSWORD)
    post_login(other_device, org.employee.nip, PASSWORD)
    assert client.get("/logout").status_code == 405
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    # The other device's session was ended by the per-user counter.
    assert other_device.get("/").status_code == 302


def test_pages_need_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example", "\\\\evil", "javascript:alert(1)", "/\\evil"],
)
def test_s11_login_ignores_off_site_next(client, org, target):
    response = post_login(client, org.employee.nip, PASSWORD, next_url=target)
    assert response.headers["Location"] == "/"


def test_login_follows_local_next(client, org):
    response = post_login(client, org.hr_a.nip, PASSWORD, next_url="/hr/?period=1")
    assert response.headers["Location"] == "/hr/?period=1"


# --- activation --------------------------------------------------------------------------


@pytest.fixture
def newcomer(build, org, session):
    person = build.employee(org.bidang_a1, password=None, name="Pegawai Baru")
    code = accounts.issue_activation_code(person)
    session.flush()
    return person, code


def activate(client, nip, code, password="Melayani-Bangsa-2026", confirm=None):
    return client.post(
        "/activate",
        data={"nip": nip, "code": code, "password": password, "confirm": confirm or password},
    )


WRONG_CODE = "NIP atau kode aktivasi salah, sudah dipakai, atau kedaluwarsa."


def test_activation_sets_password_once(client, newcomer):
    person, code = newcomer
    response = activate(client, person.nip, code.lower())
    assert response.status_code == 302
    assert post_login(client, person.nip, "Melayani-Bangsa-2026").status_code == 302
    client.post("/logout")
    again = activate(client, person.nip, code, password="Lain-Lagi-Sandi-99")
    assert WRONG_CODE in again.get_data(as_text=True)


def test_s10_expired_code_gets_the_same_message_as_a_wrong_one(client, newcomer, session):
    person, code = newcomer
    person.activation_expires_at = utcnow() - timedelta(minutes=1)
    session.flush()
    expired = activate(client, person.nip, code).get_data(as_text=True)
    wrong = activate(client, person.nip, "ZZZZZZZZZZ").get_data(as_text=True)
    unknown = activate(client, "199912312020121999", code).get_data(as_text=True)
    assert WRONG_CODE in expired and WRONG_CODE in wrong and WRONG_CODE in unknown
    assert person.password_hash is None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("pendek", "minimal 10 karakter"),
        ("password123", "terlalu umum"),
        ("x{nip}", "tidak boleh memuat NIP"),
    ],
)
def test_s06_weak_password_is_refused_and_code_stays_valid(client, newcomer, password, message):
    person, code = newcomer
    text = activate(client, person.nip, code, password=password.format(nip=person.nip)).get_data(
        as_text=True
    )
    assert message in text
    assert person.password_hash is None
    assert activate(client, person.nip, code).status_code == 302


def test_s10_activation_codes_are_stored_hashed(newcomer):
    person, code = newcomer
    assert code not in (person.activation_code_hash or "")
    assert person.activation_code_hash.startswith("hmac-sha256$")  # keyed: see hash_code


def test_s09_password_change_ends_other_sessions(app, client, org):
    other = app.test_client()
    post_login(client, org.employee.nip, PASSWORD)
    post_login(other, org.employee.nip, PASSWORD)
    response = client.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "password": "Sandi-Baru-Sekali-1",
            "confirm": "Sandi-Baru-Sekali-1",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302


def test_s06_production_password_hash_cost_meets_owasp():
    """argon2id with at least 19 MiB and t=2 (OWASP's first configuration, which we use)."""
    from surveyapp.config import ProductionConfig

    assert ProductionConfig.ARGON2_MEMORY_COST >= 19 * 1024
    assert ProductionConfig.ARGON2_TIME_COST >= 2
