"""Drop the job columns nothing reads: `done` and `total` (progress lives in the progress
store beside the job, never in the database), `heartbeat_at` (a worker's sign of life is the
progress store's time) and `finished_at` (written, never read; `expires_at` is what counts).

Old code writes `finished_at` and lists `done`: stop every app server and worker before
upgrading (docs/deployment.md, "Upgrades").

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("done")
        batch_op.drop_column("total")
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("finished_at")


def downgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        # Rows that exist get 0 done; the default goes again below, as 0003 had none.
        batch_op.add_column(sa.Column("done", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("total", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("finished_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.alter_column("done", server_default=None)
