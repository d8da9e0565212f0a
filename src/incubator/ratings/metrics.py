"""Every indicator of the rubric for every park of a period, by set-based SQL grouped by park.

A fixed number of queries whatever the number of parks or firms. Each value keeps how it was derived
(numerator, denominator) so a reviewer can check it; a value with nothing to divide by is missing
(None), which scoring flags and scores 0. Rates are percentages (60 means 60%)."""

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple
from uuid import UUID

import msgspec
import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.db.portable import day_number, greatest, least, month_index
from incubator.db.tenancy import ALL_PARKS
from incubator.incubatees.models import ExitReason, FollowUp, Incubatee, IncubateeStatus
from incubator.mentors.models import Assignment, MentorSession, SessionStatus
from incubator.parks.models import Park, ReportFrequency
from incubator.periodic_reports.models import PeriodicReport
from incubator.ratings.models import FirmYear, LeaseYear
from incubator.space.models import Lease, Unit
from incubator.support.models import POLICY_TAKE_UP, ServiceDelivery, ServiceGroup, categories_of
from incubator.trainings.models import Attendance, Enrolment, Trainee, Training

HUNDREDTH = Decimal("0.01")
SATISFIED = 4
"""A rating of 4 or 5 out of 5 counts as satisfied."""
GROWTH = Decimal("1.2")
"""Revenue growth of 20% or more counts as growth."""
ELIGIBLE_JOBS = 3
"""The per-incubatee subsidy goes to firms operating a year or more with at least this many jobs."""


class RatingPeriod(NamedTuple):
    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> "RatingPeriod":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def previous(self) -> "RatingPeriod":
        return RatingPeriod(self.start - relativedelta(years=1), self.start - datetime.timedelta(days=1))

    @property
    def calendar_year(self) -> int:
        """The year the period is: what ``FirmYear`` rolls its figures up by."""
        if self != RatingPeriod.year(self.start.year):
            raise ValueError(f"not a calendar year: {self}")
        return self.start.year

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class MetricValue(msgspec.Struct, frozen=True):
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def _number(value: Any) -> Decimal:
    return Decimal(str(value or 0))


def ratio(numerator: Any, denominator: Any, scale: int = 1) -> MetricValue:
    top, bottom = _number(numerator), _number(denominator)
    if bottom == 0:
        return MetricValue(None, top, bottom)
    return MetricValue((top * scale / bottom).quantize(HUNDREDTH, ROUND_HALF_UP), top, bottom)


def count(value: Any) -> MetricValue:
    return MetricValue(_number(value))


def _flag(condition: Any) -> Any:
    return sa.func.sum(sa.case((condition, 1), else_=0))


Rows = dict[UUID, dict[str, Any]]
Query = sa.Select[*tuple[Any, ...]]


async def collect_metrics_across_parks(
    session: AsyncSession, period: RatingPeriod
) -> dict[UUID, dict[str, MetricValue]]:
    """Park → metric key → value, for every park, from the operational data of ``period``."""
    found: Rows = defaultdict(dict)
    for statement in _statements(period):
        for row in await session.execute(statement):
            found[row.park_id].update({k: v for k, v in row._mapping.items() if k != "park_id"})
    parks = (await session.scalars(sa.select(Park.id))).all()
    return {park_id: _metrics(found.get(park_id, {}), period) for park_id in parks}


@functools.lru_cache(maxsize=8)
def _statements(period: RatingPeriod) -> tuple[Query, ...]:
    """The period's queries, built once: building them takes longer than running some."""
    families = (_firms, _exit_cohort, _space, _mentors, _trainings)
    return tuple(family(period).execution_options(**ALL_PARKS) for family in families)


def _metrics(row: dict[str, Any], period: RatingPeriod) -> dict[str, MetricValue]:
    active = row.get("active", 0)
    get: Callable[[str], Any] = lambda key: row.get(key, 0)  # noqa: E731
    survived = _number(get("entry_survived")) + _number(get("exit_operating"))
    cohort = _number(get("entry_cohort")) + _number(get("exit_cohort"))
    rentable_days = _number(get("rentable_area")) * period.days
    income = _number(get("fees")) + _number(get("rent"))
    return {
        "survival_rate": ratio(survived, cohort, 100),
        "incubation_success_rate": ratio(get("graduated"), get("left"), 100),
        "jobs_per_incubatee": ratio(get("jobs_total"), active),
        "growth_share": ratio(get("growing"), active, 100),
        "utilisation_rate": ratio(get("leased_area_days"), rentable_days, 100),
        "active_incubatees": count(active),
        "free_area_share": ratio(get("free_area"), _number(get("free_area")) + _number(get("rentable_area")), 100),
        "mentors_per_10_incubatees": ratio(get("mentors"), active, 10),
        "sessions_per_incubatee": ratio(get("sessions"), active),
        "tech_services_per_incubatee": ratio(get("tech_services"), active),
        "training_success_rate": ratio(get("trainees_started_firms"), get("trainees"), 100),
        "trainings_count": count(get("trainings")),
        "policy_take_up_rate": ratio(get("policy_firms"), active, 100),
        "satisfaction_rate": ratio(get("satisfied"), get("rated"), 100),
        "reports_on_time_rate": ratio(get("reports_on_time"), get("reports_expected"), 100),
        "on_time_exit_rate": ratio(get("left_by_term"), _number(get("left")) + _number(get("overstaying")), 100),
        "non_rent_income_share": ratio(get("fees"), income, 100),
        "jobs_total": count(get("jobs_total")),
        "eligible_incubatees": count(get("eligible_incubatees")),
    }


def in_incubation(start: datetime.date, end: datetime.date) -> sa.ColumnElement[bool]:
    """Firms in incubation on some day from ``start`` to ``end``: admitted by the end, not gone before the start."""
    return sa.and_(Incubatee.admitted_on <= end, sa.or_(Incubatee.left_on.is_(None), Incubatee.left_on >= start))


def firm_conditions(period: RatingPeriod) -> dict[str, Any]:
    """Per incubatee, whether it counts in each firm count of the period (the drill-down lists the firms)."""
    start, end = period
    before = period.previous
    left = Incubatee.left_on.between(start, end)
    entered_before = Incubatee.admitted_on.between(before.start, before.end)
    closed_early = sa.and_(
        Incubatee.exit_reason.in_([ExitReason.CLOSED, ExitReason.FOR_CAUSE]),
        day_number(Incubatee.left_on) - day_number(Incubatee.admitted_on) < 365,
    )
    return {
        "active": in_incubation(start, end),
        "left": left,
        "graduated": sa.and_(left, Incubatee.status == IncubateeStatus.GRADUATED),
        "left_by_term": sa.and_(left, Incubatee.left_on <= Incubatee.term_ends_on),
        "overstaying": sa.and_(
            Incubatee.term_ends_on.between(start, end),
            sa.or_(Incubatee.left_on.is_(None), Incubatee.left_on > end),
        ),
        "entry_cohort": entered_before,
        "entry_survived": sa.and_(entered_before, sa.not_(sa.and_(Incubatee.left_on.is_not(None), closed_early))),
    }


def _firms(period: RatingPeriod) -> Query:
    """Per park, in one pass over its firms, each with its figures of the year (``FirmYear``: its reports,
    sessions and services rolled up): the firm counts (``firm_conditions``), the reports owed
    (``reports_owed``), growth, reports on time, jobs at the latest report, the firms eligible for the subsidy
    (``eligible_for_subsidy``), confirmed mentor sessions, services (``DELIVERY_CONDITIONS``) and fees, and the
    firms that took up policy support (``policy_take_up``)."""
    conditions = firm_conditions(period)
    return (
        sa.select(
            Incubatee.park_id,
            *(_flag(condition).label(key) for key, condition in conditions.items()),
            sa.func.sum(sa.case((conditions["active"], reports_owed(period)), else_=0)).label("reports_expected"),
            _flag(growing(FirmYear.funded_reports > 0, FirmYear.revenue, FirmYear.revenue_before)).label("growing"),
            sa.func.sum(FirmYear.reports_on_time).label("reports_on_time"),
            sa.func.sum(FirmYear.jobs).label("jobs_total"),
            _flag(eligible_for_subsidy(period, FirmYear.jobs)).label("eligible_incubatees"),
            sa.func.sum(FirmYear.sessions).label("sessions"),
            sa.func.sum(FirmYear.tech_services).label("tech_services"),
            sa.func.sum(FirmYear.fees).label("fees"),
            sa.func.sum(FirmYear.rated_services).label("rated"),
            sa.func.sum(FirmYear.satisfied_services).label("satisfied"),
            _flag(sa.or_(FirmYear.policy_services > 0, FirmYear.loan_reports > 0)).label("policy_firms"),
        )
        .join(Park, Park.id == Incubatee.park_id)
        .outerjoin(
            FirmYear,
            sa.and_(
                FirmYear.park_id == Incubatee.park_id,
                FirmYear.incubatee_id == Incubatee.id,
                FirmYear.year == period.calendar_year,
            ),
        )
        .group_by(Incubatee.park_id)
    )


OPERATING_A_YEAR_ON = FollowUp.operating.is_(True)


def exit_cohort(period: RatingPeriod, *columns: Any) -> Query:
    """``columns`` of the firms that left the year before, each with its follow-up a year on (if any)."""
    before = period.previous
    return (
        sa.select(*columns)
        .select_from(Incubatee)
        .outerjoin(
            FollowUp,
            sa.and_(
                FollowUp.park_id == Incubatee.park_id,
                FollowUp.incubatee_id == Incubatee.id,
                FollowUp.year_after == 1,
            ),
        )
        .where(Incubatee.left_on.between(before.start, before.end))
    )


def _exit_cohort(period: RatingPeriod) -> Query:
    """Firms that left the year before: are they still operating a year on (the follow-up says)?"""
    return exit_cohort(
        period,
        Incubatee.park_id,
        sa.func.count().label("exit_cohort"),
        _flag(OPERATING_A_YEAR_ON).label("exit_operating"),
    ).group_by(Incubatee.park_id)


FILED_ON_TIME = sa.and_(PeriodicReport.submitted_on <= PeriodicReport.due_on, PeriodicReport.complete.is_(True))
"""A report filed complete by its due date (one of the period's counts as on time)."""


def firm_reports(period: RatingPeriod) -> Query:
    """Per firm, from its reports of the period and the year before: revenue in each, and whether it raised new
    financing in the period (the drill-down of growth, from the rows ``FirmYear`` rolls up)."""
    start, end = period
    before = period.previous
    now = PeriodicReport.period_start.between(start, end)
    return (
        sa.select(
            PeriodicReport.park_id,
            PeriodicReport.incubatee_id,
            sa.func.sum(sa.case((now, PeriodicReport.revenue), else_=0)).label("revenue_now"),
            sa.func.sum(
                sa.case(
                    (PeriodicReport.period_start.between(before.start, before.end), PeriodicReport.revenue), else_=0
                )
            ).label("revenue_before"),
            sa.func.max(sa.case((sa.and_(now, PeriodicReport.funding_raised > 0), 1), else_=0)).label("funded"),
        )
        .where(PeriodicReport.period_start.between(before.start, end))
        .group_by(PeriodicReport.park_id, PeriodicReport.incubatee_id)
    )


def growing(funded: Any, revenue_now: Any, revenue_before: Any) -> Any:
    """Revenue up by ``GROWTH`` on the year before, or new financing."""
    return sa.or_(funded, sa.and_(revenue_before > 0, revenue_now >= revenue_before * GROWTH))


def owed_window(period: RatingPeriod) -> tuple[Any, Any]:
    """A firm's first and last day in incubation within the period: it owes the reports of the park's
    reporting periods overlapping them."""
    start, end = period
    first = greatest(Incubatee.admitted_on, sa.literal(start))
    last = sa.case(
        (sa.and_(Incubatee.left_on.is_not(None), Incubatee.left_on < end), Incubatee.left_on), else_=sa.literal(end)
    )
    return first, last


def reports_owed(period: RatingPeriod) -> Any:
    """Of a firm in incubation in the period: the park's reporting periods overlapping its days in it."""
    first, last = owed_window(period)
    months = sa.case((Park.report_frequency == ReportFrequency.MONTHLY, 1), else_=3)
    return month_index(last) // months - month_index(first) // months + 1


def latest_reports(period: RatingPeriod, *columns: Any) -> Query:
    """``columns`` of each firm's latest report of the period that gives its employees, joined with the firm."""
    latest = (
        sa.select(
            PeriodicReport.park_id,
            PeriodicReport.incubatee_id,
            sa.func.max(PeriodicReport.period_start).label("period_start"),
        )
        .where(PeriodicReport.period_start.between(*period), PeriodicReport.employees.is_not(None))
        .group_by(PeriodicReport.park_id, PeriodicReport.incubatee_id)
        .subquery()
    )
    return (
        sa.select(*columns)
        .select_from(PeriodicReport)
        .join(
            latest,
            sa.and_(
                latest.c.park_id == PeriodicReport.park_id,
                latest.c.incubatee_id == PeriodicReport.incubatee_id,
                latest.c.period_start == PeriodicReport.period_start,
            ),
        )
        .join(
            Incubatee, sa.and_(Incubatee.park_id == PeriodicReport.park_id, Incubatee.id == PeriodicReport.incubatee_id)
        )
    )


def eligible_for_subsidy(period: RatingPeriod, jobs: Any) -> Any:
    """A firm a year in incubation by the period's end with enough ``jobs`` (at its latest report) for the subsidy."""
    return sa.and_(Incubatee.admitted_on <= period.end - relativedelta(years=1), jobs >= ELIGIBLE_JOBS)


def lease_figures(period: RatingPeriod) -> dict[str, Any]:
    """Per lease of the period (with its unit): the days leased and charged (after any rent-free months) in the
    period, the area × days leased of a rentable unit, and the rent charged. (The drill-down's; the triggers
    that keep ``LeaseYear`` apply the same rules.)"""
    start, end = period
    first = day_number(greatest(Lease.starts_on, sa.literal(start)))
    last = day_number(least(Lease.ends_on, sa.literal(end)))
    leased_days = last - first + 1
    charged_from = greatest(first, sa.func.coalesce(day_number(Lease.rent_free_until) + 1, first))
    charged_days = greatest(last - charged_from + 1, sa.literal(0))
    return {
        "leased_days": leased_days,
        "charged_days": charged_days,
        "leased_area_days": sa.case((Unit.free_or_common.is_(False), Unit.area_m2 * leased_days), else_=0),
        "rent": Lease.monthly_rent * charged_days * 12 / 365,
    }


def leases_in(period: RatingPeriod, *columns: Any) -> Query:
    """``columns`` of the leases overlapping the period, each with its unit."""
    start, end = period
    return (
        sa.select(*columns)
        .select_from(Lease)
        .join(Unit, sa.and_(Unit.park_id == Lease.park_id, Unit.id == Lease.unit_id))
        .where(Lease.starts_on <= end, Lease.ends_on >= start)
    )


UNIT_AREAS = {
    "rentable_area": sa.case((Unit.free_or_common.is_(False), Unit.area_m2), else_=0),
    "free_area": sa.case((Unit.free_or_common.is_(True), Unit.area_m2), else_=0),
}
"""Per unit: its area, as rentable or as free or common-use."""


def _space(period: RatingPeriod) -> Query:
    """The units' areas, and from the park's leases of the year (``LeaseYear``, rolled up by ``lease_figures``'s
    rules) the day-weighted leased area and the rent charged (after any rent-free months)."""
    units = (
        sa.select(Unit.park_id, *(sa.func.sum(area).label(key) for key, area in UNIT_AREAS.items()))
        .group_by(Unit.park_id)
        .subquery()
    )
    return sa.select(
        units.c.park_id,
        units.c.rentable_area,
        units.c.free_area,
        sa.func.coalesce(LeaseYear.leased_area_days, 0).label("leased_area_days"),
        sa.func.coalesce(LeaseYear.rent, 0).label("rent"),
    ).outerjoin(LeaseYear, sa.and_(LeaseYear.park_id == units.c.park_id, LeaseYear.year == period.calendar_year))


def session_counted(period: RatingPeriod) -> Any:
    """A mentor session held in the period, confirmed by the park."""
    return sa.and_(MentorSession.held_on.between(*period), MentorSession.status == SessionStatus.CONFIRMED)


def assignment_during(period: RatingPeriod) -> Any:
    """A mentor assignment running on some day of the period."""
    start, end = period
    return sa.and_(Assignment.starts_on <= end, sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on >= start))


def _mentors(period: RatingPeriod) -> Query:
    """Mentors assigned to the park's firms during the period (their sessions are counted with ``_firms``)."""
    return (
        sa.select(Assignment.park_id, sa.func.count(sa.distinct(Assignment.mentor_id)).label("mentors"))
        .where(assignment_during(period))
        .group_by(Assignment.park_id)
    )


DELIVERY_CONDITIONS = {
    "tech_services": ServiceDelivery.category.in_(categories_of(ServiceGroup.TECHNICAL)),
    "rated": ServiceDelivery.satisfaction.is_not(None),
    "satisfied": ServiceDelivery.satisfaction >= SATISFIED,
}
"""Per service delivery of the period: whether it counts in each of these counts."""


def policy_take_up(period: RatingPeriod) -> tuple[Query, Query]:
    """(park, firm) that got a guaranteed loan or a subsidy in the period through the park; and that reported
    a loan."""
    return (
        sa.select(ServiceDelivery.park_id, ServiceDelivery.incubatee_id).where(
            ServiceDelivery.delivered_on.between(*period), ServiceDelivery.category.in_(sorted(POLICY_TAKE_UP))
        ),
        sa.select(PeriodicReport.park_id, PeriodicReport.incubatee_id).where(
            PeriodicReport.period_start.between(*period), PeriodicReport.loan_amount > 0
        ),
    )


def training_held(period: RatingPeriod) -> Any:
    return Training.starts_on.between(*period)


STARTED_FIRM = sa.and_(
    Incubatee.registered_on > Training.ends_on,
    day_number(Incubatee.registered_on) - day_number(Training.ends_on) <= 365,
)
"""Of an attendance (``attendances``): the trainee's firm was registered within a year after the training."""


def attendances(period: RatingPeriod, *columns: Any) -> Query:
    """``columns`` of the attendances at trainings that ended in the period, each with its trainee's firm (if any)."""
    return (
        sa.select(*columns)
        .select_from(Enrolment)
        .join(Training, sa.and_(Training.park_id == Enrolment.park_id, Training.id == Enrolment.training_id))
        .join(Trainee, sa.and_(Trainee.park_id == Enrolment.park_id, Trainee.id == Enrolment.trainee_id))
        .outerjoin(Incubatee, sa.and_(Incubatee.park_id == Trainee.park_id, Incubatee.id == Trainee.incubatee_id))
        .where(Training.ends_on.between(*period), Enrolment.attendance == Attendance.ATTENDED)
    )


def _trainings(period: RatingPeriod) -> Query:
    """Trainings held, and the people trained in the period who registered a firm within a year of it."""
    held = (
        sa.select(Training.park_id, sa.func.count().label("trainings"))
        .where(training_held(period))
        .group_by(Training.park_id)
        .subquery()
    )
    trained = (
        attendances(
            period,
            Enrolment.park_id,
            sa.func.count(sa.distinct(Enrolment.trainee_id)).label("trainees"),
            sa.func.count(sa.distinct(sa.case((STARTED_FIRM, Enrolment.trainee_id)))).label("trainees_started_firms"),
        )
        .group_by(Enrolment.park_id)
        .subquery()
    )
    return (
        sa.select(
            Park.id.label("park_id"),
            sa.func.coalesce(held.c.trainings, 0).label("trainings"),
            sa.func.coalesce(trained.c.trainees, 0).label("trainees"),
            sa.func.coalesce(trained.c.trainees_started_firms, 0).label("trainees_started_firms"),
        )
        .outerjoin(held, held.c.park_id == Park.id)
        .outerjoin(trained, trained.c.park_id == Park.id)
    )


__all__ = ("MetricValue", "RatingPeriod", "collect_metrics_across_parks", "in_incubation", "ratio")
