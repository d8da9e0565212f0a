"""kinds of rating adjustments: a value, an indicator's points, a veto

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26 00:54:24.849989
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rating_adjustments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind",
                sa.Enum("value", "points", "veto", name="adjustment_kind", native_enum=False, create_constraint=True),
                server_default="value",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("rating_adjustments", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_rating_adjustments_adjustment_kind"), type_="check")
        batch_op.drop_column("kind")
