"""decisions on graduation and exit recommendations

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 21:45:04.876375
"""

import sqlalchemy as sa
import advanced_alchemy.types
from alembic import op


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incubatee_decisions",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("incubatee_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "graduate",
                "term_overdue",
                "missed_reports",
                name="recommendation_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("basis", sa.String(length=200), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum("accepted", "dismissed", name="decision_outcome", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_by", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_incubatee_decisions_decided_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"],
            ["incubatees.park_id", "incubatees.id"],
            name="fk_incubatee_decisions_incubatee",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_incubatee_decisions_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_incubatee_decisions")),
        sa.UniqueConstraint("park_id", "incubatee_id", "kind", "basis", name="uq_incubatee_decisions_basis"),
    )
    with op.batch_alter_table("incubatee_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incubatee_decisions_incubatee_id"), ["incubatee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_incubatee_decisions_park_id"), ["park_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("incubatee_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incubatee_decisions_park_id"))
        batch_op.drop_index(batch_op.f("ix_incubatee_decisions_incubatee_id"))

    op.drop_table("incubatee_decisions")
