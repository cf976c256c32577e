"""Results computed once: per-response value sums written at submit, and a snapshot of each
closed period's published numbers (docs/design.md, "Results").

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

BACKFILL = """
INSERT INTO response_value_sums
    (response_id, core_value_id, score_sum, item_count, lowest_answer, highest_answer)
SELECT a.response_id, i.core_value_id,
       SUM(CASE WHEN i.reverse THEN v.scale_min + v.scale_max - a.value ELSE a.value END),
       COUNT(*), MIN(a.value), MAX(a.value)
FROM answers a
JOIN responses r ON r.id = a.response_id
JOIN items i ON i.id = a.item_id
JOIN questionnaire_versions v ON v.id = i.version_id
WHERE r.state = 'submitted'
GROUP BY a.response_id, i.core_value_id
"""


def upgrade():
    op.create_table(
        "response_value_sums",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("core_value_id", sa.Integer(), nullable=False),
        sa.Column("score_sum", sa.Integer(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("lowest_answer", sa.Integer(), nullable=False),
        sa.Column("highest_answer", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["core_value_id"],
            ["core_values.id"],
            name=op.f("fk_response_value_sums_core_value_id_core_values"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_response_value_sums_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "response_id", "core_value_id", name=op.f("pk_response_value_sums")
        ),
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
    op.drop_table("response_value_sums")
