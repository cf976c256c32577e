"""Each submitted response's culture-map choices as one bit mask per lens, stored with its
value sums (`response_scores.self_mask`, `current_mask`, `desired_mask`), so that closing a
period counts the choices from one row a person instead of thirty; filled here for the
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


def upgrade():
    with op.batch_alter_table("response_scores", schema=None) as batch_op:
        for lens in LENSES:
            batch_op.add_column(sa.Column(f"{lens}_mask", sa.BigInteger(), nullable=True))
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
