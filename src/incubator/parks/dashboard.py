"""A park's dashboard: a handful of grouped queries, whatever the number of firms."""

import datetime
from uuid import UUID

import msgspec
import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from incubator import charts
from incubator.clock import today
from incubator.i18n import _, enum_label
from incubator.incubatees.models import Incubatee, IncubateeStatus, IncubateeType
from incubator.mentors.models import MentorSession, SessionStatus
from incubator.periodic_reports.models import PeriodicReport
from incubator.periodic_reports.periods import ReportState
from incubator.periodic_reports.services import ReportService, firms_behind
from incubator.space.schemas import Occupancy
from incubator.space.services import LeaseService

JOB_PERIODS = 8


class JobsInPeriod(msgspec.Struct):
    period_start: datetime.date
    new_jobs: int
    employees: int
    reports: int


class ParkDashboard(msgspec.Struct):
    day: datetime.date
    by_status: dict[IncubateeStatus, int]
    in_incubation_by_kind: dict[IncubateeType, int]
    occupancy: list[Occupancy]
    """Today, per building and (building None) for the park."""
    jobs: list[JobsInPeriod]
    """From the periodic reports of the latest periods, oldest first."""
    sessions_this_month: int
    session_hours_this_month: float
    reports_overdue: int
    reports_due: int
    firms_behind: int


async def park_dashboard(session: AsyncSession, park_id: UUID) -> ParkDashboard:
    day = today()
    counts = await session.execute(
        sa.select(Incubatee.status, Incubatee.kind, sa.func.count())
        .where(Incubatee.park_id == park_id)
        .group_by(Incubatee.status, Incubatee.kind)
    )
    by_status = dict.fromkeys(IncubateeStatus, 0)
    by_kind = dict.fromkeys(IncubateeType, 0)
    for status, kind, count in counts:
        by_status[status] += count
        if status == IncubateeStatus.INCUBATING:
            by_kind[kind] += count
    latest_periods = (
        sa.select(PeriodicReport.period_start)
        .where(PeriodicReport.park_id == park_id)
        .group_by(PeriodicReport.period_start)
        .order_by(PeriodicReport.period_start.desc())
        .limit(JOB_PERIODS)
        .subquery()
    )
    jobs = await session.execute(
        sa.select(
            PeriodicReport.period_start,
            sa.func.coalesce(sa.func.sum(PeriodicReport.new_jobs), 0),
            sa.func.coalesce(sa.func.sum(PeriodicReport.employees), 0),
            sa.func.count(),
        )
        .where(PeriodicReport.park_id == park_id, PeriodicReport.period_start.in_(sa.select(latest_periods)))
        .group_by(PeriodicReport.period_start)
        .order_by(PeriodicReport.period_start)
    )
    month_start = day.replace(day=1)
    sessions, minutes = (
        await session.execute(
            sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(MentorSession.minutes), 0)).where(
                MentorSession.park_id == park_id,
                MentorSession.held_on.between(month_start, day),
                MentorSession.status.in_([SessionStatus.SUBMITTED, SessionStatus.CONFIRMED]),
            )
        )
    ).one()
    compliance = await ReportService(session, park_id).in_incubation()
    states = [entry.state for each in compliance for entry in each.entries]
    return ParkDashboard(
        day=day,
        by_status=by_status,
        in_incubation_by_kind=by_kind,
        occupancy=await LeaseService(session, park_id).occupancy(day, day),
        jobs=[JobsInPeriod(start, int(new or 0), int(employed or 0), n) for start, new, employed, n in jobs],
        sessions_this_month=sessions,
        session_hours_this_month=round(minutes / 60, 1),
        reports_overdue=states.count(ReportState.OVERDUE),
        reports_due=states.count(ReportState.DUE),
        firms_behind=firms_behind(compliance),
    )


def dashboard_charts(figures: ParkDashboard) -> dict[str, Markup]:
    """The dashboard's charts, in the reader's language."""
    buildings = [o for o in figures.occupancy if o.building_id is not None]
    return {
        "status": charts.bar(
            _("Incubatees by status"),
            [enum_label(s) for s in figures.by_status],
            {_("Firms"): list(figures.by_status.values())},
        ),
        "kind": charts.horizontal_bar(
            _("In incubation, by type"),
            {enum_label(k): n for k, n in figures.in_incubation_by_kind.items()},
        ),
        "occupancy": charts.horizontal_bar(
            _("Occupancy today, by area"),
            {o.building: round(o.area_rate * 100, 1) for o in buildings},
            percent=True,
        ),
        "jobs": charts.bar(
            _("Jobs by reporting period"),
            [f"{j.period_start:%Y-%m}" for j in figures.jobs],
            {_("New jobs"): [j.new_jobs for j in figures.jobs], _("Employees"): [j.employees for j in figures.jobs]},
        ),
    }
