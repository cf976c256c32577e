"""The organisation: units in a tree and the employees who log in."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

ROLE_EMPLOYEE = "employee"
ROLE_HR = "hr"
ROLE_ADMIN = "admin"
ROLES = (ROLE_EMPLOYEE, ROLE_HR, ROLE_ADMIN)
JENIS = ("PNS", "PPPK")


class Unit(db.Model):
    """A unit kerja. `path` is the materialised path of ids ("/1/4/9/") for subtree queries."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True
    )
    path: Mapped[str] = mapped_column(sa.String(400), default="", index=True)
    depth: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


class Employee(UserMixin, db.Model):
    """An ASN employee; every employee may log in, hr and admin are extra roles."""

    __tablename__ = "employees"
    __table_args__ = (
        sa.CheckConstraint("length(nip) = 18", name="nip_18_digits"),
        sa.CheckConstraint("jenis IN ('PNS', 'PPPK')", name="jenis_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(sa.String(18), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    jabatan: Mapped[str] = mapped_column(sa.String(200), default="")
    golongan: Mapped[str] = mapped_column(sa.String(20), default="")
    jenis: Mapped[str] = mapped_column(sa.String(4), default="PNS")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(16))  # E.164, "+6281234567890"
    is_hr: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    hr_unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("units.id", ondelete="SET NULL"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    activation_code_hash: Mapped[str | None] = mapped_column(sa.String(255))
    activation_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    # Bumped on logout-everywhere and password change; sessions carry it and die when it moves.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    hr_unit: Mapped[Unit | None] = relationship(foreign_keys=[hr_unit_id])

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(
            r
            for r, held in (
                (ROLE_EMPLOYEE, True),
                (ROLE_HR, self.is_hr),
                (ROLE_ADMIN, self.is_admin),
            )
            if held
        )

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<Employee {self.nip}>"
