"""a phone for each mentor of the pool, unique where given (the import finds mentors by it)

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-26 01:57:01.029697
"""

import sqlalchemy as sa
from alembic import op


revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mentors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=20), server_default="", nullable=False))
        batch_op.create_index(
            "uq_mentors_phone",
            ["phone"],
            unique=True,
            postgresql_where=sa.text("phone <> ''"),
            sqlite_where=sa.text("phone <> ''"),
        )


def downgrade() -> None:
    with op.batch_alter_table("mentors", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_mentors_phone", postgresql_where=sa.text("phone <> ''"), sqlite_where=sa.text("phone <> ''")
        )
        batch_op.drop_column("phone")
