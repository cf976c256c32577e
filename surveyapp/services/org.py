"""The unit tree: where a unit sits, and the one rule for who may see which unit."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Employee, Unit


def add_unit(code: str, name: str, parent: Unit | None) -> Unit:
    unit = Unit(code=code, name=name, parent=parent, path="", depth=0)
    db.session.add(unit)
    db.session.flush()
    place(unit)
    return unit


def place(unit: Unit) -> None:
    """Set the materialised path from the parent; the unit must have an id."""
    parent_path = unit.parent.path if unit.parent is not None else "/"
    unit.path = f"{parent_path}{unit.id}/"
    unit.depth = parent_path.count("/") - 1


def in_subtree(path_column, root_path: str):
    """SQL condition: the row's materialised path lies in the subtree rooted at root_path."""
    return path_column.startswith(root_path, autoescape=True)


def visible_root(user: Employee) -> Unit | None:
    """The unit whose subtree the user may see: None means everything (admin)."""
    if user.is_admin:
        return None
    if user.is_hr and user.hr_unit is not None:
        return user.hr_unit
    raise PermissionError("no unit scope")


def can_see_unit(user: Employee, unit: Unit) -> bool:
    """HR sees its scope unit and everything below it; admins see all; nobody else sees units."""
    if user.is_admin:
        return True
    if not user.is_hr or user.hr_unit is None:
        return False
    return unit.path.startswith(user.hr_unit.path)


def can_see_path(user: Employee, path: str) -> bool:
    if user.is_admin:
        return True
    if not user.is_hr or user.hr_unit is None:
        return False
    return path.startswith(user.hr_unit.path)


def units_in_scope(user: Employee) -> list[Unit]:
    """Units the user may see, in tree order (path order is parent before children)."""
    query = sa.select(Unit).order_by(Unit.path)
    root = visible_root(user)
    if root is not None:
        query = query.where(in_subtree(Unit.path, root.path))
    return list(db.session.scalars(query))


def move_unit(unit: Unit, new_parent: Unit | None) -> None:
    """Re-hang a unit and its whole subtree under another parent: one UPDATE for all paths.
    Refuses a parent inside the unit's own subtree (a cycle)."""
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise ValueError("cycle")
    old_path, old_depth = unit.path, unit.depth
    unit.parent = new_parent
    db.session.flush()
    place(unit)
    new_path, shift = unit.path, unit.depth - old_depth
    db.session.execute(
        sa.update(Unit)
        .where(Unit.path.startswith(old_path), Unit.id != unit.id)
        .values(
            path=sa.literal(new_path) + sa.func.substr(Unit.path, len(old_path) + 1),
            depth=Unit.depth + shift,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
