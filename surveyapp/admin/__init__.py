from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import audit, employees, imports, periods, questions, routes, units  # noqa: E402, F401
