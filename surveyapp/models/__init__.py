"""Typed models, one module per aggregate."""

from .audit import AuditLog
from .org import JENIS, ROLE_ADMIN, ROLE_EMPLOYEE, ROLE_HR, ROLES, Employee, Unit
from .period import (
    PERIOD_CLOSED,
    PERIOD_DRAFT,
    PERIOD_OPEN,
    Period,
    PeriodScope,
    PeriodUnit,
    RosterEntry,
)
from .questionnaire import (
    VERSION_DRAFT,
    VERSION_PUBLISHED,
    CoreValue,
    Item,
    Questionnaire,
    QuestionnaireVersion,
)
from .response import RESPONSE_DRAFT, RESPONSE_SUBMITTED, Answer, Response
from .types import utcnow

__all__ = [
    "JENIS",
    "PERIOD_CLOSED",
    "PERIOD_DRAFT",
    "PERIOD_OPEN",
    "RESPONSE_DRAFT",
    "RESPONSE_SUBMITTED",
    "ROLES",
    "ROLE_ADMIN",
    "ROLE_EMPLOYEE",
    "ROLE_HR",
    "VERSION_DRAFT",
    "VERSION_PUBLISHED",
    "Answer",
    "AuditLog",
    "CoreValue",
    "Employee",
    "Item",
    "Period",
    "PeriodScope",
    "PeriodUnit",
    "Questionnaire",
    "QuestionnaireVersion",
    "Response",
    "RosterEntry",
    "Unit",
    "utcnow",
]
