from flask import Blueprint

bp = Blueprint("hr", __name__)

from . import followup, routes  # noqa: E402, F401
