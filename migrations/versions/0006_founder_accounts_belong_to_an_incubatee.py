"""founder accounts belong to an incubatee

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 21:23:48.628704
"""

import sqlalchemy as sa
import advanced_alchemy.types
from alembic import op


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A founder's portal shows one firm; a founder membership without one could reach nothing.
    op.execute(sa.text("DELETE FROM memberships WHERE role = 'founder'"))
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("incubatee_id", advanced_alchemy.types.guid.GUID(length=16), nullable=True))
        batch_op.create_index(batch_op.f("ix_memberships_incubatee_id"), ["incubatee_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_memberships_incubatee",
            "incubatees",
            ["park_id", "incubatee_id"],
            ["park_id", "id"],
            ondelete="CASCADE",
        )
        batch_op.create_check_constraint(
            op.f("ck_memberships_founder_has_incubatee"), "(role = 'founder') = (incubatee_id IS NOT NULL)"
        )


def downgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_memberships_founder_has_incubatee"), type_="check")
        batch_op.drop_constraint("fk_memberships_incubatee", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_memberships_incubatee_id"))
        batch_op.drop_column("incubatee_id")
