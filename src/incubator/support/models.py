"""Support services (创业服务): a park's catalog, founders' requests, and what was delivered.

The star rating reads these tables by set-based SQL grouped by park, so a delivery keeps everything a
metric needs without a join: its category (copied from the catalog entry when it is recorded), the
amount of financing, the fee the park charged, and the founder's satisfaction."""

import datetime
import enum
from decimal import Decimal
from uuid import UUID

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy.orm import Mapped, mapped_column

from incubator.db.base import ParkScoped, UUIDv7AuditBase, enum_column
from incubator.i18n import N_, register_labels


class ServiceGroup(enum.StrEnum):
    TECHNICAL = "technical"
    FINANCING = "financing"
    OTHER = "other"


class ServiceCategory(enum.StrEnum):
    TRAINING = "training"
    CONSULTING = "consulting"
    BUSINESS_REGISTRATION = "business_registration"
    ADMINISTRATIVE = "administrative"
    SHOWCASE_MATCHMAKING = "showcase_matchmaking"
    TECH_TESTING = "tech_testing"
    TECH_DESIGN = "tech_design"
    TECH_IP = "tech_ip"
    TECH_TRANSFER = "tech_transfer"
    FINANCE_GUARANTEED_LOAN = "finance_guaranteed_loan"
    FINANCE_SUBSIDY = "finance_subsidy"
    FINANCE_INVESTMENT = "finance_investment"

    @property
    def group(self) -> ServiceGroup:
        """Technical support (testing, design, IP, tech transfer), financing, or the other services."""
        if self.value.startswith("tech_"):
            return ServiceGroup.TECHNICAL
        if self.value.startswith("finance_"):
            return ServiceGroup.FINANCING
        return ServiceGroup.OTHER


def categories_of(group: ServiceGroup) -> list[ServiceCategory]:
    return [category for category in ServiceCategory if category.group == group]


POLICY_TAKE_UP = frozenset({ServiceCategory.FINANCE_GUARANTEED_LOAN, ServiceCategory.FINANCE_SUBSIDY})
"""The policy support the rating counts as taken up: a guaranteed start-up loan or a subsidy."""


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DELIVERED = "delivered"
    DECLINED = "declined"


class RequestedBy(enum.StrEnum):
    FOUNDER = "founder"
    OPERATOR = "operator"
    """Park staff, recording a request the founder made by phone or in person."""


class SupportService(ParkScoped, UUIDv7AuditBase):
    """An entry of a park's service catalog."""

    __tablename__ = "support_services"
    __table_args__ = (sa.UniqueConstraint("park_id", "name", name="uq_support_services_park_name"),)

    name: Mapped[str] = mapped_column(sa.String(100))
    category: Mapped[ServiceCategory] = enum_column(ServiceCategory, "service_category")
    description: Mapped[str] = mapped_column(sa.String(1000), default="")
    provider: Mapped[str] = mapped_column(sa.String(200), default="")
    """Who usually delivers it (the park itself, a partner agency, a bank); a delivery may name another."""
    is_active: Mapped[bool] = mapped_column(default=True)

    @property
    def group(self) -> ServiceGroup:
        return self.category.group


class ServiceRequest(ParkScoped, UUIDv7AuditBase):
    """A founder asks for a service of the catalog: open → accepted → delivered, or declined with a reason."""

    __tablename__ = "service_requests"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"], ["incubatees.park_id", "incubatees.id"], name="fk_service_requests_incubatee"
        ),
        sa.ForeignKeyConstraint(
            ["park_id", "service_id"],
            ["support_services.park_id", "support_services.id"],
            name="fk_service_requests_service",
        ),
        sa.CheckConstraint("status <> 'declined' OR decline_reason <> ''", name="declined_with_reason"),
        sa.Index("ix_service_requests_park_status", "park_id", "status"),
    )

    incubatee_id: Mapped[UUID] = mapped_column(index=True)
    service_id: Mapped[UUID] = mapped_column(index=True)
    need: Mapped[str] = mapped_column(sa.String(1000))
    requested_on: Mapped[datetime.date]
    requested_by: Mapped[RequestedBy] = enum_column(RequestedBy, "requested_by")
    status: Mapped[RequestStatus] = enum_column(RequestStatus, "request_status", default=RequestStatus.OPEN)
    decline_reason: Mapped[str] = mapped_column(sa.String(500), default="")


class ServiceDelivery(ParkScoped, UUIDv7AuditBase):
    """One service delivered to an incubatee, and the founder's 1–5 rating of it."""

    __tablename__ = "service_deliveries"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"],
            ["incubatees.park_id", "incubatees.id"],
            name="fk_service_deliveries_incubatee",
        ),
        sa.ForeignKeyConstraint(
            ["park_id", "service_id"],
            ["support_services.park_id", "support_services.id"],
            name="fk_service_deliveries_service",
        ),
        sa.ForeignKeyConstraint(
            ["park_id", "request_id"],
            ["service_requests.park_id", "service_requests.id"],
            name="fk_service_deliveries_request",
        ),
        sa.UniqueConstraint("park_id", "request_id", name="uq_service_deliveries_park_request"),
        sa.CheckConstraint("hours >= 0", name="hours_not_negative"),
        sa.CheckConstraint("fee >= 0", name="fee_not_negative"),
        sa.CheckConstraint(
            "(category IN ('finance_guaranteed_loan', 'finance_subsidy', 'finance_investment')) = (amount IS NOT NULL)"
            " AND (amount IS NULL OR amount > 0)",
            name="amount_for_financing",
        ),
        sa.CheckConstraint(
            "(satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5) AND (satisfaction IS NULL) = (rated_at IS NULL)",
            name="satisfaction_1_to_5",
        ),
        sa.Index("ix_service_deliveries_park_category_day", "park_id", "category", "delivered_on"),
        # a firm's deliveries of a year: what the firm_years triggers recount
        sa.Index("ix_service_deliveries_incubatee_day", "incubatee_id", "delivered_on"),
    )

    incubatee_id: Mapped[UUID]
    service_id: Mapped[UUID] = mapped_column(index=True)
    category: Mapped[ServiceCategory] = enum_column(ServiceCategory, "service_category")
    """The catalog entry's category when the service was delivered: the metrics read it without a join."""
    request_id: Mapped[UUID | None]
    delivered_on: Mapped[datetime.date]
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(7, 2), default=Decimal(0))
    provider: Mapped[str] = mapped_column(sa.String(200), default="")
    outcome: Mapped[str] = mapped_column(sa.String(1000), default="")
    amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    """Yuan of financing (loan, subsidy, investment); set for financing services only."""
    lender: Mapped[str] = mapped_column(sa.String(200), default="")
    """The bank of a guaranteed loan."""
    fee: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2), default=Decimal(0))
    """Yuan the park charged: its income other than rent."""
    satisfaction: Mapped[int | None]
    rating_comment: Mapped[str] = mapped_column(sa.String(500), default="")
    rated_at: Mapped[datetime.datetime | None] = mapped_column(DateTimeUTC(timezone=True))

    @property
    def group(self) -> ServiceGroup:
        return self.category.group


register_labels(
    {
        ServiceGroup.TECHNICAL: N_("Technical support"),
        ServiceGroup.FINANCING: N_("Financing"),
        ServiceGroup.OTHER: N_("Business services"),
        ServiceCategory.TRAINING: N_("Entrepreneurship training"),
        ServiceCategory.CONSULTING: N_("Consulting and guidance"),
        ServiceCategory.BUSINESS_REGISTRATION: N_("Business registration agency"),
        ServiceCategory.ADMINISTRATIVE: N_("Administrative services"),
        ServiceCategory.SHOWCASE_MATCHMAKING: N_("Project showcase and matchmaking"),
        ServiceCategory.TECH_TESTING: N_("Testing"),
        ServiceCategory.TECH_DESIGN: N_("Design"),
        ServiceCategory.TECH_IP: N_("Intellectual property"),
        ServiceCategory.TECH_TRANSFER: N_("Technology transfer"),
        ServiceCategory.FINANCE_GUARANTEED_LOAN: N_("Guaranteed start-up loan"),
        ServiceCategory.FINANCE_SUBSIDY: N_("Start-up subsidy"),
        ServiceCategory.FINANCE_INVESTMENT: N_("Investment"),
        RequestStatus.OPEN: N_("Open"),
        RequestStatus.ACCEPTED: N_("Accepted"),
        RequestStatus.DELIVERED: N_("Delivered"),
        RequestStatus.DECLINED: N_("Declined"),
        RequestedBy.FOUNDER: N_("The founder"),
        RequestedBy.OPERATOR: N_("Park staff on the founder's behalf"),
        ("entity", "support_services"): N_("Support service"),
        ("entity", "service_requests"): N_("Service request"),
        ("entity", "service_deliveries"): N_("Service delivery"),
        ("field", "category"): N_("Category"),
        ("field", "description"): N_("Description"),
        ("field", "provider"): N_("Provider"),
        ("field", "service_id"): N_("Service"),
        ("field", "request_id"): N_("Service request"),
        ("field", "need"): N_("What is needed"),
        ("field", "requested_on"): N_("Requested on"),
        ("field", "requested_by"): N_("Requested by"),
        ("field", "decline_reason"): N_("Why it was declined"),
        ("field", "delivered_on"): N_("Delivered on"),
        ("field", "hours"): N_("Hours"),
        ("field", "outcome"): N_("Outcome"),
        ("field", "amount"): N_("Amount (yuan)"),
        ("field", "lender"): N_("Lending bank"),
        ("field", "fee"): N_("Fee charged (yuan)"),
        ("field", "satisfaction"): N_("Satisfaction (1–5)"),
        ("field", "rating_comment"): N_("Comment"),
        ("field", "rated_at"): N_("Rated at"),
    }
)
