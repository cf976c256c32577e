"""Long lists a page at a time: Flask-SQLAlchemy's `db.paginate` with the app's one rule."""

from __future__ import annotations

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination

from ..extensions import db


def paginate(statement: sa.Select, page: int, per_page: int) -> Pagination:
    """Page `page` of `statement` (which the caller has ordered). The number comes from
    parsing.page_arg, which refused anything that is not one; a page past the last shows the
    last, so a link kept while the list shrank still shows people rather than an empty table.
    An empty list is page 1 with `pages` 0."""
    options = {"per_page": per_page, "max_per_page": per_page, "error_out": False}
    pagination = db.paginate(statement, page=page, **options)
    if pagination.page > max(pagination.pages, 1):
        pagination = db.paginate(statement, page=pagination.pages, **options)
    return pagination
