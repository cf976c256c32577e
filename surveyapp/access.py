"""Who may do what: the decorators every view uses."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from .models import ROLE_ADMIN, ROLE_HR


def role_required(*roles: str):
    """Logged in and holding at least one of `roles`; otherwise login page or 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not any(current_user.has_role(r) for r in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


hr_required = role_required(ROLE_HR, ROLE_ADMIN)
admin_required = role_required(ROLE_ADMIN)
