"""yearly follow-ups after leaving

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 20:58:06.660278
"""

import sqlalchemy as sa
import advanced_alchemy.types
from alembic import op


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incubatee_follow_ups",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("incubatee_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("year_after", sa.Integer(), nullable=False),
        sa.Column("followed_on", sa.Date(), nullable=False),
        sa.Column("operating", sa.Boolean(), nullable=False),
        sa.Column("employees", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint("year_after BETWEEN 1 AND 5", name=op.f("ck_incubatee_follow_ups_year_after_in_range")),
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"],
            ["incubatees.park_id", "incubatees.id"],
            name="fk_follow_ups_incubatee",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_incubatee_follow_ups_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_incubatee_follow_ups")),
        sa.UniqueConstraint("park_id", "incubatee_id", "year_after", name="uq_follow_ups_park_incubatee_year"),
    )
    with op.batch_alter_table("incubatee_follow_ups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incubatee_follow_ups_incubatee_id"), ["incubatee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_incubatee_follow_ups_park_id"), ["park_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("incubatee_follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incubatee_follow_ups_park_id"))
        batch_op.drop_index(batch_op.f("ix_incubatee_follow_ups_incubatee_id"))

    op.drop_table("incubatee_follow_ups")
