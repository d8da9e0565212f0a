"""mentor pool, assignments, sessions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 20:04:40.981049
"""

import sqlalchemy as sa
import advanced_alchemy.types
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mentors",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("user_id", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column(
            "expertise", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("bio", sa.String(length=2000), nullable=False),
        sa.Column("max_mentees", sa.Integer(), nullable=False),
        sa.Column("availability", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_mentors_user_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentors")),
        sa.UniqueConstraint("user_id", name=op.f("uq_mentors_user_id")),
    )
    op.create_table(
        "mentor_assignments",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("mentor_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("incubatee_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on", name=op.f("ck_mentor_assignments_dates_in_order")
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentors.id"], name=op.f("fk_mentor_assignments_mentor_id_mentors"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"], ["incubatees.park_id", "incubatees.id"], name="fk_mentor_assignments_incubatee"
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_mentor_assignments_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_mentor_assignments")),
    )
    with op.batch_alter_table("mentor_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentor_assignments_incubatee_id"), ["incubatee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentor_assignments_mentor_id"), ["mentor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentor_assignments_park_id"), ["park_id"], unique=False)

    op.create_table(
        "mentor_sessions",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("assignment_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("mentor_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("incubatee_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column(
            "mode",
            sa.Enum("in_person", "phone", "online", name="session_mode", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("topics", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.String(length=4000), nullable=False),
        sa.Column("follow_ups", sa.String(length=1000), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "confirmed",
                "returned",
                name="session_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("return_reason", sa.String(length=500), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentors.id"], name=op.f("fk_mentor_sessions_mentor_id_mentors"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["park_id", "assignment_id"],
            ["mentor_assignments.park_id", "mentor_assignments.id"],
            name="fk_mentor_sessions_assignment",
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_mentor_sessions_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_mentor_sessions")),
    )
    with op.batch_alter_table("mentor_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentor_sessions_assignment_id"), ["assignment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentor_sessions_incubatee_id"), ["incubatee_id"], unique=False)
        batch_op.create_index("ix_mentor_sessions_mentor_held", ["mentor_id", "held_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentor_sessions_park_id"), ["park_id"], unique=False)
        batch_op.create_index("ix_mentor_sessions_park_status", ["park_id", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("mentor_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_mentor_sessions_park_status")
        batch_op.drop_index(batch_op.f("ix_mentor_sessions_park_id"))
        batch_op.drop_index("ix_mentor_sessions_mentor_held")
        batch_op.drop_index(batch_op.f("ix_mentor_sessions_incubatee_id"))
        batch_op.drop_index(batch_op.f("ix_mentor_sessions_assignment_id"))

    op.drop_table("mentor_sessions")
    with op.batch_alter_table("mentor_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentor_assignments_park_id"))
        batch_op.drop_index(batch_op.f("ix_mentor_assignments_mentor_id"))
        batch_op.drop_index(batch_op.f("ix_mentor_assignments_incubatee_id"))

    op.drop_table("mentor_assignments")
    op.drop_table("mentors")
