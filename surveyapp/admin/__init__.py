from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import audit, imports, periods, questions, routes  # noqa: E402, F401
