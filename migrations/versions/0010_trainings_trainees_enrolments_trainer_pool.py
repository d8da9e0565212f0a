"""trainings, trainees, enrolments, trainer pool

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 21:36:06.336300
"""

import sqlalchemy as sa
import advanced_alchemy.types
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trainers",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column(
            "specialties", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("bio", sa.String(length=2000), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trainers")),
    )
    op.create_table(
        "trainings",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "startup_training",
                "online_business",
                "internet_plus",
                "public_class",
                "forum",
                "competition",
                name="training_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=6, scale=1), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("trainer_id", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint("capacity >= 1", name=op.f("ck_trainings_capacity_positive")),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_trainings_dates_in_order")),
        sa.CheckConstraint("hours > 0", name=op.f("ck_trainings_hours_positive")),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_trainings_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["trainer_id"], ["trainers.id"], name=op.f("fk_trainings_trainer_id_trainers"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_trainings")),
    )
    with op.batch_alter_table("trainings", schema=None) as batch_op:
        batch_op.create_index("ix_trainings_park_ends_on", ["park_id", "ends_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_trainings_park_id"), ["park_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_trainings_trainer_id"), ["trainer_id"], unique=False)

    op.create_table(
        "trainees",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
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
        sa.Column("incubatee_id", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"], ["incubatees.park_id", "incubatees.id"], name="fk_trainees_incubatee"
        ),
        sa.ForeignKeyConstraint(["park_id"], ["parks.id"], name=op.f("fk_trainees_park_id_parks"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_trainees")),
        sa.UniqueConstraint("park_id", "phone", name="uq_trainees_park_phone"),
    )
    with op.batch_alter_table("trainees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trainees_incubatee_id"), ["incubatee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_trainees_park_id"), ["park_id"], unique=False)

    op.create_table(
        "training_enrolments",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("training_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("trainee_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=False),
        sa.Column(
            "attendance",
            sa.Enum("enrolled", "attended", "absent", name="attendance", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id", "trainee_id"], ["trainees.park_id", "trainees.id"], name="fk_training_enrolments_trainee"
        ),
        sa.ForeignKeyConstraint(
            ["park_id", "training_id"], ["trainings.park_id", "trainings.id"], name="fk_training_enrolments_training"
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_training_enrolments_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_training_enrolments")),
        sa.UniqueConstraint("park_id", "training_id", "trainee_id", name="uq_training_enrolments_trainee"),
    )
    with op.batch_alter_table("training_enrolments", schema=None) as batch_op:
        batch_op.create_index("ix_training_enrolments_park_attendance", ["park_id", "attendance"], unique=False)
        batch_op.create_index(batch_op.f("ix_training_enrolments_park_id"), ["park_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_training_enrolments_trainee_id"), ["trainee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_training_enrolments_training_id"), ["training_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("training_enrolments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_enrolments_training_id"))
        batch_op.drop_index(batch_op.f("ix_training_enrolments_trainee_id"))
        batch_op.drop_index(batch_op.f("ix_training_enrolments_park_id"))
        batch_op.drop_index("ix_training_enrolments_park_attendance")

    op.drop_table("training_enrolments")
    with op.batch_alter_table("trainees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trainees_park_id"))
        batch_op.drop_index(batch_op.f("ix_trainees_incubatee_id"))

    op.drop_table("trainees")
    with op.batch_alter_table("trainings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trainings_trainer_id"))
        batch_op.drop_index(batch_op.f("ix_trainings_park_id"))
        batch_op.drop_index("ix_trainings_park_ends_on")

    op.drop_table("trainings")
    op.drop_table("trainers")
