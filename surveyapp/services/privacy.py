"""When results computed from other people's answers may be seen (docs/design.md "Privacy
of results", docs/privacy.md).

Two rules, and this module holds the first:
- Time: while a period is open, every new submission moves a unit's numbers by exactly one
  person's answers, and the non-respondent list says whose (docs/security.md S29). So nobody but an
  admin sees a number computed from other people's answers until the period is closed; HR sees
  participation, an employee their own indices.
- Scope: one suppression decision per period for the whole organisation, applied to every
  view (scoring.suppression, applied by services/results.published; S30).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext

from ..i18n import format_date
from ..models import PERIOD_CLOSED, ROLE_ADMIN, Employee, Period, utcnow


def results_published(period: Period) -> bool:
    """A closed period's results are final: no submission can move them any more."""
    return period.state == PERIOD_CLOSED


def may_see_results(user: Employee | None, period: Period) -> bool:
    """Admins may follow an open period's results (they can read every answer anyway); anyone
    else, and every file that leaves the app, waits for the close."""
    if results_published(period):
        return True
    return user is not None and user.has_role(ROLE_ADMIN)


def results_pending_note(period: Period, now: datetime | None = None) -> str:
    """Where results will appear, in the current locale: when, and what is still to happen."""
    closes = format_date(period.closes_at)
    if (now or utcnow()) < period.closes_at:
        return gettext(
            "Unit results are available after the period closes on %(date)s.", date=closes
        )
    return gettext(
        "The period ended on %(date)s; unit results are available once an administrator closes it.",
        date=closes,
    )
