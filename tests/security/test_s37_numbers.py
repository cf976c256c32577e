"""S37: digits that are not ASCII (superscripts, Arabic-Indic, fullwidth) and numbers too big
for the database, in any path, query string or form field, give 404 or 422 with a message,
never 500.

`str.isdigit` accepts "²" (and `int` then raises), `int` and werkzeug's `<int:...>` accept "٣"
and "３", and a 20-digit id or page number overflows the database's integers. The test walks
`app.url_map` with the role fixtures of the S01 matrix, so a new route is attacked as soon as
it exists.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from surveyapp.extensions import db
from surveyapp.models import Answer, AuditLog, Employee, Item, Period, Unit
from tests import factories
from tests.security import test_s01_role_matrix as s01

ALL_ROUTES, ARGUMENTS, MATRIX = s01.ALL_ROUTES, s01.ARGUMENTS, s01.MATRIX
world = s01.world  # the S01 fixture: an open period, a draft, a job, the standard org

BAD_VALUES = ("²", "٣", "３", "99999999999999999999", "-1", "1e3")
ROLES = ("employee", "hr", "admin")

# Every query parameter a view reads (grep request.args in surveyapp/*/): all get the bad
# value at once on every route.
QUERY_PARAMS = (
    "unit",
    "page",
    "period",
    "from",
    "to",
    "sort",
    "dir",
    "q",
    "who",
    "action",
    "object",
    "object_id",
    "next",
)

# Every form field a view reads as a number or a date (grep request.form and the forms); the
# per-world ones (answers, item positions) are added by _numeric_form_fields.
FORM_FIELDS = (
    "unit",
    "people",
    "target_percent",
    "min_respondents",
    "unit-unit",
    "unit-target_percent",
    "parent",
    "hr_unit",
    "behaviour",
    "lock_version",
    "min_group_size",
    "scale_min",
    "scale_max",
    "bands-0-lower",
    "weights-0",
    "order",
    "version",
    "units",
    "opens_at",
    "closes_at",
    "value",
)

# The numeric inputs each view reads, tried one at a time on an otherwise good request: a
# role that may use the route must be refused (never 200), with nothing written.
NUMERIC_INPUTS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("hr.home", "GET"): ("query", ("period",)),
    ("hr.non_respondents", "GET"): ("query", ("unit", "page")),
    ("admin.audit_log", "GET"): ("query", ("page", "from", "to")),
    ("admin.employees", "GET"): ("query", ("page",)),
    ("hr.non_respondents_xlsx", "POST"): ("form", ("unit",)),
    ("hr.report_xlsx", "POST"): ("form", ("unit",)),
    ("admin.unit_create", "POST"): ("form", ("parent",)),
    ("admin.unit_update", "POST"): ("form", ("parent",)),
    ("admin.employee_edit", "POST"): ("form", ("unit", "hr_unit")),
    ("admin.question_settings", "POST"): (
        "form",
        ("lock_version", "min_group_size", "scale_min", "scale_max", "bands-0-lower", "weights-0"),
    ),
    ("admin.question_item", "POST"): ("form", ("lock_version", "behaviour", "order")),
    ("admin.question_version_publish", "POST"): ("form", ("lock_version",)),
    ("admin.question_item_add", "POST"): ("form", ("behaviour",)),
    ("admin.period_new", "POST"): ("form", ("version", "units", "opens_at", "closes_at")),
    ("admin.period_extend", "POST"): ("form", ("closes_at",)),
    ("admin.period_target", "POST"): ("form", ("target_percent", "min_respondents")),
    ("admin.period_unit_target", "POST"): ("form", ("unit-unit", "unit-target_percent")),
    ("hr.remind", "POST"): ("form", ("unit", "people")),
    ("survey.save_page", "POST"): ("form", ("answer",)),
    ("survey.autosave", "POST"): ("json", ("value",)),
}

PLACEHOLDER = re.compile(r"<(?:[^<>]*:)?(\w+)>")
PATH_REFUSED = {400, 403, 404}
REFUSED = {303, 400, 403, 404, 409, 422}
ANSWERED = REFUSED | {200, 302}  # a route that reads none of the values may just work


def _good_forms(w) -> dict[str, dict[str, str]]:
    """A request each view would accept (or refuse for a reason after parsing), so that the
    one bad field is the thing tested."""
    version = w["period"].version
    org = w["org"]
    return {
        "admin.question_settings": {
            "lock_version": str(version.lock_version),
            "min_group_size": "5",
            "scale_min": str(version.scale_min),
            "scale_max": str(version.scale_max),
        },
        "admin.question_item": {
            "lock_version": str(version.lock_version),
            "text_id": "Butir",
            "behaviour": "1",
            "order": "1",
        },
        "admin.question_version_publish": {"lock_version": str(version.lock_version)},
        "admin.question_item_add": {"behaviour": "BP-1", "text_id": "Butir"},
        "admin.employee_edit": {
            "name": "Budi Santoso",
            "unit": str(org.bidang_a1.id),
            "jenis": "PNS",
            "active": "1",
            "is_hr": "1",
        },
        "admin.unit_create": {"code": "S37", "name": "Unit S37"},
        "admin.unit_update": {"name": "Dinas A"},
        "admin.period_new": {
            "code": "P-S37",
            "name": "Periode S37",
            "version": str(version.id),
            "opens_at": "2030-01-01T08:00",
            "closes_at": "2030-02-01T08:00",
            "units": str(org.root.id),
        },
        "admin.period_extend": {"closes_at": "2099-01-01T08:00"},
        "admin.period_target": {"target_percent": "80"},
        "admin.period_unit_target": {
            "unit-unit": str(org.dinas_a.id),
            "unit-target_percent": "90",
        },
        "hr.remind": {"mode": "picked", "people": str(org.employee.id), "email": "y"},
    }


def _field_names(w, name: str) -> list[str]:
    """The form names behind a symbolic field: every answer, every item position."""
    items = w["period"].version.items
    if name == "answer":
        return [f"item-{item.code}" for item in items]
    return [name]


def _all_bad_form(w, bad: str) -> dict[str, str]:
    form = dict.fromkeys(FORM_FIELDS, bad)
    for name in ("answer",):
        form.update(dict.fromkeys(_field_names(w, name), bad))
    return form


def _path(rule, w, bad_arg: str | None = None, bad: str = "") -> str:
    def value(match):
        name = match.group(1)
        if name == bad_arg:
            return quote(bad, safe="")
        return quote(str(ARGUMENTS[name](w)), safe="/")

    return PLACEHOLDER.sub(value, rule.rule)


def _may_use(endpoint: str, method: str, role: str) -> bool:
    return s01.expected(MATRIX[endpoint][method], role) not in (302, 403)


def _writes() -> tuple[int, ...]:
    """What any accepted change would add to or alter (every admin change is audited)."""
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (AuditLog, Answer, Unit, Item, Period, Employee)
    )


def _shows_message(response) -> bool:
    if response.is_json:
        return bool(response.get_json().get("message"))
    text = response.get_data(as_text=True)
    markers = ('class="error-code"', "flash-error", 'class="field-error"', 'role="alert"')
    return any(m in text for m in markers)


@pytest.mark.parametrize("bad", BAD_VALUES)
@pytest.mark.parametrize("role", ROLES)
def test_s37_every_route_refuses_odd_numbers(app, world, bad, role):
    person = {"employee": world["org"].employee, "hr": world["org"].hr_a}.get(
        role, world["org"].admin
    )
    client = app.test_client()
    problems: list[str] = []

    def send(what, url, method, allowed, **kwargs):
        factories.login_session(client, person)  # a route such as logout ends the session
        response = client.open(url, method=method, **kwargs)
        status = response.status_code
        if status not in allowed:
            problems.append(f"{what}: {method} {url} -> {status}")
        elif status >= 400 and not _shows_message(response):
            problems.append(f"{what}: {method} {url} -> {status} without a message")
        return response

    items = world["period"].version.items
    for endpoint, method in ALL_ROUTES:
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        for arg in sorted(rule.arguments):
            send("path", _path(rule, world, arg, bad), method, PATH_REFUSED)
        # Every query parameter and form field at once: whatever the route reads, no 500.
        body = (
            {"json": {"item": items[0].code, "value": bad}}
            if endpoint == "survey.autosave"
            else {"data": _all_bad_form(world, bad) if method == "POST" else None}
        )
        query = dict.fromkeys(QUERY_PARAMS, bad)
        send("all", _path(rule, world), method, ANSWERED, query_string=query, **body)
        # Each numeric input alone on an otherwise good request.
        where, fields = NUMERIC_INPUTS.get((endpoint, method), ("", ()))
        allowed = REFUSED if _may_use(endpoint, method, role) else {403}
        for field in fields:
            before = _writes()
            if where == "query":
                send(field, _path(rule, world), method, allowed, query_string={field: bad})
            elif where == "json":
                value = {"item": items[0].code, "value": bad}
                send(field, _path(rule, world), method, allowed, json=value)
            else:
                form = _good_forms(world).get(endpoint, {})
                form.update(dict.fromkeys(_field_names(world, field), bad))
                send(field, _path(rule, world), method, allowed, data=form)
            if _writes() != before:
                problems.append(f"{field}={bad!r} on {endpoint} wrote something")
    assert not problems, "\n".join(problems)


def test_s37_a_huge_json_answer_is_out_of_scale(app, world):
    client = app.test_client()
    factories.login_session(client, world["org"].employee)
    item = world["period"].version.items[0]
    reply = client.post(
        f"/survey/{world['period'].code}/answers", json={"item": item.code, "value": 10**20}
    )
    assert reply.status_code == 422 and reply.get_json()["error"] == "out_of_scale"


@pytest.mark.parametrize(
    ("locale", "date_message", "page_message"),
    [
        (
            "id",
            "Masukkan tanggal yang valid antara tahun 2000 dan 2100.",
            "Tidak ada halaman dengan nomor ini.",
        ),
        (
            "en",
            "Enter a valid date between the years 2000 and 2100.",
            "There is no page with this number.",
        ),
    ],
)
def test_s37_refusals_say_why_in_both_languages(app, world, locale, date_message, page_message):
    client = app.test_client()
    factories.login_session(client, world["org"].admin)
    with client.session_transaction() as sess:
        sess["locale"] = locale
    for query in ("from=0001-01-01", "to=9999-12-31", "from=٢٠٢٧-٠١-٠١", "from=kemarin"):
        reply = client.get(f"/admin/audit?{query}")
        assert reply.status_code == 422 and date_message in reply.text, query
    period = world["period"].id
    for url in (
        "/admin/audit?page=99999999999999999999",
        f"/hr/periods/{period}/non-respondents?page=²",
        "/admin/employees?page=٣",
    ):
        reply = client.get(url)
        assert reply.status_code == 404 and page_message in reply.text, url


def test_s37_huge_and_foreign_ids_in_paths_are_404(app, world):
    client = app.test_client()
    factories.login_session(client, world["org"].admin)
    period = world["period"]
    for url in (
        "/hr/periods/99999999999999999999/non-respondents",
        f"/hr/periods/{2**31}/non-respondents",
        f"/hr/periods/{period.id}/units/{2**63}",
        f"/admin/units/{quote('٣')}",
        f"/admin/periods/{quote('３')}",
        f"/survey/{period.code}/page/{quote('١')}",
    ):
        assert client.get(url).status_code == 404, url
    unit = world["org"].dinas_a.id
    ok = client.get(f"/hr/periods/{period.id}/non-respondents?unit={unit}&page=1")
    assert ok.status_code == 200
