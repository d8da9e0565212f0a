"""incubatees and founders

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 19:26:04.922754
"""

import sqlalchemy as sa
import advanced_alchemy.types
from alembic import op


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incubatees",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "technology",
                "e_commerce",
                "planting_breeding",
                "handicraft",
                "services",
                "other",
                name="incubatee_type",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "applicant",
                "incubating",
                "graduated",
                "exited",
                name="incubatee_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("admitted_on", sa.Date(), nullable=True),
        sa.Column("term_ends_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column(
            "exit_reason",
            sa.Enum(
                "graduation_criteria",
                "term_expired",
                "for_cause",
                "voluntary",
                "closed",
                name="exit_reason",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("exit_note", sa.String(length=500), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_incubatees_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_incubatees")),
        sa.UniqueConstraint("park_id", "credit_code", name="uq_incubatees_park_credit_code"),
        sa.UniqueConstraint("park_id", "name", name="uq_incubatees_park_name"),
    )
    with op.batch_alter_table("incubatees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incubatees_park_id"), ["park_id"], unique=False)
        batch_op.create_index("ix_incubatees_park_status", ["park_id", "status"], unique=False)

    op.create_table(
        "founders",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("incubatee_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("id_number_ciphertext", sa.String(length=200), nullable=True),
        sa.Column("id_number_digest", sa.String(length=64), nullable=True),
        sa.Column("id_number_masked", sa.String(length=18), nullable=False),
        sa.Column(
            "target_group",
            sa.Enum(
                "returning_migrant_worker",
                "college_graduate",
                "research_staff",
                "second_time_entrepreneur",
                "veteran",
                "unemployed",
                "other",
                name="target_group",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "gender", sa.Enum("female", "male", name="gender", native_enum=False, create_constraint=True), nullable=True
        ),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column(
            "education",
            sa.Enum(
                "primary",
                "junior_secondary",
                "senior_secondary",
                "vocational",
                "junior_college",
                "bachelor",
                "postgraduate",
                name="education",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"],
            ["incubatees.park_id", "incubatees.id"],
            name="fk_founders_incubatee",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["park_id"], ["parks.id"], name=op.f("fk_founders_park_id_parks"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_founders")),
        sa.UniqueConstraint("park_id", "id_number_digest", name="uq_founders_park_id_number"),
    )
    with op.batch_alter_table("founders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_founders_incubatee_id"), ["incubatee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_founders_park_id"), ["park_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("founders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_founders_park_id"))
        batch_op.drop_index(batch_op.f("ix_founders_incubatee_id"))

    op.drop_table("founders")
    with op.batch_alter_table("incubatees", schema=None) as batch_op:
        batch_op.drop_index("ix_incubatees_park_status")
        batch_op.drop_index(batch_op.f("ix_incubatees_park_id"))

    op.drop_table("incubatees")
