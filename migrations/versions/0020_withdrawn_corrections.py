"""a correction may be withdrawn before it is published, with its reason

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-26 03:27:29
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

BEFORE = ("draft", "submitted", "under_review", "returned", "approved", "published", "superseded")
AFTER = (*BEFORE, "withdrawn")


def _statuses(values: tuple[str, ...]) -> str:
    return "status IN ({})".format(", ".join(f"'{value}'" for value in values))


def upgrade() -> None:
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawal_reason", sa.String(length=1000), server_default="", nullable=False))
        batch_op.drop_constraint(op.f("ck_ratings_rating_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_ratings_rating_status"), _statuses(AFTER))


def downgrade() -> None:
    # Before 0020 a park's next correction takes the published revision's number + 1, which a withdrawn
    # correction may hold: refuse rather than leave a rating that can never be corrected again.
    if op.get_bind().scalar(sa.text("SELECT count(*) FROM ratings WHERE status = 'withdrawn'")):
        raise RuntimeError("withdrawn corrections exist: they have no place before revision 0020")
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_ratings_rating_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_ratings_rating_status"), _statuses(BEFORE))
        batch_op.drop_column("withdrawal_reason")
