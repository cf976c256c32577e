"""The culture map (Peta Budaya): a version's section (how many to choose, the behaviours to
choose from), each response's choices per lens and its stored shuffled order; and a new
published version of the default questionnaire that has the section (docs/culture-map.md).

The version the default questionnaire had is left as it was (published versions are frozen):
the new one copies its scale, bands, weights, minimum group size and items, and adds the 21
BerAKHLAK behaviours and the limiting behaviours of surveyapp/content.py.

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-29 11:00:00

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from surveyapp import content

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "culture_maps",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("pick", sa.Integer(), nullable=False),
        sa.CheckConstraint("pick BETWEEN 1 AND 20", name=op.f("ck_culture_maps_pick_range")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["questionnaire_versions.id"],
            name=op.f("fk_culture_maps_version_id_questionnaire_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_culture_maps")),
    )
    op.create_table(
        "culture_behaviours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("core_value_id", sa.Integer(), nullable=True),
        sa.Column("behaviour", sa.Integer(), nullable=True),
        sa.Column("text_id", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'value') = (core_value_id IS NOT NULL AND behaviour IS NOT NULL)",
            name=op.f("ck_culture_behaviours_value_has_behaviour"),
        ),
        sa.CheckConstraint(
            "kind IN ('value', 'limiting')", name=op.f("ck_culture_behaviours_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["core_value_id"],
            ["core_values.id"],
            name=op.f("fk_culture_behaviours_core_value_id_core_values"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["culture_maps.version_id"],
            name=op.f("fk_culture_behaviours_version_id_culture_maps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_culture_behaviours")),
        sa.UniqueConstraint("version_id", "code", name=op.f("uq_culture_behaviours_version_id_code")),
    )
    op.create_index(
        op.f("ix_culture_behaviours_version_id"), "culture_behaviours", ["version_id"], unique=False
    )
    op.create_table(
        "culture_choices",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("lens", sa.String(length=7), nullable=False),
        sa.Column("behaviour_id", sa.Integer(), nullable=False),
        sa.Column("chosen_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "lens IN ('self', 'current', 'desired')", name=op.f("ck_culture_choices_lens_known")
        ),
        sa.ForeignKeyConstraint(
            ["behaviour_id"],
            ["culture_behaviours.id"],
            name=op.f("fk_culture_choices_behaviour_id_culture_behaviours"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_culture_choices_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "response_id", "lens", "behaviour_id", name=op.f("pk_culture_choices")
        ),
    )
    op.create_index(
        op.f("ix_culture_choices_behaviour_id"), "culture_choices", ["behaviour_id"], unique=False
    )
    op.create_table(
        "culture_orders",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("codes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_culture_orders_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", name=op.f("pk_culture_orders")),
    )
    _publish_default_with_culture_map()


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
core_values = sa.table(
    "core_values",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("position", sa.Integer),
    sa.column("behaviours", sa.JSON),
)
behaviours = sa.table(
    "culture_behaviours",
    sa.column("version_id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("kind", sa.String),
    sa.column("core_value_id", sa.Integer),
    sa.column("behaviour", sa.Integer),
    sa.column("text_id", sa.Text),
    sa.column("text_en", sa.Text),
    sa.column("position", sa.Integer),
)


def _publish_default_with_culture_map() -> None:
    conn = op.get_bind()
    questionnaire_id = conn.execute(
        sa.text("SELECT id FROM questionnaires WHERE name = :name"),
        {"name": content.QUESTIONNAIRE_NAME},
    ).scalar()
    if questionnaire_id is None:
        return
    source = (
        conn.execute(
            sa.select(versions)
            .where(versions.c.questionnaire_id == questionnaire_id, versions.c.status == "published")
            .order_by(versions.c.number.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    if source is None:
        return
    number = conn.execute(
        sa.select(sa.func.max(versions.c.number)).where(
            versions.c.questionnaire_id == questionnaire_id
        )
    ).scalar()
    now = datetime.now(UTC).replace(tzinfo=None)
    new_id = conn.execute(
        versions.insert()
        .values(
            questionnaire_id=questionnaire_id,
            number=number + 1,
            status="published",
            scale_min=source["scale_min"],
            scale_max=source["scale_max"],
            scale_labels=source["scale_labels"],
            bands=source["bands"],
            weights=source["weights"],
            min_group_size=source["min_group_size"],
            lock_version=1,
            created_at=now,
            published_at=now,
        )
        .returning(versions.c.id)
    ).scalar_one()
    conn.execute(
        sa.text(
            "INSERT INTO items (version_id, code, core_value_id, behaviour, text_id, text_en,"
            " reverse, position) SELECT :new, code, core_value_id, behaviour, text_id, text_en,"
            " reverse, position FROM items WHERE version_id = :old"
        ),
        {"new": new_id, "old": source["id"]},
    )
    conn.execute(
        sa.text("INSERT INTO culture_maps (version_id, pick) VALUES (:v, :pick)"),
        {"v": new_id, "pick": content.CULTURE_PICK},
    )
    value_rows = conn.execute(
        sa.select(core_values.c.id, core_values.c.code, core_values.c.behaviours).order_by(
            core_values.c.position
        )
    ).all()
    rows = []
    for value_id, code, guides in value_rows:
        for number_, guide in enumerate(guides, 1):
            rows.append(
                {
                    "code": f"{code}-{number_}",
                    "kind": "value",
                    "core_value_id": value_id,
                    "behaviour": number_,
                    "text_id": guide["id"],
                    "text_en": guide["en"],
                }
            )
    for limiting in content.LIMITING_BEHAVIOURS:
        rows.append(
            {
                "code": limiting["code"],
                "kind": "limiting",
                "core_value_id": None,
                "behaviour": None,
                "text_id": limiting["id"],
                "text_en": limiting["en"],
            }
        )
    conn.execute(
        behaviours.insert(),
        [{**row, "version_id": new_id, "position": p} for p, row in enumerate(rows, 1)],
    )


def downgrade():
    # The versions this revision made go with their section, unless a period uses one (a
    # period's version cannot go; it stays, without its culture map).
    unused = (
        "SELECT version_id FROM culture_maps WHERE version_id NOT IN"
        " (SELECT version_id FROM periods)"
    )
    op.execute(f"DELETE FROM items WHERE version_id IN ({unused})")
    op.execute(f"DELETE FROM questionnaire_versions WHERE id IN ({unused})")
    op.drop_table("culture_orders")
    op.drop_index(op.f("ix_culture_choices_behaviour_id"), table_name="culture_choices")
    op.drop_table("culture_choices")
    op.drop_index(op.f("ix_culture_behaviours_version_id"), table_name="culture_behaviours")
    op.drop_table("culture_behaviours")
    op.drop_table("culture_maps")
