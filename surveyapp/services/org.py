"""The unit tree: where a unit sits, and the one rule for who may see which unit."""

from __future__ import annotations

import sqlalchemy as sa

from .. import validation
from ..extensions import db
from ..models import Employee, Unit
from . import audit


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


def in_subtree_path(path: str, root_path: str) -> bool:
    """The same rule in Python, for units already loaded: /1/4/9/ lies under /1/4/."""
    return path.startswith(root_path)


def visible_root(user: Employee) -> Unit | None:
    """The unit whose subtree the user may see: None means everything (admin)."""
    if user.is_admin:
        return None
    if user.is_hr and user.hr_unit is not None:
        return user.hr_unit
    raise PermissionError("no unit scope")


def can_see_path(user: Employee, path: str) -> bool:
    """HR sees its scope unit and everything below it; admins see all; nobody else sees units."""
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


PATH_LIMIT = 400  # Unit.path is a String(400)


class UnitRefused(ValueError):
    """A unit change the rules forbid; `reason` is a key the view turns into a message,
    `field` the value it is about ("code", "parent"; None: the whole change)."""

    def __init__(self, reason: str, field: str | None = None, **values):
        super().__init__(reason)
        self.reason = reason
        self.field = field
        self.values = values


def _parent(parent_id: int | None) -> Unit | None:
    """The unit a form names as parent: None for a root; a forged id is refused, never a root."""
    if parent_id is None:
        return None
    parent = db.session.get(Unit, parent_id)
    if parent is None:
        raise UnitRefused("unknown_parent", "parent")
    return parent


UNIT_RULES = {"code": validation.unit_code, "name": validation.unit_name}


def create_unit(code: str, name: str, parent_id: int | None, *, actor: Employee) -> Unit:
    """A new unit; its code and name pass the rules of the unit import (validation.Invalid)."""
    checked = validation.clean({"code": code, "name": name}, UNIT_RULES)
    code, name = checked["code"], checked["name"]
    parent = _parent(parent_id)
    if parent is not None and not parent.active:
        raise UnitRefused("inactive_parent", "parent")
    if db.session.scalar(sa.select(Unit.id).where(Unit.code == code)) is not None:
        raise UnitRefused("code_taken", "code")
    unit = add_unit(code, name, parent)
    audit.record(
        "unit_created",
        actor=actor,
        object_type="unit",
        object_id=unit.id,
        after={"code": code, "name": name, "parent": parent.code if parent else None},
    )
    return unit


def update_unit(unit: Unit, *, name: str, parent_id: int | None, actor: Employee) -> None:
    """Rename and, when the parent changes, move the unit with its whole subtree."""
    name = validation.clean({"name": name}, {"name": validation.unit_name})["name"]
    parent = _parent(parent_id)
    before = {"name": unit.name, "parent": unit.parent.code if unit.parent else None}
    if (parent.id if parent else None) != unit.parent_id:
        if parent is not None and not parent.active:
            raise UnitRefused("inactive_parent", "parent")
        move_unit(unit, parent)
    unit.name = name
    after = {"name": unit.name, "parent": parent.code if parent else None}
    if after != before:
        audit.record(
            "unit_changed",
            actor=actor,
            object_type="unit",
            object_id=unit.id,
            before=before,
            after=after,
        )


def set_unit_active(unit: Unit, active: bool, *, actor: Employee) -> None:
    """Deactivate only an empty unit (no active subunit, no active employee), so that nobody
    is left in a unit that no longer exists; reactivate only under an active parent."""
    if active == unit.active:
        return
    if active:
        if unit.parent is not None and not unit.parent.active:
            raise UnitRefused("inactive_parent")
    else:
        subunits = db.session.scalar(
            sa.select(sa.func.count(Unit.id)).where(
                in_subtree(Unit.path, unit.path), Unit.id != unit.id, Unit.active.is_(True)
            )
        )
        people = db.session.scalar(
            sa.select(sa.func.count(Employee.id)).where(
                Employee.unit_id == unit.id, Employee.active.is_(True)
            )
        )
        if subunits or people:
            raise UnitRefused("not_empty", units=subunits, people=people)
    unit.active = active
    audit.record(
        "unit_activated" if active else "unit_deactivated",
        actor=actor,
        object_type="unit",
        object_id=unit.id,
        before={"active": not active},
        after={"active": active},
    )


def move_unit(unit: Unit, new_parent: Unit | None) -> None:
    """Re-hang a unit and its whole subtree under another parent: one UPDATE for all paths.
    Refuses a parent inside the unit's own subtree (a cycle) and a tree deeper than a path holds."""
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise UnitRefused("cycle", "parent")
    old_path, old_depth = unit.path, unit.depth
    new_path = (new_parent.path if new_parent is not None else "/") + f"{unit.id}/"
    longest = db.session.scalar(
        sa.select(sa.func.max(sa.func.length(Unit.path))).where(in_subtree(Unit.path, old_path))
    )
    if (longest or len(old_path)) - len(old_path) + len(new_path) > PATH_LIMIT:
        raise UnitRefused("too_deep", "parent")
    unit.parent = new_parent
    db.session.flush()
    place(unit)
    new_path, shift = unit.path, unit.depth - old_depth
    db.session.execute(
        sa.update(Unit)
        .where(in_subtree(Unit.path, old_path), Unit.id != unit.id)
        .values(
            path=sa.literal(new_path) + sa.func.substr(Unit.path, len(old_path) + 1),
            depth=Unit.depth + shift,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()


def all_units() -> list[Unit]:
    """Every unit, active or not, in tree order."""
    return list(db.session.scalars(sa.select(Unit).order_by(Unit.path)))


def people_per_unit() -> dict[int, int]:
    """Active employees placed directly in each unit: one GROUP BY for the whole tree."""
    return dict(
        db.session.execute(
            sa.select(Employee.unit_id, sa.func.count(Employee.id))
            .where(Employee.active.is_(True))
            .group_by(Employee.unit_id)
        ).all()
    )


def people_in(unit: Unit) -> int:
    """Active employees placed directly in one unit."""
    return db.session.scalar(
        sa.select(sa.func.count(Employee.id)).where(
            Employee.active.is_(True), Employee.unit_id == unit.id
        )
    )


def possible_parents(unit: Unit) -> list[Unit]:
    """Where a unit may move: every active unit outside its own subtree (no cycles)."""
    return list(
        db.session.scalars(
            sa.select(Unit)
            .where(Unit.active.is_(True), sa.not_(in_subtree(Unit.path, unit.path)))
            .order_by(Unit.path)
        )
    )


def children_of(unit: Unit) -> list[Unit]:
    return list(
        db.session.scalars(sa.select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.name))
    )
