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


class _ListPagination(Pagination):
    """Flask-SQLAlchemy's Pagination over rows already in memory (a unit tree that was
    computed, sorted or ranked in Python): the same object, so the same pager."""

    def _query_items(self) -> list:
        start = (self.page - 1) * self.per_page
        return list(self._query_args["rows"][start : start + self.per_page])

    def _query_count(self) -> int:
        return len(self._query_args["rows"])


def paginate_rows(rows: list, page: int, per_page: int) -> Pagination:
    """Page `page` of `rows`, with the rule of `paginate`: past the last page, the last."""
    last = max((len(rows) + per_page - 1) // per_page, 1)
    page = min(max(page, 1), last)
    return _ListPagination(page=page, per_page=per_page, max_per_page=per_page, rows=rows)
