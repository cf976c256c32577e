from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import audit, imports, people, periods, questions, routes  # noqa: E402, F401
