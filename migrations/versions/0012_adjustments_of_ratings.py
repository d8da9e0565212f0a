"""adjustments of ratings

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25 22:54:53.338989
"""

import sqlalchemy as sa
import advanced_alchemy.types
from alembic import op


revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rating_adjustments",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("rating_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("metric", sa.String(length=50), nullable=False),
        sa.Column("original_value", sa.Numeric(precision=16, scale=4), nullable=True),
        sa.Column("adjusted_value", sa.Numeric(precision=16, scale=4), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("adjusted_by", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["adjusted_by"], ["users.id"], name=op.f("fk_rating_adjustments_adjusted_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["park_id", "rating_id"],
            ["ratings.park_id", "ratings.id"],
            name="fk_rating_adjustments_rating",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_rating_adjustments_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_rating_adjustments")),
    )
    with op.batch_alter_table("rating_adjustments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rating_adjustments_park_id"), ["park_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_rating_adjustments_rating_id"), ["rating_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rating_adjustments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rating_adjustments_rating_id"))
        batch_op.drop_index(batch_op.f("ix_rating_adjustments_park_id"))

    op.drop_table("rating_adjustments")
