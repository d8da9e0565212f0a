"""city targets

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 00:19:56.540175
"""

import sqlalchemy as sa
import advanced_alchemy.types
from alembic import op


revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "city_targets",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("district", sa.String(length=50), nullable=True),
        sa.Column(
            "key",
            sa.Enum(
                "national_parks",
                "provincial_or_municipal_parks",
                "demonstration_points",
                "incubated_firms",
                "people_trained",
                "guaranteed_loans_yuan",
                name="city_target_key",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("value", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint("value >= 0", name=op.f("ck_city_targets_value_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_city_targets")),
        sa.UniqueConstraint("year", "district", "key", name="uq_city_targets_year_district_key"),
    )
    with op.batch_alter_table("city_targets", schema=None) as batch_op:
        batch_op.create_index(
            "uq_city_targets_city_year_key",
            ["year", "key"],
            unique=True,
            sqlite_where=sa.text("district IS NULL"),
            postgresql_where=sa.text("district IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("city_targets", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_city_targets_city_year_key",
            sqlite_where=sa.text("district IS NULL"),
            postgresql_where=sa.text("district IS NULL"),
        )

    op.drop_table("city_targets")
