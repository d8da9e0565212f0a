"""star certificates with their verification codes

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26 00:52:06.096151
"""

import sqlalchemy as sa
import advanced_alchemy.types
from alembic import op


revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "certificates",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("rating_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id", "rating_id"],
            ["ratings.park_id", "ratings.id"],
            name="fk_certificates_rating",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_certificates_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("park_id", "code", name="uq_certificates_park_code"),
        sa.UniqueConstraint("park_id", "rating_id", name="uq_certificates_park_rating"),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificates_park_id"), ["park_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_park_id"))
        batch_op.drop_index(batch_op.f("ix_certificates_code"))

    op.drop_table("certificates")
