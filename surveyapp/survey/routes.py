"""Employee pages: home, the questionnaire (one page per core value), review, submit, result.

URLs name a period by its code and never a response id: a person only ever reaches their
own response, through the roster (S02). Views parse, call services/responses, commit once.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from .. import charts
from ..db_sqlite import writes
from ..extensions import db
from ..i18n import current_locale
from ..models import RESPONSE_SUBMITTED, Period, utcnow
from ..models.questionnaire import SCALE_CEILING, SCALE_FLOOR
from ..nip import format_nip
from ..parsing import ascii_int
from ..services import employees, periods, personal, responses
from ..services.responses import ResponseError
from . import bp

ERRORS = {
    "not_on_roster": (404, _l("This period does not exist or you are not on its roster.")),
    "unknown_item": (404, _l("This question is not part of the questionnaire.")),
    "out_of_scale": (422, _l("That answer is not on the scale.")),
    "period_closed": (409, _l("The period is closed; answers can no longer be changed.")),
    "already_submitted": (409, _l("Your answers were already sent and can no longer change.")),
    "nothing_to_save": (400, _l("No answer was sent.")),
    "incomplete": (409, _l("Some questions are not answered yet.")),
}


def _me():
    return current_user._get_current_object()


def _period(code: str) -> Period:
    period = periods.by_code(code)
    if period is None:
        abort(404)
    try:
        responses.open_for(period, _me())
    except ResponseError:
        abort(404)
    return period


@bp.get("/")
@login_required
def home():
    employee = _me()
    open_statuses = responses.statuses_for(employee, periods.open_periods_for(employee))
    past_statuses = responses.statuses_for(employee, periods.past_periods_for(employee))
    ask = employees.whom_to_ask(employee) if not open_statuses else None
    return render_template(
        "survey/home.html", open_statuses=open_statuses, past=past_statuses, ask=ask
    )


def _page_context(period: Period, number: int):
    pages = responses.value_pages(period.version)
    if not 1 <= number <= len(pages):
        abort(404)
    response = responses.find_response(period, _me())
    answers = responses.answers_by_code(response)
    writable = periods.accepts_answers(period) and (
        response is None or response.state != RESPONSE_SUBMITTED
    )
    value, items = pages[number - 1]
    return {
        "period": period,
        "pages": pages,
        "steps": _steps(pages, answers),
        "number": number,
        "value": value,
        "items": items,
        "answers": answers,
        "answered": len(answers),
        "total": sum(len(i) for _v, i in pages),
        "writable": writable,
        "response": response,
        "locale": current_locale(),
        "version": period.version,
    }


def _steps(pages, answers: dict[str, int]) -> list[tuple[int, object, int, int]]:
    """(page number, core value, answered, items) for the step markers above each page."""
    return [
        (n, value, sum(item.code in answers for item in items), len(items))
        for n, (value, items) in enumerate(pages, 1)
    ]


@bp.get("/survey/<period_code>/page/<int:number>")
@login_required
def page(period_code: str, number: int):
    return render_template("survey/page.html", **_page_context(_period(period_code), number))


@bp.post("/survey/<period_code>/page/<int:number>")
@writes
@login_required
def save_page(period_code: str, number: int):
    """The form without JavaScript: save what is ticked, then go where the button says."""
    period = _period(period_code)
    context = _page_context(period, number)
    values = {}
    for item in context["items"]:
        raw = request.form.get(f"item-{item.code}", "")
        if raw == "":
            continue
        value = ascii_int(
            raw, SCALE_FLOOR, SCALE_CEILING
        )  # the service checks the version's own scale
        if value is None:
            return _page_error(context, "out_of_scale")
        values[item.code] = value
    if values:
        try:
            responses.save_by_code(period, _me(), values)
        except ResponseError as error:
            db.session.rollback()
            return _page_error(context, error.code)
        db.session.commit()
    go = request.form.get("go", "stay")
    if go == "stay":  # the message shows on the page where the save happened
        if values:
            flash(_("Your answers on this page are saved."), "success")
        return redirect(url_for(".page", period_code=period.code, number=number), code=303)
    empty = [
        i for i in context["items"] if i.code not in values and i.code not in context["answers"]
    ]
    if empty and go in ("next", "prev"):  # moving on from a page with gaps is said, not silent
        flash(
            ngettext(
                "%(num)d question on page %(page)d (%(value)s) is not answered yet.",
                "%(num)d questions on page %(page)d (%(value)s) are not answered yet.",
                len(empty),
                page=number,
                value=context["value"].name(context["locale"]),
            ),
            "warning",
        )
    if go == "next" and number < len(context["pages"]):
        number += 1
    elif go == "prev" and number > 1:
        number -= 1
    elif go == "review":
        return redirect(url_for(".review", period_code=period.code), code=303)
    return redirect(url_for(".page", period_code=period.code, number=number), code=303)


def _page_error(context, code: str):
    status, message = ERRORS[code]
    flash(str(message), "error")
    return render_template("survey/page.html", **context), status


@bp.post("/survey/<period_code>/answers")
@writes
@login_required
def autosave(period_code: str):
    """One click, saved at once by static/js/survey.js: JSON in, JSON out."""
    period = _period(period_code)
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("item"), str):
        return _json_error("nothing_to_save")
    value = data.get("value")
    if isinstance(value, bool) or not isinstance(value, int):
        return _json_error("out_of_scale")
    try:
        response, _saved = responses.save_by_code(period, _me(), {data["item"]: value})
    except ResponseError as error:
        db.session.rollback()
        return _json_error(error.code)
    answered = responses.answered_count(response)
    db.session.commit()
    return jsonify(
        saved=True,
        item=data["item"],
        value=value,
        answered=answered,
        total=len(period.version.items),
    )


def _json_error(code: str):
    status, message = ERRORS[code]
    return jsonify(error=code, message=str(message)), status


@bp.get("/survey/<period_code>/review")
@login_required
def review(period_code: str):
    period = _period(period_code)
    response = responses.find_response(period, _me())
    answers = responses.answers_by_code(response)
    pages = responses.value_pages(period.version)
    missing = [  # (page, position on the page, item): employees never see item codes
        (number, position, item)
        for number, (_value, items) in enumerate(pages, 1)
        for position, item in enumerate(items, 1)
        if item.code not in answers
    ]
    return render_template(
        "survey/review.html",
        period=period,
        response=response,
        pages=pages,
        answers=answers,
        version=period.version,
        missing=missing,
        answered=len(answers),
        total=len(period.version.items),
        writable=periods.accepts_answers(period)
        and (response is None or response.state != RESPONSE_SUBMITTED),
        locale=current_locale(),
    )


@bp.post("/survey/<period_code>/submit")
@writes
@login_required
def submit(period_code: str):
    period = _period(period_code)
    response = responses.find_response(period, _me())
    if response is not None and response.state == RESPONSE_SUBMITTED:
        flash(_("Your answers were already sent; nothing has changed."), "info")
        return redirect(url_for(".result", period_code=period.code), code=303)
    if request.form.get("confirm") != "1":
        flash(_("Tick the box to confirm that you want to send your answers."), "error")
        return redirect(url_for(".review", period_code=period.code), code=303)
    if response is None:
        flash(str(ERRORS["incomplete"][1]), "error")
        return redirect(url_for(".review", period_code=period.code), code=303)
    try:
        sent_now = responses.submit(response)
    except ResponseError as error:
        db.session.rollback()
        if error.code == "incomplete":
            flash(str(ERRORS["incomplete"][1]), "error")
            return redirect(url_for(".review", period_code=period.code), code=303)
        status, message = ERRORS[error.code]
        flash(str(message), "error")
        return redirect(url_for(".review", period_code=period.code), code=303)
    db.session.commit()
    if sent_now:
        flash(_("Thank you. Your answers have been sent."), "success")
    else:
        flash(_("Your answers were already sent; nothing has changed."), "info")
    return redirect(url_for(".result", period_code=period.code), code=303)


@bp.get("/survey/<period_code>/result")
@login_required
def result(period_code: str):
    period = _period(period_code)
    response = responses.find_response(period, _me())
    if response is None or response.state != RESPONSE_SUBMITTED:
        flash(_("Your result appears once you have sent your answers."), "info")
        return redirect(url_for(".review", period_code=period.code), code=303)
    mine = personal.personal_result(period, response, current_locale())
    chart = charts.index_bars(
        [(line.name, line.index, line.unit_mean) for line in mine.values],
        thresholds=mine.thresholds,
    )
    return render_template(
        "survey/result.html",
        result=mine,
        chart=chart,
        nip=format_nip(current_user.nip),
        printed_at=utcnow(),
    )
