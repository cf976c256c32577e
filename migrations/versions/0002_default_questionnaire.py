"""Core values and the default questionnaire "Penilaian Mandiri BerAKHLAK" version 1.

Revision ID: 0002
Revises: 0001
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from surveyapp import content

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

core_values = sa.table(
    "core_values",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("position", sa.Integer),
    sa.column("name_id", sa.String),
    sa.column("name_en", sa.String),
    sa.column("definition_id", sa.Text),
    sa.column("definition_en", sa.Text),
    sa.column("behaviours", sa.JSON),
)
questionnaires = sa.table(
    "questionnaires",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("description", sa.Text),
    sa.column("created_at", sa.DateTime),
)
versions = sa.table(
    "questionnaire_versions",
    sa.column("id", sa.Integer),
    sa.column("questionnaire_id", sa.Integer),
    sa.column("number", sa.Integer),
    sa.column("status", sa.String),
    sa.column("scale_min", sa.Integer),
    sa.column("scale_max", sa.Integer),
    sa.column("scale_labels", sa.JSON),
    sa.column("bands", sa.JSON),
    sa.column("weights", sa.JSON),
    sa.column("min_group_size", sa.Integer),
    sa.column("lock_version", sa.Integer),
    sa.column("created_at", sa.DateTime),
    sa.column("published_at", sa.DateTime),
)
items = sa.table(
    "items",
    sa.column("version_id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("core_value_id", sa.Integer),
    sa.column("behaviour", sa.Integer),
    sa.column("text_id", sa.Text),
    sa.column("text_en", sa.Text),
    sa.column("reverse", sa.Boolean),
    sa.column("position", sa.Integer),
)


def upgrade():
    conn = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    for value in content.CORE_VALUES:
        conn.execute(
            core_values.insert().values(
                code=value["code"],
                position=value["position"],
                name_id=value["name_id"],
                name_en=value["name_en"],
                definition_id=value["definition_id"],
                definition_en=value["definition_en"],
                behaviours=value["behaviours"],
            )
        )
    value_ids = dict(conn.execute(sa.select(core_values.c.code, core_values.c.id)).all())
    questionnaire_id = conn.execute(
        questionnaires.insert()
        .values(
            name=content.QUESTIONNAIRE_NAME,
            description=content.QUESTIONNAIRE_DESCRIPTION,
            created_at=now,
        )
        .returning(questionnaires.c.id)
    ).scalar_one()
    version_id = conn.execute(
        versions.insert()
        .values(
            questionnaire_id=questionnaire_id,
            number=1,
            status="published",
            scale_min=content.SCALE_MIN,
            scale_max=content.SCALE_MAX,
            scale_labels=content.SCALE_LABELS,
            bands=content.BANDS,
            weights=content.WEIGHTS,
            min_group_size=content.MIN_GROUP_SIZE,
            lock_version=1,
            created_at=now,
            published_at=now,
        )
        .returning(versions.c.id)
    ).scalar_one()
    conn.execute(
        items.insert(),
        [
            {
                "version_id": version_id,
                "code": item["code"],
                "core_value_id": value_ids[item["value"]],
                "behaviour": item["behaviour"],
                "text_id": item["text_id"],
                "text_en": item["text_en"],
                "reverse": item["reverse"],
                "position": position,
            }
            for position, item in enumerate(content.ITEMS, start=1)
        ],
    )


def downgrade():
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM items"))
    conn.execute(sa.text("DELETE FROM questionnaire_versions"))
    conn.execute(sa.text("DELETE FROM questionnaires"))
    conn.execute(sa.text("DELETE FROM core_values"))
