"""Each submitted response's answers and culture-map choices as bit masks, stored with its
value sums: `response_scores.answer_mask_0` to `_3` (a bit per item and scale point) and
`self_mask`, `current_mask`, `desired_mask` (a bit per behaviour), so that closing a period
counts them from one row a person instead of 28 answers and 30 choices; filled here for the
responses already submitted (docs/design.md "Results").

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 15:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

LENSES = ("self", "current", "desired")
MASK_POSITIONS = 62  # models.culture.MASK_POSITIONS, as it stood here
BITS, COLUMNS = 62, 4  # models.response.ANSWER_MASK_BITS and _COLUMNS, as they stood here


def upgrade():
    with op.batch_alter_table("response_scores", schema=None) as batch_op:
        for lens in LENSES:
            batch_op.add_column(sa.Column(f"{lens}_mask", sa.BigInteger(), nullable=True))
        for column in range(COLUMNS):
            batch_op.add_column(sa.Column(f"answer_mask_{column}", sa.BigInteger(), nullable=True))
    bit = "((i.position - 1) * (v.scale_max - v.scale_min + 1) + a.value - v.scale_min)"
    for column in range(COLUMNS):
        op.execute(
            sa.text(
                f"UPDATE response_scores SET answer_mask_{column} = ("  # noqa: S608 (fixed)
                f"SELECT SUM(CASE WHEN {bit} / :bits = :column "
                f"THEN CAST(1 AS BIGINT) << ({bit} % :bits) ELSE 0 END) "
                "FROM answers a JOIN items i ON i.id = a.item_id "
                "JOIN questionnaire_versions v ON v.id = i.version_id "
                "WHERE a.response_id = response_scores.response_id)"
            ).bindparams(bits=BITS, column=column)
        )
    for lens in LENSES:
        # NULL where the response has no choice in the lens or chose past the last bit.
        op.execute(
            sa.text(
                f"UPDATE response_scores SET {lens}_mask = ("  # noqa: S608 (fixed names)
                "SELECT CASE WHEN MAX(b.position) > :last THEN NULL ELSE "
                "SUM(CASE WHEN b.position <= :last "
                "THEN CAST(1 AS BIGINT) << (b.position - 1) END) END "
                "FROM culture_choices c JOIN culture_behaviours b ON b.id = c.behaviour_id "
                "WHERE c.response_id = response_scores.response_id AND c.lens = :lens)"
            ).bindparams(last=MASK_POSITIONS, lens=lens)
        )


def downgrade():
    with op.batch_alter_table("response_scores", schema=None) as batch_op:
        for lens in LENSES:
            batch_op.drop_column(f"{lens}_mask")
        for column in range(COLUMNS):
            batch_op.drop_column(f"answer_mask_{column}")
