"""an index of each park's confirmed mentor sessions by day (the rating counts them from it alone)

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-26 03:12:01.702906
"""

import sqlalchemy as sa
from alembic import op


revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mentor_sessions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_mentor_sessions_confirmed_held",
            ["park_id", "held_on"],
            unique=False,
            postgresql_where=sa.text("status = 'confirmed'"),
            sqlite_where=sa.text("status = 'confirmed'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("mentor_sessions", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_mentor_sessions_confirmed_held",
            postgresql_where=sa.text("status = 'confirmed'"),
            sqlite_where=sa.text("status = 'confirmed'"),
        )
