"""support services: catalog, requests, deliveries and ratings

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 21:33:59.620056
"""

import sqlalchemy as sa
import advanced_alchemy.types
from alembic import op


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "support_services",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "training",
                "consulting",
                "business_registration",
                "administrative",
                "showcase_matchmaking",
                "tech_testing",
                "tech_design",
                "tech_ip",
                "tech_transfer",
                "finance_guaranteed_loan",
                "finance_subsidy",
                "finance_investment",
                name="service_category",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_support_services_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_support_services")),
        sa.UniqueConstraint("park_id", "name", name="uq_support_services_park_name"),
    )
    with op.batch_alter_table("support_services", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_support_services_park_id"), ["park_id"], unique=False)

    op.create_table(
        "service_requests",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("incubatee_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("service_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("need", sa.String(length=1000), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column(
            "requested_by",
            sa.Enum("founder", "operator", name="requested_by", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "accepted",
                "delivered",
                "declined",
                name="request_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("decline_reason", sa.String(length=500), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status <> 'declined' OR decline_reason <> ''", name=op.f("ck_service_requests_declined_with_reason")
        ),
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"], ["incubatees.park_id", "incubatees.id"], name="fk_service_requests_incubatee"
        ),
        sa.ForeignKeyConstraint(
            ["park_id", "service_id"],
            ["support_services.park_id", "support_services.id"],
            name="fk_service_requests_service",
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_service_requests_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_service_requests")),
    )
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_requests_incubatee_id"), ["incubatee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_requests_park_id"), ["park_id"], unique=False)
        batch_op.create_index("ix_service_requests_park_status", ["park_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_requests_service_id"), ["service_id"], unique=False)

    op.create_table(
        "service_deliveries",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("incubatee_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("service_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "training",
                "consulting",
                "business_registration",
                "administrative",
                "showcase_matchmaking",
                "tech_testing",
                "tech_design",
                "tech_ip",
                "tech_transfer",
                "finance_guaranteed_loan",
                "finance_subsidy",
                "finance_investment",
                name="service_category",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("request_id", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=7, scale=2), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=1000), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("lender", sa.String(length=200), nullable=False),
        sa.Column("fee", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("rating_comment", sa.String(length=500), nullable=False),
        sa.Column("rated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(category IN ('finance_guaranteed_loan', 'finance_subsidy', 'finance_investment')) = (amount IS NOT NULL) AND (amount IS NULL OR amount > 0)",
            name=op.f("ck_service_deliveries_amount_for_financing"),
        ),
        sa.CheckConstraint(
            "(satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5) AND (satisfaction IS NULL) = (rated_at IS NULL)",
            name=op.f("ck_service_deliveries_satisfaction_1_to_5"),
        ),
        sa.CheckConstraint("fee >= 0", name=op.f("ck_service_deliveries_fee_not_negative")),
        sa.CheckConstraint("hours >= 0", name=op.f("ck_service_deliveries_hours_not_negative")),
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"], ["incubatees.park_id", "incubatees.id"], name="fk_service_deliveries_incubatee"
        ),
        sa.ForeignKeyConstraint(
            ["park_id", "request_id"],
            ["service_requests.park_id", "service_requests.id"],
            name="fk_service_deliveries_request",
        ),
        sa.ForeignKeyConstraint(
            ["park_id", "service_id"],
            ["support_services.park_id", "support_services.id"],
            name="fk_service_deliveries_service",
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_service_deliveries_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_service_deliveries")),
        sa.UniqueConstraint("park_id", "request_id", name="uq_service_deliveries_park_request"),
    )
    with op.batch_alter_table("service_deliveries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_deliveries_incubatee_id"), ["incubatee_id"], unique=False)
        batch_op.create_index(
            "ix_service_deliveries_park_category_day", ["park_id", "category", "delivered_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_service_deliveries_park_id"), ["park_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_deliveries_service_id"), ["service_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("service_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_deliveries_service_id"))
        batch_op.drop_index(batch_op.f("ix_service_deliveries_park_id"))
        batch_op.drop_index("ix_service_deliveries_park_category_day")
        batch_op.drop_index(batch_op.f("ix_service_deliveries_incubatee_id"))

    op.drop_table("service_deliveries")
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_requests_service_id"))
        batch_op.drop_index("ix_service_requests_park_status")
        batch_op.drop_index(batch_op.f("ix_service_requests_park_id"))
        batch_op.drop_index(batch_op.f("ix_service_requests_incubatee_id"))

    op.drop_table("service_requests")
    with op.batch_alter_table("support_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_services_park_id"))

    op.drop_table("support_services")
