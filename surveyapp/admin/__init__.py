from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import audit, culture, employees, imports, outbox, periods, questions, routes, units  # noqa: E402, F401
