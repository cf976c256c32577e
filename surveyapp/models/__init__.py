"""Typed models, one module per aggregate."""

from .audit import AuditLog
from .culture import (
    KIND_LIMITING,
    KIND_VALUE,
    LENSES,
    CultureBehaviour,
    CultureChoice,
    CultureMap,
    CultureOrder,
)
from .job import JOB_DONE, JOB_EXPIRED, JOB_FAILED, JOB_QUEUED, JOB_RUNNING, Job
from .org import JENIS, ROLE_ADMIN, ROLE_EMPLOYEE, ROLE_HR, ROLES, Employee, Unit
from .period import (
    PERIOD_CLOSED,
    PERIOD_DRAFT,
    PERIOD_OPEN,
    Period,
    PeriodScope,
    PeriodUnit,
    ResultSnapshot,
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
from .response import RESPONSE_DRAFT, RESPONSE_SUBMITTED, Answer, Response, ResponseScore
from .types import utcnow

__all__ = [
    "KIND_LIMITING",
    "KIND_VALUE",
    "LENSES",
    "CultureBehaviour",
    "CultureChoice",
    "CultureMap",
    "CultureOrder",
    "JENIS",
    "JOB_DONE",
    "JOB_EXPIRED",
    "JOB_FAILED",
    "JOB_QUEUED",
    "JOB_RUNNING",
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
    "Job",
    "Period",
    "PeriodScope",
    "PeriodUnit",
    "Questionnaire",
    "QuestionnaireVersion",
    "Response",
    "ResponseScore",
    "ResultSnapshot",
    "RosterEntry",
    "Unit",
    "utcnow",
]
