import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from incubator.parks.models import ReportFrequency
from incubator.periodic_reports.periods import ReportState
from incubator.schemas import DecimalRange, Input, check_decimals

Count = Annotated[int, Meta(ge=0, le=100_000)]
Bank = Annotated[str, Meta(max_length=100)]
Note = Annotated[str, Meta(max_length=500)]
_MONEY = DecimalRange(Decimal(0), Decimal("999999999999.99"))
_DECIMALS = {name: _MONEY for name in ("revenue", "tax", "funding_raised", "loan_amount")}
CORE_FIGURES = ("employees", "new_jobs", "revenue", "tax")
"""A report is complete when all of these are given."""


class ReportCreate(Input):
    period_start: datetime.date
    employees: Count | None = None
    new_jobs: Count | None = None
    revenue: Decimal | None = None
    tax: Decimal | None = None
    funding_raised: Decimal = Decimal(0)
    loan_amount: Decimal = Decimal(0)
    loan_bank: Bank = ""
    ip_filed: Count = 0
    ip_granted: Count = 0
    high_tech_certified: bool = False
    note: Note = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        check_decimals(self, _DECIMALS)


class ReportUpdate(Input):
    employees: Count | UnsetType | None = UNSET
    new_jobs: Count | UnsetType | None = UNSET
    revenue: Decimal | UnsetType | None = UNSET
    tax: Decimal | UnsetType | None = UNSET
    funding_raised: Decimal | UnsetType = UNSET
    loan_amount: Decimal | UnsetType = UNSET
    loan_bank: Bank | UnsetType = UNSET
    ip_filed: Count | UnsetType = UNSET
    ip_granted: Count | UnsetType = UNSET
    high_tech_certified: bool | UnsetType = UNSET
    note: Note | UnsetType = UNSET

    def __post_init__(self) -> None:
        super().__post_init__()
        check_decimals(self, _DECIMALS)


class ReportRead(msgspec.Struct):
    id: UUID
    incubatee_id: UUID
    frequency: ReportFrequency
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    submitted_on: datetime.date
    by_park: bool
    complete: bool
    state: ReportState
    employees: int | None
    new_jobs: int | None
    revenue: Decimal | None
    tax: Decimal | None
    funding_raised: Decimal
    loan_amount: Decimal
    loan_bank: str
    ip_filed: int
    ip_granted: int
    high_tech_certified: bool
    note: str


class ScheduleEntry(msgspec.Struct):
    """One period a firm reports for, and what became of it."""

    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    state: ReportState
    report: ReportRead | None = None


class Schedule(msgspec.Struct):
    incubatee_id: UUID
    frequency: ReportFrequency
    entries: list[ScheduleEntry]
    missed_in_a_row: int
    """The latest reports never filed, in a row: two or more call for a warning."""


class Compliance(msgspec.Struct):
    """How one firm keeps up with its reports."""

    incubatee_id: UUID
    name: str
    settled: int
    """Periods whose due date has passed."""
    on_time: int
    late: int
    overdue: int
    complete: int
    missed_in_a_row: int
    next_due: datetime.date | None
