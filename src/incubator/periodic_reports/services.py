import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple
from uuid import UUID

import msgspec
import sqlalchemy as sa
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.clock import today
from incubator.db.portable import pinyin_order
from incubator.db.scoped import ParkScopedService
from incubator.errors import Conflict, InvalidInput, NotFound
from incubator.i18n import N_, _
from incubator.incubatees.models import Incubatee, IncubateeStatus
from incubator.parks.models import Park
from incubator.periodic_reports.models import PeriodicReport
from incubator.periodic_reports.periods import (
    Period,
    ReportState,
    due_on,
    expected_periods,
    is_period_start,
    period_containing,
    reporting_window,
    state_of,
    trailing_missed,
)
from incubator.periodic_reports.schemas import (
    CORE_FIGURES,
    Compliance,
    ReportCreate,
    ReportRead,
    ReportUpdate,
    Schedule,
    ScheduleEntry,
)


class FirmReports(NamedTuple):
    firm: Incubatee
    reports: list[PeriodicReport]
    entries: list[ScheduleEntry]


def firms_behind(firms: Sequence[FirmReports]) -> int:
    """Firms with at least one report overdue."""
    return sum(1 for each in firms if any(e.state == ReportState.OVERDUE for e in each.entries))


def missed_in_a_row(entries: Sequence[ScheduleEntry]) -> list[datetime.date]:
    return trailing_missed((e.period_start, e.state) for e in entries)


MONEY_FIELDS = ("revenue", "tax", "funding_raised", "loan_amount")
CENT = Decimal("0.01")


def report_read(report: PeriodicReport) -> ReportRead:
    return msgspec.convert(report, ReportRead, from_attributes=True)


class ReportService(ParkScopedService[PeriodicReport]):
    """Incubatees' periodic reports: filed by founders in the portal or by the park on their behalf.

    Which periods are owed follows the park's policy (monthly or quarterly, due so many days after
    the period) from the firm's admission to its leaving."""

    class Repo(SQLAlchemyAsyncRepository[PeriodicReport]):
        model_type = PeriodicReport

    repository_type = Repo
    not_found_message = N_("No such report.")

    def __init__(self, session: AsyncSession, park_id: UUID) -> None:
        super().__init__(session, park_id)
        self._park: Park | None = None

    async def park(self) -> Park:
        if self._park is None:
            self._park = await self.repository.session.get_one(Park, self.park_id)
        return self._park

    async def schedule(self, incubatee_id: UUID) -> Schedule:
        firm = await self._firm(incubatee_id)
        park = await self.park()
        reports = await self.get_many(PeriodicReport.incubatee_id == incubatee_id)
        entries = await self._entries(firm, reports, today())
        return Schedule(
            incubatee_id=firm.id,
            frequency=park.report_frequency,
            entries=entries,
            missed_in_a_row=len(missed_in_a_row(entries)),
        )

    async def get_report(self, incubatee_id: UUID, report_id: UUID) -> PeriodicReport:
        report = await self.get_one_or_none(PeriodicReport.incubatee_id == incubatee_id, id=report_id)
        if report is None:
            raise NotFound(_("No such report."), field="report_id")
        return report

    async def submit(self, incubatee_id: UUID, data: ReportCreate, *, by_park: bool, user_id: UUID) -> PeriodicReport:
        firm = await self._firm(incubatee_id)
        park = await self.park()
        day = today()
        if firm.admitted_on is None:
            raise Conflict(_("Only a firm in incubation files periodic reports."), field="status")
        if not is_period_start(data.period_start, park.report_frequency):
            raise InvalidInput(_("Choose a reporting period of this park."), field="period_start")
        period = period_containing(data.period_start, park.report_frequency)
        if period not in expected_periods(reporting_window(firm.admitted_on, firm.left_on, day), park.report_frequency):
            raise InvalidInput(_("The firm was not in incubation in this period."), field="period_start")
        if period.end >= day:
            raise InvalidInput(_("This period has not ended yet."), field="period_start")
        if await self.get_one_or_none(PeriodicReport.incubatee_id == incubatee_id, period_start=period.start):
            raise Conflict(_("The report for this period is already filed; correct it instead."), field="period_start")
        values = msgspec.structs.asdict(data)
        values.pop("period_start")
        report = PeriodicReport(
            park_id=self.park_id,
            incubatee_id=firm.id,
            frequency=park.report_frequency,
            period_start=period.start,
            period_end=period.end,
            due_on=due_on(period, park.report_due_days),
            submitted_on=day,
            submitted_by=user_id,
            by_park=by_park,
            **values,
        )
        self._check(report)
        return await self.create(report, auto_refresh=False)

    async def correct(
        self, incubatee_id: UUID, report_id: UUID, data: ReportUpdate, *, by_park: bool
    ) -> PeriodicReport:
        """Founders may correct a report until it is due; afterwards only the park (audited) may."""
        report = await self.get_report(incubatee_id, report_id)
        if not by_park and today() > report.due_on:
            raise Conflict(_("The report is past its due date: ask the park to correct it."), field="report_id")
        for key, value in msgspec.structs.asdict(data).items():
            if value is not msgspec.UNSET:
                setattr(report, key, value)
        self._check(report)
        await self.repository.session.flush()
        return report

    async def in_incubation(self, incubatee_id: UUID | None = None) -> list[FirmReports]:
        """Every firm in incubation (or one) with its reports and schedule: two queries for the whole park."""
        day = today()
        statement = sa.select(Incubatee).where(
            Incubatee.park_id == self.park_id, Incubatee.status == IncubateeStatus.INCUBATING
        )
        if incubatee_id is not None:
            statement = statement.where(Incubatee.id == incubatee_id)
        firms = (
            await self.repository.session.scalars(statement.order_by(pinyin_order(Incubatee.name), Incubatee.id))
        ).all()
        by_firm: dict[UUID, list[PeriodicReport]] = defaultdict(list)
        for report in await self.get_many(PeriodicReport.incubatee_id.in_([f.id for f in firms])):
            by_firm[report.incubatee_id].append(report)
        return [FirmReports(firm, by_firm[firm.id], await self._entries(firm, by_firm[firm.id], day)) for firm in firms]

    async def compliance(self, *, overdue_only: bool = False) -> list[Compliance]:
        """How every firm in incubation keeps up with its reports."""
        rows = [self._compliance(each.firm, each.entries) for each in await self.in_incubation()]
        if overdue_only:
            rows = [r for r in rows if r.overdue]
        return sorted(rows, key=lambda r: (-r.missed_in_a_row, -r.overdue))

    async def _entries(
        self, firm: Incubatee, reports: Sequence[PeriodicReport], day: datetime.date
    ) -> list[ScheduleEntry]:
        park = await self.park()
        filed = {r.period_start: r for r in reports}
        owed = expected_periods(reporting_window(firm.admitted_on, firm.left_on, day), park.report_frequency)
        periods = {p.start: p for p in owed}
        periods.update({r.period_start: Period(r.period_start, r.period_end) for r in reports})
        entries = []
        for start in sorted(periods):
            period = periods[start]
            report = filed.get(start)
            due = report.due_on if report else due_on(period, park.report_due_days)
            entries.append(
                ScheduleEntry(
                    period_start=period.start,
                    period_end=period.end,
                    due_on=due,
                    state=state_of(period, due, report.submitted_on if report else None, day),
                    report=report_read(report) if report else None,
                )
            )
        return entries

    @staticmethod
    def _compliance(firm: Incubatee, entries: list[ScheduleEntry]) -> Compliance:
        counts: dict[ReportState, int] = defaultdict(int)
        for entry in entries:
            counts[entry.state] += 1
        upcoming = [e.due_on for e in entries if e.state in (ReportState.DUE, ReportState.OPEN)]
        return Compliance(
            incubatee_id=firm.id,
            name=firm.name,
            settled=counts[ReportState.ON_TIME] + counts[ReportState.LATE] + counts[ReportState.OVERDUE],
            on_time=counts[ReportState.ON_TIME],
            late=counts[ReportState.LATE],
            overdue=counts[ReportState.OVERDUE],
            complete=sum(1 for e in entries if e.report and e.report.complete),
            missed_in_a_row=len(missed_in_a_row(entries)),
            next_due=min(upcoming) if upcoming else None,
        )

    async def _firm(self, incubatee_id: UUID) -> Incubatee:
        firm = await self.repository.session.scalar(
            sa.select(Incubatee).where(Incubatee.park_id == self.park_id, Incubatee.id == incubatee_id)
        )
        if firm is None:
            raise NotFound(_("No such incubatee."), field="incubatee_id")
        return firm

    @staticmethod
    def _check(report: Any) -> None:
        if report.loan_amount and not report.loan_bank:
            raise InvalidInput(_("Name the bank that granted the loan."), field="loan_bank")
        if report.loan_bank and not report.loan_amount:
            raise InvalidInput(_("Give the loan amount, or leave the bank empty."), field="loan_amount")
        for name in MONEY_FIELDS:
            if getattr(report, name) is not None:
                setattr(report, name, getattr(report, name).quantize(CENT))
        report.complete = all(getattr(report, name) is not None for name in CORE_FIGURES)
