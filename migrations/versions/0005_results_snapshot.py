"""Results computed once: each response's value sums written at submit (one row a response),
and a snapshot of each closed period's published numbers (docs/design.md, "Results").

The sums of responses submitted before this revision are backfilled from their answers, by the
same rule as scoring.item_score (a reverse-keyed item scores min + max - answer). Snapshots of
periods already closed are built by `flask results rebuild --period CODE`; until then their
pages compute the same numbers on each visit.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 08:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCORE = "CASE WHEN i.reverse THEN v.scale_min + v.scale_max - a.value ELSE a.value END"
CODES = ("BP", "AK", "KO", "HA", "LO", "AD", "KL")  # scoring.VALUE_CODES, fixed
BACKFILL = (
    "INSERT INTO response_scores (response_id, "
    + ", ".join(f"{c.lower()}_sum, {c.lower()}_items" for c in CODES)
    + ", lowest_answer, highest_answer, answered) SELECT a.response_id, "
    + ", ".join(
        f"SUM(CASE WHEN cv.code = '{c}' THEN {SCORE} ELSE 0 END), "
        f"COUNT(CASE WHEN cv.code = '{c}' THEN 1 END)"
        for c in CODES
    )
    + ", MIN(a.value), MAX(a.value), COUNT(*)"
    " FROM answers a"
    " JOIN responses r ON r.id = a.response_id"
    " JOIN items i ON i.id = a.item_id"
    " JOIN core_values cv ON cv.id = i.core_value_id"
    " JOIN questionnaire_versions v ON v.id = i.version_id"
    " WHERE r.state = 'submitted'"
    " GROUP BY a.response_id"
)


def upgrade():
    op.create_table(
        "response_scores",
        sa.Column("response_id", sa.Integer(), nullable=False),
        *(
            sa.Column(f"{code.lower()}_{part}", sa.Integer(), nullable=False)
            for code in CODES
            for part in ("sum", "items")
        ),
        sa.Column("lowest_answer", sa.Integer(), nullable=False),
        sa.Column("highest_answer", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_response_scores_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", name=op.f("pk_response_scores")),
    )
    op.create_table(
        "result_snapshots",
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["periods.id"],
            name=op.f("fk_result_snapshots_period_id_periods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("period_id", name=op.f("pk_result_snapshots")),
    )
    op.execute(BACKFILL)


def downgrade():
    op.drop_table("result_snapshots")
    op.drop_table("response_scores")
