import datetime
from decimal import Decimal
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from incubator.db.base import ParkScoped, UUIDv7AuditBase, enum_column
from incubator.i18n import N_, register_labels
from incubator.parks.models import ReportFrequency
from incubator.periodic_reports.periods import ReportState

MONEY = sa.Numeric(14, 2)


class PeriodicReport(ParkScoped, UUIDv7AuditBase):
    """An incubatee's figures for one reporting period: the raw material of the outcome indicators."""

    __tablename__ = "periodic_reports"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"],
            ["incubatees.park_id", "incubatees.id"],
            name="fk_periodic_reports_incubatee",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("park_id", "incubatee_id", "period_start", name="uq_periodic_reports_period"),
        sa.CheckConstraint("period_end >= period_start", name="period_in_order"),
        sa.Index("ix_periodic_reports_park_period", "park_id", "period_start"),
    )

    incubatee_id: Mapped[UUID] = mapped_column(index=True)
    frequency: Mapped[ReportFrequency] = enum_column(ReportFrequency, "report_frequency")
    period_start: Mapped[datetime.date]
    period_end: Mapped[datetime.date]
    due_on: Mapped[datetime.date]
    submitted_on: Mapped[datetime.date]
    """The day (Shanghai) it was first filed; lateness is ``submitted_on > due_on``."""
    submitted_by: Mapped[UUID | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    by_park: Mapped[bool] = mapped_column(default=False)
    """Entered by the park's staff on the founder's behalf."""
    complete: Mapped[bool] = mapped_column(default=False)
    """All the core figures (employees, new jobs, revenue, tax) are given."""
    employees: Mapped[int | None]
    new_jobs: Mapped[int | None]
    revenue: Mapped[Decimal | None] = mapped_column(MONEY)
    tax: Mapped[Decimal | None] = mapped_column(MONEY)
    funding_raised: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    loan_amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    """Guaranteed start-up loan (创业担保贷款) received in the period."""
    loan_bank: Mapped[str] = mapped_column(sa.String(100), default="")
    ip_filed: Mapped[int] = mapped_column(default=0)
    ip_granted: Mapped[int] = mapped_column(default=0)
    high_tech_certified: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(sa.String(500), default="")

    @property
    def state(self) -> ReportState:
        return ReportState.ON_TIME if self.submitted_on <= self.due_on else ReportState.LATE


register_labels(
    {
        ReportState.ON_TIME: N_("Filed on time"),
        ReportState.LATE: N_("Filed late"),
        ReportState.OVERDUE: N_("Overdue"),
        ReportState.DUE: N_("Due"),
        ReportState.OPEN: N_("Period running"),
        ("entity", "periodic_reports"): N_("Periodic report"),
        ("field", "period_start"): N_("Period"),
        ("field", "employees"): N_("Employees"),
        ("field", "new_jobs"): N_("New jobs"),
        ("field", "revenue"): N_("Revenue (yuan)"),
        ("field", "tax"): N_("Tax paid (yuan)"),
        ("field", "funding_raised"): N_("Funding raised (yuan)"),
        ("field", "loan_amount"): N_("Guaranteed start-up loan (yuan)"),
        ("field", "loan_bank"): N_("Lending bank"),
        ("field", "ip_filed"): N_("IP applications filed"),
        ("field", "ip_granted"): N_("IP granted"),
        ("field", "high_tech_certified"): N_("Certified high-tech or tech-based SME"),
        ("field", "note"): N_("Note"),
    }
)
