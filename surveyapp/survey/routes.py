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
from ..models import LENSES, RESPONSE_SUBMITTED, Period, utcnow
from ..models.questionnaire import SCALE_CEILING, SCALE_FLOOR
from ..nip import format_nip
from ..parsing import ascii_int
from ..services import culture_map, culture_results, employees, periods, personal, responses
from ..services.culture_map import CultureError
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
    "culture_incomplete": (
        409,
        _l("Each part of the culture map needs exactly the number of behaviours it asks for."),
    ),
    "unknown_behaviour": (404, _l("This behaviour is not part of the culture map.")),
    "too_many": (422, _l("You have already chosen the full number. Untick one first.")),
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


class LensPage:
    """A culture-map page in the row of steps: a short code and a name, like a core value."""

    def __init__(self, lens: str, index: int):
        self.lens = lens
        self.code = _("C%(n)d", n=index)

    def name(self, _locale: str) -> str:
        return str(culture_map.LENS_NAMES[self.lens])


def _page_context(period: Period, number: int):
    value_pages = responses.value_pages(period.version)
    found = culture_map.section(period.version)
    lens_pages = [(LensPage(lens, i), []) for i, lens in enumerate(LENSES, 1)] if found else []
    pages = value_pages + lens_pages
    if not 1 <= number <= len(pages):
        abort(404)
    response = responses.find_response(period, _me())
    answers = responses.answers_by_code(response)
    chosen = culture_map.choices(response) if found else {}
    writable = periods.accepts_answers(period) and (
        response is None or response.state != RESPONSE_SUBMITTED
    )
    value, items = pages[number - 1]
    answered, total = responses.progress(response, period.version)
    context = {
        "period": period,
        "pages": pages,
        "steps": _steps(pages, answers, chosen, found.pick if found else 0),
        "number": number,
        "value": value,
        "items": items,
        "answers": answers,
        "answered": answered,
        "total": total,
        "writable": writable,
        "response": response,
        "locale": current_locale(),
        "version": period.version,
        "lens": None,
    }
    if isinstance(value, LensPage):
        context.update(
            lens=value.lens,
            pick=found.pick,
            question=culture_map.LENS_QUESTIONS[value.lens] % {"n": found.pick},
            behaviours=culture_map.ordered_behaviours(period, _me(), response),
            chosen=chosen[value.lens],
        )
    return context


def _steps(pages, answers: dict[str, int], chosen, pick: int) -> list:
    """(page number, core value or lens, answered, items) for the step markers above each
    page; a lens counts its choices against the number to choose."""
    steps = []
    for n, (value, items) in enumerate(pages, 1):
        if isinstance(value, LensPage):
            steps.append((n, value, min(len(chosen[value.lens]), pick), pick))
        else:
            steps.append((n, value, sum(item.code in answers for item in items), len(items)))
    return steps


def _render_page(context, status: int = 200):
    template = "survey/culture.html" if context["lens"] else "survey/page.html"
    return render_template(template, **context), status


@bp.get("/survey/<period_code>/page/<int:number>")
@login_required
def page(period_code: str, number: int):
    return _render_page(_page_context(_period(period_code), number))


@bp.post("/survey/<period_code>/page/<int:number>")
@writes
@login_required
def save_page(period_code: str, number: int):
    """The form without JavaScript: save what is ticked, then go where the button says."""
    period = _period(period_code)
    context = _page_context(period, number)
    if context["lens"]:
        return _save_lens(context)
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
    return _render_page(context, status)


def _go(period: Period, number: int, pages: int):
    go = request.form.get("go", "stay")
    if go == "next" and number < pages:
        number += 1
    elif go == "prev" and number > 1:
        number -= 1
    elif go == "review":
        return redirect(url_for(".review", period_code=period.code), code=303)
    return redirect(url_for(".page", period_code=period.code, number=number), code=303)


def _save_lens(context):
    """A culture-map page without JavaScript: the ticked boxes replace the lens's choices.
    More than the number to choose is refused whole, with the boxes as the person left them;
    fewer is kept, and said."""
    period, lens, pick = context["period"], context["lens"], context["pick"]
    codes = set(request.form.getlist("choice"))
    if len(codes) > pick:
        db.session.rollback()
        flash(
            _(
                "You ticked %(chosen)d behaviours; choose exactly %(pick)d. Nothing was saved: "
                "untick %(extra)d and save again.",
                chosen=len(codes),
                pick=pick,
                extra=len(codes) - pick,
            ),
            "error",
        )
        context["chosen"] = codes
        return _render_page(context, 422)
    if codes != context["chosen"]:
        try:
            culture_map.save_lens(period, _me(), lens, codes)
        except (CultureError, ResponseError) as error:
            db.session.rollback()
            return _page_error(context, error.code)
        db.session.commit()
    if len(codes) < pick:
        flash(
            _(
                "%(name)s: %(chosen)d of %(pick)d chosen. Choose %(left)d more before you send.",
                name=culture_map.LENS_NAMES[lens],
                chosen=len(codes),
                pick=pick,
                left=pick - len(codes),
            ),
            "warning",
        )
    elif request.form.get("go", "stay") == "stay":
        flash(_("Your choices on this page are saved."), "success")
    return _go(period, context["number"], len(context["pages"]))


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
    answered, total = responses.progress(response, period.version)
    db.session.commit()
    return jsonify(saved=True, item=data["item"], value=value, answered=answered, total=total)


@bp.post("/survey/<period_code>/culture")
@writes
@login_required
def culture_autosave(period_code: str):
    """One tick or untick on a culture-map page, saved at once by static/js/culture.js."""
    period = _period(period_code)
    data = request.get_json(silent=True)
    if (
        not isinstance(data, dict)
        or data.get("lens") not in LENSES
        or not isinstance(data.get("behaviour"), str)
        or not isinstance(data.get("chosen"), bool)
    ):
        return _json_error("nothing_to_save")
    try:
        response, count = culture_map.set_choice(
            period, _me(), data["lens"], data["behaviour"], data["chosen"]
        )
    except (CultureError, ResponseError) as error:
        db.session.rollback()
        return _json_error(error.code)
    answered, total = responses.progress(response, period.version)
    db.session.commit()
    return jsonify(
        saved=True,
        lens=data["lens"],
        behaviour=data["behaviour"],
        chosen=data["chosen"],
        count=count,
        answered=answered,
        total=total,
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
    answered, total = responses.progress(response, period.version)
    lenses = _lens_review(period, response, len(pages))
    return render_template(
        "survey/review.html",
        period=period,
        response=response,
        pages=pages,
        answers=answers,
        version=period.version,
        missing=missing,
        lenses=lenses,
        lens_missing=[lens for lens in lenses if lens["count"] != lens["pick"]],
        answered=answered,
        total=total,
        writable=periods.accepts_answers(period)
        and (response is None or response.state != RESPONSE_SUBMITTED),
        locale=current_locale(),
    )


def _lens_review(period: Period, response, value_page_count: int) -> list[dict]:
    """Per lens of the culture map: its page, name, the chosen behaviours (in the person's
    order) and how many against the number to choose; empty without a culture map."""
    found = culture_map.section(period.version)
    if found is None:
        return []
    chosen = culture_map.choices(response)
    ordered = culture_map.ordered_behaviours(period, _me(), response)
    return [
        {
            "lens": lens,
            "number": value_page_count + i,
            "name": culture_map.LENS_NAMES[lens],
            "chosen": [b for b in ordered if b.code in chosen[lens]],
            "count": len(chosen[lens]),
            "pick": found.pick,
        }
        for i, lens in enumerate(LENSES, 1)
    ]


def _culture_message(lenses: dict[str, int], pick: int) -> str:
    parts = [
        _(
            "%(name)s: %(chosen)d of %(pick)d",
            name=culture_map.LENS_NAMES[lens],
            chosen=n,
            pick=pick,
        )
        for lens, n in lenses.items()
    ]
    return _(
        "Choose exactly %(pick)d behaviours in each part of the culture map before you send. "
        "Now: %(parts)s. Nothing was sent.",
        pick=pick,
        parts="; ".join(parts),
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
        if error.code == "culture_incomplete":
            pick = culture_map.section(period.version).pick
            flash(_culture_message(error.detail["lenses"], pick), "error")
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
        culture=culture_results.my_culture(period, response, current_locale()),
        nip=format_nip(current_user.nip),
        printed_at=utcnow(),
    )
