"""Writing the append-only audit log, and reading it back for the admin as sentences.

An entry is stored as codes (`report_downloaded`, `employee 12`, JSON before and after), so
that it never changes once written; the admin reads it as a sentence in their own language
("Maruli mengunduh laporan Excel DISKOMINFO, periode 2026-S2") and its changes as
"field: before -> after". `ACTIONS` is the one table of what each action code is called and
the sentence it makes; tests/integration/test_audit_log.py checks that every code the
package records has its row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination

from ..extensions import db
from ..i18n import current_locale, format_datetime, format_plain
from ..models import AuditLog, CoreValue, Employee, Period, QuestionnaireVersion, Response, Unit
from ..nip import nip_digits
from . import paging

PAGE_SIZE = 50


def record(
    action: str,
    *,
    actor: Employee | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    before: dict | None = None,
    after: dict | None = None,
    ip: str | None = None,
) -> AuditLog:
    entry = AuditLog(
        action=action,
        actor_id=actor.id if actor is not None else None,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        before=before,
        after=after,
        ip=ip,
    )
    db.session.add(entry)
    return entry


@dataclass(frozen=True)
class Action:
    """What an action code is called in the filter, and the sentence an entry of it makes.
    A sentence may name: %(actor)s (who did it), %(employee)s, %(unit)s, %(period)s,
    %(version)s, %(code)s (an item), %(report)s, %(file)s, %(nip)s and %(count)s."""

    group: str
    name: Any
    sentence: Any


GROUPS = {
    "accounts": _l("Accounts and logins"),
    "people": _l("Employees and units"),
    "questions": _l("Question bank"),
    "periods": _l("Periods"),
    "files": _l("Reports and files"),
    "followup": _l("Reminders and action plans"),
}

ACTIONS: dict[str, Action] = {
    "login": Action("accounts", _l("Logged in"), _l("%(actor)s logged in")),
    "login_failed": Action("accounts", _l("Failed login"), _l("A login with NIP %(nip)s failed")),
    "login_throttled": Action(
        "accounts",
        _l("Logins paused"),
        _l("Logins with NIP %(nip)s were paused after too many failed attempts"),
    ),
    "logout": Action("accounts", _l("Logged out"), _l("%(actor)s logged out")),
    "activated": Action(
        "accounts", _l("Account activated"), _l("%(actor)s activated their account")
    ),
    "activation_failed": Action(
        "accounts", _l("Failed activation"), _l("An activation with NIP %(nip)s failed")
    ),
    "activation_code_issued": Action(
        "accounts",
        _l("Activation code issued"),
        _l("%(actor)s issued a new activation code for %(employee)s"),
    ),
    "admin_created": Action(
        "accounts",
        _l("Admin account created"),
        _l("The admin account of %(employee)s was created on the command line"),
    ),
    "demo_accounts_deactivated": Action(
        "accounts",
        _l("Demo accounts deactivated"),
        _l("%(count)s demo accounts were deactivated"),
    ),
    "employee_changed": Action(
        "people", _l("Employee changed"), _l("%(actor)s changed the details of %(employee)s")
    ),
    "employees_imported": Action(
        "people", _l("Roster imported"), _l("%(actor)s imported the roster from Excel")
    ),
    "unit_created": Action("people", _l("Unit created"), _l("%(actor)s created unit %(unit)s")),
    "unit_changed": Action("people", _l("Unit changed"), _l("%(actor)s changed unit %(unit)s")),
    "unit_activated": Action(
        "people", _l("Unit reactivated"), _l("%(actor)s reactivated unit %(unit)s")
    ),
    "unit_deactivated": Action(
        "people", _l("Unit deactivated"), _l("%(actor)s deactivated unit %(unit)s")
    ),
    "units_imported": Action(
        "people", _l("Units imported"), _l("%(actor)s imported the units from Excel")
    ),
    "culture_map_added": Action(
        "questions",
        _l("Culture map added"),
        _l("%(actor)s added a culture map to %(version)s"),
    ),
    "culture_map_edited": Action(
        "questions",
        _l("Culture map changed"),
        _l("%(actor)s changed the culture map of %(version)s"),
    ),
    "culture_behaviour_added": Action(
        "questions",
        _l("Limiting behaviour added"),
        _l("%(actor)s added a limiting behaviour to the culture map of %(version)s"),
    ),
    "culture_behaviour_removed": Action(
        "questions",
        _l("Limiting behaviour removed"),
        _l("%(actor)s removed a limiting behaviour from the culture map of %(version)s"),
    ),
    "version_edited": Action(
        "questions",
        _l("Scoring settings changed"),
        _l("%(actor)s changed how answers of %(version)s are scored"),
    ),
    "item_edited": Action(
        "questions", _l("Item changed"), _l("%(actor)s changed item %(code)s of %(version)s")
    ),
    "item_added": Action(
        "questions", _l("Item added"), _l("%(actor)s added item %(code)s to %(version)s")
    ),
    "item_removed": Action(
        "questions", _l("Item removed"), _l("%(actor)s removed item %(code)s from %(version)s")
    ),
    "version_items_imported": Action(
        "questions",
        _l("Items replaced from Excel"),
        _l("%(actor)s replaced the items of %(version)s from Excel"),
    ),
    "version_published": Action(
        "questions", _l("Version published"), _l("%(actor)s published %(version)s")
    ),
    "version_copied": Action(
        "questions", _l("New draft made"), _l("%(actor)s made the new draft %(version)s")
    ),
    "period_created": Action(
        "periods", _l("Period created"), _l("%(actor)s created period %(period)s")
    ),
    "period_opened": Action(
        "periods", _l("Period opened"), _l("%(actor)s opened period %(period)s")
    ),
    "period_closed": Action(
        "periods", _l("Period closed"), _l("%(actor)s closed period %(period)s")
    ),
    "period_extended": Action(
        "periods",
        _l("Deadline extended"),
        _l("%(actor)s extended the deadline of period %(period)s"),
    ),
    "period_target_set": Action(
        "periods",
        _l("Participation target set"),
        _l("%(actor)s set the participation target of period %(period)s"),
    ),
    "unit_target_set": Action(
        "periods",
        _l("Unit target set"),
        _l("%(actor)s set the participation target of one unit in period %(period)s"),
    ),
    "reminder_sent": Action(
        "followup", _l("Reminder sent"), _l("A reminder e-mail was sent to %(employee)s")
    ),
    "reminder_failed": Action(
        "followup",
        _l("Reminder not delivered"),
        _l("A reminder e-mail to %(employee)s could not be sent; it is tried again"),
    ),
    "reminder_cancelled": Action(
        "followup",
        _l("Reminder cancelled"),
        _l("The reminder to %(employee)s was not sent: they had submitted"),
    ),
    "reminder_whatsapp_prepared": Action(
        "followup",
        _l("WhatsApp reminder prepared"),
        _l("%(actor)s prepared a WhatsApp reminder for %(employee)s"),
    ),
    "plan_created": Action(
        "followup",
        _l("Action plan created"),
        _l("%(actor)s made the action plan of unit %(unit)s"),
    ),
    "plan_changed": Action(
        "followup",
        _l("Action plan changed"),
        _l("%(actor)s changed the action plan of unit %(unit)s"),
    ),
    "plan_note_added": Action(
        "followup",
        _l("Progress note added"),
        _l("%(actor)s added a progress note to the action plan of unit %(unit)s"),
    ),
    "roster_added": Action(
        "periods",
        _l("Added to a roster"),
        _l("%(actor)s added %(employee)s to the roster of period %(period)s"),
    ),
    "response_reopened": Action(
        "periods",
        _l("Answers reopened"),
        _l("%(actor)s reopened the sent answers of %(employee)s, period %(period)s"),
    ),
    "report_downloaded": Action(
        "files",
        _l("Report downloaded"),
        _l("%(actor)s downloaded %(report)s %(unit)s, period %(period)s"),
    ),
    "report_exported": Action(
        "files",
        _l("Report written on the command line"),
        _l("%(report)s %(unit)s, period %(period)s, was written on the command line"),
    ),
    "job_file_downloaded": Action(
        "files", _l("File downloaded"), _l("%(actor)s downloaded the file %(file)s")
    ),
}

# What a job or report kind is called inside a sentence.
REPORTS = {
    "workbook": _l("the Excel report"),
    "non_respondents": _l("the list of people who have not submitted"),
}

# Field names of the changes ("field: before -> after").
FIELDS = {
    "name": _l("Name"),
    "unit_id": _l("Unit"),
    "hr_unit_id": _l("HR scope"),
    "jabatan": _l("Position (jabatan)"),
    "golongan": _l("Golongan"),
    "jenis": _l("Employment type (jenis)"),
    "email": _l("E-mail"),
    "is_hr": _l("HR officer"),
    "is_admin": _l("Admin"),
    "active": _l("Active"),
    "parent": _l("Parent unit"),
    "code": _l("Code"),
    "state": _l("State"),
    "closes_at": _l("Deadline"),
    "version_id": _l("Questionnaire version"),
    "eligible": _l("People on the roster"),
    "reason": _l("Reason"),
    "text": _l("Statement"),
    "text_id": _l("Statement in Indonesian"),
    "text_en": _l("Statement in English (optional)"),
    "behaviour": _l("Behaviour it measures"),
    "reverse": _l("Reverse-keyed"),
    "order": _l("Place among the items of this core value"),
    "moved": _l("Items moved"),
    "items": _l("Items"),
    "min_group_size": _l("Fewest respondents whose results are shown"),
    "scale": _l("Answer options"),
    "scale_labels": _l("Words of the answers"),
    "bands": _l("Bands"),
    "weights": _l("Weights in the overall index"),
    "warnings": _l("Behaviours without an item"),
    "rows": _l("Rows"),
    "create": _l("New"),
    "update": _l("Changed"),
    "deactivate": _l("Deactivated"),
    "errors": _l("Errors"),
    "count": _l("Number"),
}

STATES = {
    "draft": _l("Draft"),
    "open": _l("Open"),
    "closed": _l("Closed"),
    "submitted": _l("Submitted"),
}
REASONS = {"inactive": _l("account not active"), "bad_credentials": _l("wrong NIP or password")}
# Keys a sentence already says, or that mean nothing to a reader (a job's token).
SAID = {"kind", "file", "job", "unit", "employee_id", "nip", "from_version", "number"}


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None  # None: the entry holds only the value after (or only before)
    after: str | None


@dataclass(frozen=True)
class Line:
    """One entry as the admin reads it."""

    id: int
    at: datetime
    who: str
    action: str  # the action's name
    sentence: str
    changes: list[Change]
    ip: str


class _Names:
    """The names an entry's ids stand for, loaded for a whole page in a few queries."""

    def __init__(self, entries: Sequence[AuditLog]):
        ids: dict[str, set] = {"period": set(), "unit": set(), "employee": set(), "version": set()}
        responses = set()
        for e in entries:
            after, before = e.after or {}, e.before or {}
            target = _int(e.object_id)
            if e.object_type == "period" and target:
                ids["period"].add(target)
            elif e.object_type == "unit" and target:
                ids["unit"].add(target)
            elif e.object_type == "employee" and target:
                ids["employee"].add(target)
            elif e.object_type == "questionnaire_version" and target:
                ids["version"].add(target)
            elif e.object_type == "response" and target:
                responses.add(target)
            if _int(after.get("version_id")):
                ids["version"].add(_int(after["version_id"]))
            if _int(after.get("employee_id")):
                ids["employee"].add(_int(after["employee_id"]))
            for side in (before, after):
                for key in ("unit_id", "hr_unit_id"):
                    if _int(side.get(key)):
                        ids["unit"].add(_int(side[key]))
        self.response_period = dict(
            db.session.execute(
                sa.select(Response.id, Response.period_id).where(Response.id.in_(responses))
            ).all()
        )
        ids["period"] |= set(self.response_period.values())
        self.periods = dict(
            db.session.execute(
                sa.select(Period.id, Period.code).where(Period.id.in_(ids["period"]))
            ).all()
        )
        self.units = {
            uid: f"{name} ({code})"
            for uid, name, code in db.session.execute(
                sa.select(Unit.id, Unit.name, Unit.code).where(Unit.id.in_(ids["unit"]))
            )
        }
        self.people = dict(
            db.session.execute(
                sa.select(Employee.id, Employee.name).where(Employee.id.in_(ids["employee"]))
            ).all()
        )
        self.versions = {
            version.id: f"{version.questionnaire.name} v{version.number}"
            for version in db.session.scalars(
                sa.select(QuestionnaireVersion).where(QuestionnaireVersion.id.in_(ids["version"]))
            )
        }
        self.values = {v.code: v for v in db.session.scalars(sa.select(CoreValue))}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def describe(entries: Iterable[AuditLog]) -> list[Line]:
    """Each entry as a sentence in the current language, with its changes."""
    entries = list(entries)
    names = _Names(entries)
    return [_line(entry, names) for entry in entries]


def action_name(code: str) -> str:
    action = ACTIONS.get(code)
    return str(action.name) if action else code


def _line(entry: AuditLog, names: _Names) -> Line:
    after, before = entry.after or {}, entry.before or {}
    target = _int(entry.object_id)
    actor = entry.actor.name if entry.actor is not None else _("The system")
    employee = names.people.get(_int(after.get("employee_id")))
    if entry.object_type == "employee":
        employee = names.people.get(target)
    period = names.periods.get(target) if entry.object_type == "period" else None
    if entry.object_type == "response":
        period = names.periods.get(names.response_period.get(target))
    code = after.get("code") or before.get("code") or ""
    values = {
        "actor": actor,
        "employee": employee or "–",
        "unit": (
            names.units.get(target, "–") if entry.object_type == "unit" else after.get("unit") or ""
        ),
        "period": period or entry.object_id or "–",
        "version": names.versions.get(target, "–"),
        "code": code,
        "report": str(REPORTS.get(after.get("kind"), after.get("kind") or "")),
        "file": after.get("file") or "–",
        "nip": entry.object_id or "–",
        "count": after.get("count", ""),
    }
    action = ACTIONS.get(entry.action)
    if action is None:  # an action this version of the app does not know: say what is stored
        sentence = f"{actor}: {entry.action}"
    else:
        sentence = " ".join((str(action.sentence) % values).split())  # no double space
    return Line(
        id=entry.id,
        at=entry.at,
        who=entry.actor.name if entry.actor is not None else "–",
        action=action_name(entry.action),
        sentence=sentence,
        changes=_changes(before, after, names, code),
        ip=entry.ip or "",
    )


def _changes(before: dict, after: dict, names: _Names, code: str) -> list[Change]:
    keys = [k for k in before if k not in SAID] + [
        k for k in after if k not in before and k not in SAID
    ]
    changes = []
    for key in keys:
        if key == "code" and (key not in before or key not in after or before[key] == after[key]):
            continue
        if key in ("items", "moved") and not after.get(key) and not before.get(key):
            continue
        label = str(FIELDS.get(key, key))
        was = _shown(key, before[key], names, code) if key in before else None
        now = _shown(key, after[key], names, code) if key in after else None
        changes.append(Change(label, was, now))
    return changes


def _shown(key: str, value, names: _Names, code: str) -> str:
    """A stored value as words: units by name, yes/no, states, dates, bands and weights."""
    if value is None or value == "":
        return "–"
    if key in ("unit_id", "hr_unit_id"):
        return names.units.get(_int(value), str(value))
    if key == "version_id":
        return names.versions.get(_int(value), str(value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key == "state":
        return str(STATES.get(value, value))
    if key == "reason":
        return str(REASONS.get(value, value))
    if key == "closes_at":
        try:
            return format_datetime(datetime.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    if key == "behaviour" and code[:2] in names.values and value in (1, 2, 3):
        return names.values[code[:2]].behaviour(value, current_locale())
    if key == "scale" and isinstance(value, list) and len(value) == 2:
        return f"{value[0]}–{value[1]}"
    if key == "scale_labels" and isinstance(value, dict):
        return ", ".join(value.get("en" if current_locale().startswith("en") else "id") or [])
    if key == "bands" and isinstance(value, list):
        field = "label_en" if current_locale().startswith("en") else "label_id"
        return "; ".join(
            f"{b.get(field, '')} {format_plain(b.get('lower', 0))}"
            for b in value
            if isinstance(b, dict)
        )
    if key == "weights" and isinstance(value, dict):
        return "; ".join(f"{k} {format_plain(v)}" for k, v in value.items())
    if isinstance(value, int | float):
        return format_plain(value)
    if isinstance(value, list):
        return (
            ", ".join(str(v.get("code", v)) if isinstance(v, dict) else str(v) for v in value)
            or "–"
        )
    if isinstance(value, dict):
        return "; ".join(f"{k} {v}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True)
class AuditFilter:
    """What the admin narrowed the log to; empty fields filter nothing."""

    who: str = ""  # part of a name, or a whole NIP
    action: str = ""  # an action code, chosen by its name
    period_id: int | None = None  # everything about one period
    start: datetime | None = None  # aware, inclusive
    end: datetime | None = None  # aware, exclusive

    def params(self) -> dict:
        """The filter as a job's JSON parameters (and back with `from_params`)."""
        return {
            "who": self.who,
            "action": self.action,
            "period": self.period_id,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }

    @classmethod
    def from_params(cls, params: dict) -> AuditFilter:
        def moment(text):
            return datetime.fromisoformat(text) if text else None

        return cls(
            who=params.get("who") or "",
            action=params.get("action") or "",
            period_id=params.get("period"),
            start=moment(params.get("start")),
            end=moment(params.get("end")),
        )


def query(filters: AuditFilter) -> sa.Select:
    """The entries that match, newest first."""
    statement = sa.select(AuditLog).outerjoin(Employee, Employee.id == AuditLog.actor_id)
    who = filters.who.strip()[:100]
    if who:
        digits = nip_digits(who)
        statement = statement.where(
            sa.or_(
                Employee.name.ilike(f"%{who}%"),
                Employee.nip == digits if len(digits) == 18 else sa.false(),
            )
        )
    if filters.action:
        statement = statement.where(AuditLog.action == filters.action)
    if filters.period_id is not None:
        in_period = sa.select(Response.id.cast(sa.String)).where(
            Response.period_id == filters.period_id
        )
        statement = statement.where(
            sa.or_(
                sa.and_(
                    AuditLog.object_type == "period",
                    AuditLog.object_id == str(filters.period_id),
                ),
                sa.and_(AuditLog.object_type == "response", AuditLog.object_id.in_(in_period)),
            )
        )
    if filters.start:
        statement = statement.where(AuditLog.at >= filters.start)
    if filters.end:
        statement = statement.where(AuditLog.at < filters.end)
    return statement.order_by(AuditLog.id.desc())


def search(filters: AuditFilter, page: int = 1, per_page: int = PAGE_SIZE) -> Pagination:
    """A page of the entries that match, newest first (db.paginate through services/paging)."""
    return paging.paginate(query(filters), page, per_page=per_page)


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The actions by group, each by its name in the current language, for the filter."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, action in ACTIONS.items():
        groups.setdefault(action.group, []).append((code, str(action.name)))
    return [
        (str(GROUPS[group]), sorted(groups[group], key=lambda pair: pair[1]))
        for group in GROUPS
        if group in groups
    ]


def periods() -> list[Period]:
    return list(db.session.scalars(sa.select(Period).order_by(Period.opens_at.desc())))


def recent(limit: int) -> list[Line]:
    """The latest entries as sentences, for the admin's home page."""
    return describe(
        db.session.scalars(sa.select(AuditLog).order_by(AuditLog.id.desc()).limit(limit))
    )
