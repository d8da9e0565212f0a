"""comments and evidence of ratings, and the reason of a revision (existing ratings get an empty one)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 00:20:15.341070
"""

import sqlalchemy as sa
import advanced_alchemy.types
from alembic import op


revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rating_comments",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("rating_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("author_id", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("body", sa.String(length=2000), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_rating_comments_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["park_id", "rating_id"],
            ["ratings.park_id", "ratings.id"],
            name="fk_rating_comments_rating",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_rating_comments_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_rating_comments")),
    )
    with op.batch_alter_table("rating_comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rating_comments_park_id"), ["park_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_rating_comments_rating_id"), ["rating_id"], unique=False)

    op.create_table(
        "rating_evidence",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("rating_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("metric", sa.String(length=50), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id", "rating_id"],
            ["ratings.park_id", "ratings.id"],
            name="fk_rating_evidence_rating",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_rating_evidence_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["users.id"], name=op.f("fk_rating_evidence_uploaded_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_rating_evidence")),
    )
    with op.batch_alter_table("rating_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rating_evidence_park_id"), ["park_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_rating_evidence_rating_id"), ["rating_id"], unique=False)

    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision_reason", sa.String(length=1000), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.drop_column("revision_reason")

    with op.batch_alter_table("rating_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rating_evidence_rating_id"))
        batch_op.drop_index(batch_op.f("ix_rating_evidence_park_id"))

    op.drop_table("rating_evidence")
    with op.batch_alter_table("rating_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rating_comments_rating_id"))
        batch_op.drop_index(batch_op.f("ix_rating_comments_park_id"))

    op.drop_table("rating_comments")
