"""The audit log page: filters, pages, and append-only down to the database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from surveyapp.models import AuditLog
from surveyapp.services import audit


def _entry(session, action, actor=None, at=None, object_type="period", object_id=1, **extra):
    entry = audit.record(action, actor=actor, object_type=object_type, object_id=object_id, **extra)
    if at is not None:
        entry.at = at
    session.flush()
    return entry


def _rows(page: str) -> int:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return body.count("<tr>")


def test_filters_by_person_action_object_and_local_dates(admin_client, org, session):
    # 1 March 2027 17:30 UTC is 2 March 00:30 in Jakarta: it belongs to 2 March.
    late = _entry(
        session,
        "period_closed",
        org.admin,
        datetime(2027, 3, 1, 17, 30, tzinfo=UTC),
        object_id=41,
    )
    _entry(session, "period_opened", org.hr_a, datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    _entry(
        session,
        "version_edited",
        org.admin,
        datetime(2027, 3, 5, 9, 0, tzinfo=UTC),
        object_type="questionnaire_version",
    )

    def page(query):
        return admin_client.get("/admin/audit?" + query).get_data(as_text=True)

    assert "period_closed" in page("from=2027-03-02&to=2027-03-02")
    assert _rows(page("from=2027-03-02&to=2027-03-02")) == 1
    assert _rows(page("from=2027-03-01&to=2027-03-01")) == 1  # the 09:00 UTC entry only
    assert _rows(page("who=Rina")) == 1 and "period_opened" in page("who=Rina")
    assert _rows(page(f"who={org.admin.nip}&from=2027-01-01&to=2027-12-31")) == 2
    assert _rows(page("object=questionnaire_version")) == 1
    assert _rows(page(f"object=period&object_id={late.object_id}")) == 1
    assert _rows(page("action=period_opened&from=2027-03-01")) == 1
    # Nonsense in the query string filters nothing out by accident and breaks nothing: a date
    # that is not one and a page that does not exist are refused with a message (S37).
    assert admin_client.get("/admin/audit?who=%27%22<x>").status_code == 200
    refused = admin_client.get("/admin/audit?from=kemarin")
    assert refused.status_code == 422 and "antara tahun 2000 dan 2100" in refused.text
    assert admin_client.get("/admin/audit?page=-4").status_code == 404


def test_pages_of_fifty_newest_first(admin_client, org, session):
    for n in range(120):
        _entry(session, "bulk_test", org.admin, object_id=n)
    first = admin_client.get("/admin/audit?action=bulk_test").get_data(as_text=True)
    assert _rows(first) == 50 and "Halaman 1 dari 3" in first
    assert first.index("period 119") < first.index("period 118")
    last = admin_client.get("/admin/audit?action=bulk_test&page=3").get_data(as_text=True)
    assert _rows(last) == 20 and "Halaman 3 dari 3" in last
    assert "action=bulk_test" in last.split('class="pager"')[1]  # filters kept across pages


def test_entries_show_as_text_not_markup(admin_client, org, session):
    _entry(session, "item_added", org.admin, after={"text": "<script>alert(1)</script>"})
    page = admin_client.get("/admin/audit?action=item_added").get_data(as_text=True)
    assert "<script>alert(1)" not in page


def test_no_route_can_change_the_audit_log(app, admin_client, org, session):
    """Every route under /admin/audit reads only; writing verbs are refused there."""
    rules = [r for r in app.url_map.iter_rules() if "audit" in r.rule]
    assert rules and all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in rules)
    entry = _entry(session, "period_opened", org.admin)
    count = session.scalar(sa.select(sa.func.count(AuditLog.id)))
    for method in ("post", "put", "patch", "delete"):
        for url in ("/admin/audit", f"/admin/audit/{entry.id}"):
            reply = getattr(admin_client, method)(url, data={"action": "x"})
            assert reply.status_code in (404, 405)
    session.expire_all()
    assert entry.action == "period_opened"
    assert session.scalar(sa.select(sa.func.count(AuditLog.id))) == count


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET action = 'harmless' WHERE id = :id",
        "UPDATE audit_log SET after = NULL WHERE id = :id",
        "UPDATE audit_log SET actor_id = NULL, action = 'x' WHERE id = :id",
        "DELETE FROM audit_log WHERE id = :id",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_entry(org, session, statement):
    entry = _entry(session, "period_opened", org.admin, after={"state": "open"})
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), session.begin_nested():
        session.execute(sa.text(statement), {"id": entry.id})
    session.expire_all()
    assert (entry.action, entry.after, entry.actor_id) == (
        "period_opened",
        {"state": "open"},
        org.admin.id,
    )


def test_removing_an_account_keeps_its_entries_with_no_actor(build, org, session):
    """The one change the database allows: the foreign key's ON DELETE SET NULL."""
    leaver = build.employee(org.dinas_b, name="Pegawai Keluar")
    entry = _entry(session, "login", leaver, object_type="employee", object_id=leaver.id)
    session.execute(sa.text("DELETE FROM employees WHERE id = :id"), {"id": leaver.id})
    session.expire_all()
    assert entry.actor_id is None and entry.action == "login"
