"""rating periods and ratings

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 22:43:02.504391
"""

import sqlalchemy as sa
import advanced_alchemy.types
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rating_rounds",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("rubric_version", sa.String(length=50), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "closed", name="round_status", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_rounds")),
        sa.UniqueConstraint("label", name=op.f("uq_rating_rounds_label")),
    )
    op.create_table(
        "ratings",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("round_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("rubric_version", sa.String(length=50), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "under_review",
                "returned",
                "approved",
                "published",
                "superseded",
                name="rating_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "metrics", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "breakdown", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("total", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Boolean(), nullable=False),
        sa.Column("funding", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("exit_decision", sa.String(length=20), nullable=False),
        sa.Column("park_comment", sa.String(length=2000), nullable=False),
        sa.Column("return_reason", sa.String(length=2000), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint("stars BETWEEN 0 AND 5", name=op.f("ck_ratings_stars_in_range")),
        sa.ForeignKeyConstraint(["park_id"], ["parks.id"], name=op.f("fk_ratings_park_id_parks"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rating_rounds.id"], name=op.f("fk_ratings_round_id_rating_rounds"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_ratings")),
        sa.UniqueConstraint("park_id", "round_id", "revision", name="uq_ratings_park_round_revision"),
    )
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ratings_park_id"), ["park_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ratings_round_id"), ["round_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ratings_round_id"))
        batch_op.drop_index(batch_op.f("ix_ratings_park_id"))

    op.drop_table("ratings")
    op.drop_table("rating_rounds")
