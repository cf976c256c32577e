"""Participation targets and reminders: a period's target (percent, minimum respondents) and
reminder schedule, per-unit targets, an optional mobile number per employee, the reminder
claims (unique per person, period and slot: nothing is sent twice) and the schedule steps
that have run.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE, never a batch copy: on SQLite a copy of `periods` or `employees`
    # would drop the old table, and with foreign keys on that deletes every row referencing it.
    for ddl in (
        "ALTER TABLE periods ADD COLUMN target_percent FLOAT DEFAULT 80 NOT NULL "
        "CONSTRAINT ck_periods_target CHECK (target_percent > 0 AND target_percent <= 100)",
        "ALTER TABLE periods ADD COLUMN min_respondents INTEGER "
        "CONSTRAINT ck_periods_minimum CHECK (min_respondents IS NULL OR min_respondents > 0)",
        "ALTER TABLE periods ADD COLUMN reminder_days VARCHAR(40)",
        "ALTER TABLE employees ADD COLUMN phone VARCHAR(16)",
    ):
        op.execute(ddl)

    op.create_table(
        "unit_targets",
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("target_percent", sa.Float(), nullable=False),
        sa.CheckConstraint(
            "target_percent > 0 AND target_percent <= 100", name=op.f("ck_unit_targets_percent")
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["periods.id"],
            name=op.f("fk_unit_targets_period_id_periods"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_unit_targets_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("period_id", "unit_id", name=op.f("pk_unit_targets")),
    )
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("batch", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("via_email", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("via_whatsapp", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("email_state", sa.String(length=10), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("slot >= 1", name=op.f("ck_reminders_slot_positive")),
        sa.CheckConstraint(
            "email_state IS NULL OR email_state IN "
            "('pending', 'sending', 'sent', 'failed', 'gave_up', 'cancelled')",
            name=op.f("ck_reminders_email_state_known"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["employees.id"],
            name=op.f("fk_reminders_actor_id_employees"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_reminders_employee_id_employees"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["periods.id"],
            name=op.f("fk_reminders_period_id_periods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint("period_id", "employee_id", "slot", name="uq_reminders_slot"),
    )
    op.create_index("ix_reminders_batch", "reminders", ["batch"])
    op.create_index("ix_reminders_email_state", "reminders", ["email_state"])
    op.create_index(
        "ix_reminders_period_employee", "reminders", ["period_id", "employee_id", "created_at"]
    )
    op.create_table(
        "reminder_runs",
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("days_before", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ran_at", sa.DateTime(), nullable=False),
        sa.Column("batch", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["periods.id"],
            name=op.f("fk_reminder_runs_period_id_periods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("period_id", "days_before", name=op.f("pk_reminder_runs")),
    )


def downgrade():
    op.drop_table("reminder_runs")
    op.drop_index("ix_reminders_period_employee", table_name="reminders")
    op.drop_index("ix_reminders_email_state", table_name="reminders")
    op.drop_index("ix_reminders_batch", table_name="reminders")
    op.drop_table("reminders")
    op.drop_table("unit_targets")
    for table, column in (
        ("employees", "phone"),
        ("periods", "reminder_days"),
        ("periods", "min_respondents"),
        ("periods", "target_percent"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
