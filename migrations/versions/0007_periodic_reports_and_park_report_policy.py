"""periodic reports and park report policy

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 21:33:59.288299
"""

import sqlalchemy as sa
import advanced_alchemy.types
from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "periodic_reports",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("incubatee_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column(
            "frequency",
            sa.Enum("monthly", "quarterly", name="report_frequency", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("submitted_by", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("by_park", sa.Boolean(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("new_jobs", sa.Integer(), nullable=True),
        sa.Column("revenue", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("tax", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("funding_raised", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("loan_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("loan_bank", sa.String(length=100), nullable=False),
        sa.Column("ip_filed", sa.Integer(), nullable=False),
        sa.Column("ip_granted", sa.Integer(), nullable=False),
        sa.Column("high_tech_certified", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_periodic_reports_period_in_order")),
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"],
            ["incubatees.park_id", "incubatees.id"],
            name="fk_periodic_reports_incubatee",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_periodic_reports_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"], ["users.id"], name=op.f("fk_periodic_reports_submitted_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_periodic_reports")),
        sa.UniqueConstraint("park_id", "incubatee_id", "period_start", name="uq_periodic_reports_period"),
    )
    with op.batch_alter_table("periodic_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_periodic_reports_incubatee_id"), ["incubatee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_periodic_reports_park_id"), ["park_id"], unique=False)
        batch_op.create_index("ix_periodic_reports_park_period", ["park_id", "period_start"], unique=False)

    with op.batch_alter_table("parks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "report_frequency",
                sa.Enum("monthly", "quarterly", name="report_frequency", native_enum=False, create_constraint=True),
                server_default="quarterly",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("report_due_days", sa.Integer(), server_default="15", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("parks", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_parks_report_frequency"), type_="check")
        batch_op.drop_column("report_due_days")
        batch_op.drop_column("report_frequency")

    with op.batch_alter_table("periodic_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_periodic_reports_park_period")
        batch_op.drop_index(batch_op.f("ix_periodic_reports_park_id"))
        batch_op.drop_index(batch_op.f("ix_periodic_reports_incubatee_id"))

    op.drop_table("periodic_reports")
