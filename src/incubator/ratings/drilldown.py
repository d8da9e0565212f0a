"""The rows behind a metric value: for one park and one rating period, the records a metric of
``metrics.py`` counts, each with what it adds to the numerator and to the denominator.

The conditions and amounts are the aggregate queries' own, shared with ``metrics.py``, so the rows add up to
the value those queries collect; only the grouping differs (one park, row by row). A row adds ``None`` where
it does not count (or adds nothing). Rates and ratios divide the sums of the two columns; a count is the sum
of the numerator column."""

import enum
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from typing import Any, NamedTuple
from uuid import UUID

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.db.portable import pinyin_order
from incubator.errors import NotFound
from incubator.i18n import N_, _, current_locale, register_labels
from incubator.incubatees.models import FollowUp, Incubatee
from incubator.mentors.models import Assignment, Mentor, MentorSession
from incubator.paging import Page
from incubator.parks.models import Park
from incubator.periodic_reports.models import PeriodicReport
from incubator.periodic_reports.periods import due_on, periods_between
from incubator.ratings import metrics
from incubator.ratings.metrics import HUNDREDTH, MetricValue, RatingPeriod, count, ratio
from incubator.ratings.models import Rating
from incubator.ratings.rubric import Rubric
from incubator.rubrics import services as rubrics
from incubator.space.models import Building, Lease, Unit
from incubator.support.models import ServiceDelivery, SupportService
from incubator.trainings.models import Enrolment, Trainee, Training


class RowKind(enum.StrEnum):
    INCUBATEE = "incubatee"
    REPORT = "report"
    UNIT = "unit"
    LEASE = "lease"
    MENTOR = "mentor"
    SESSION = "session"
    DELIVERY = "delivery"
    TRAINING = "training"
    TRAINEE = "trainee"


class Cohort(enum.StrEnum):
    ENTRY = "entry"
    """Admitted the year before."""
    EXIT = "exit"
    """Left the year before."""


register_labels(
    {
        RowKind.INCUBATEE: N_("Incubatee"),
        RowKind.REPORT: N_("Periodic report"),
        RowKind.UNIT: N_("Unit"),
        RowKind.LEASE: N_("Lease"),
        RowKind.MENTOR: N_("Mentor"),
        RowKind.SESSION: N_("Mentor session"),
        RowKind.DELIVERY: N_("Service delivery"),
        RowKind.TRAINING: N_("Training"),
        RowKind.TRAINEE: N_("Trainee"),
    }
)
register_labels({Cohort.ENTRY: N_("Admitted the year before"), Cohort.EXIT: N_("Left the year before")})

COLUMN_LABELS = {
    "kind": N_("Row"),
    "incubatee": N_("Incubatee"),
    "status": N_("Status"),
    "admitted_on": N_("Admitted on"),
    "term_ends_on": N_("Term ends on"),
    "left_on": N_("Left on"),
    "exit_reason": N_("Reason for leaving"),
    "cohort": N_("Cohort"),
    "operating": N_("Operating a year on"),
    "period_start": N_("Period"),
    "period_end": N_("Period ends on"),
    "due_on": N_("Due date"),
    "submitted_on": N_("Filed on"),
    "complete": N_("Complete"),
    "employees": N_("Employees"),
    "revenue_before": N_("Revenue the year before (yuan)"),
    "revenue_now": N_("Revenue in the period (yuan)"),
    "funded": N_("New financing"),
    "through_park": N_("Loan or subsidy through the park"),
    "loan_reported": N_("Loan reported"),
    "mentor": N_("Mentor"),
    "organisation": N_("Organisation"),
    "held_on": N_("Held on"),
    "minutes": N_("Minutes"),
    "delivered_on": N_("Delivered on"),
    "service": N_("Service"),
    "category": N_("Category"),
    "satisfaction": N_("Satisfaction (1–5)"),
    "building": N_("Building"),
    "unit": N_("Unit"),
    "area_m2": N_("Area (m²)"),
    "free_or_common": N_("Free or common use"),
    "starts_on": N_("Starts on"),
    "ends_on": N_("Ends on"),
    "monthly_rent": N_("Monthly rent (yuan)"),
    "leased_days": N_("Days leased in the period"),
    "charged_days": N_("Days charged in the period"),
    "title": N_("Title"),
    "training_kind": N_("Kind"),
    "trainee": N_("Trainee"),
    "trainings": N_("Trainings"),
    "registered_on": N_("Registered on"),
}
HELPER_NAMES = {
    "jobs_total": N_("Jobs in incubatees, total"),
    "eligible_incubatees": N_("Incubatees eligible for the per-incubatee subsidy"),
}
"""Names of the metrics no indicator scores (the rubric may name them too)."""


class Column(msgspec.Struct, frozen=True):
    key: str
    label: str


class DrillRow(msgspec.Struct):
    kind: RowKind
    cells: dict[str, Any]
    numerator: Decimal | None = None
    """What the row adds to the numerator (1 for a row counted, the amount for a sum); None: nothing."""
    denominator: Decimal | None = None


class Drilldown(msgspec.Struct):
    metric: str
    name: str
    frozen: MetricValue | None
    """As the rating froze it (None if the rating has no value for the metric)."""
    live: MetricValue
    """From today's data: the sums of the rows."""
    changed: bool
    """The data changed after the value was frozen."""
    columns: list[Column]
    rows: Page[DrillRow]


Builder = Callable[[AsyncSession, UUID, RatingPeriod], Awaitable[list[DrillRow]]]


class Spec(NamedTuple):
    scale: int | None
    """The ratio's multiplier as in ``metrics._metrics`` (100 for a rate); None for a count."""
    columns: tuple[str, ...]
    rows: Builder


def _flag(condition: Any) -> Any:
    """1 where the condition holds, else 0 (what the aggregate's ``_flag`` sums)."""
    return sa.case((condition, 1), else_=0)


def _adds(value: Any) -> Decimal | None:
    return Decimal(str(value)) if value else None


FIRM = (
    Incubatee.id.label("firm_id"),
    Incubatee.name.label("incubatee"),
    Incubatee.status,
    Incubatee.admitted_on,
    Incubatee.term_ends_on,
    Incubatee.left_on,
    Incubatee.exit_reason,
)
BY_FIRM_NAME = (pinyin_order(Incubatee.name), Incubatee.id)


def _cells(row: Any, **more: Any) -> dict[str, Any]:
    return {**row._mapping, **more}


def _firms(numerator: Sequence[str], denominator: Sequence[str], **more: Any) -> Builder:
    """The park's firms that count in ``numerator`` or ``denominator`` (keys of ``metrics.firm_conditions``)."""

    async def rows(session: AsyncSession, park_id: UUID, period: RatingPeriod) -> list[DrillRow]:
        conditions = metrics.firm_conditions(period)
        keys = [*numerator, *denominator]
        found = await session.execute(
            sa.select(*FIRM, *(_flag(conditions[k]).label(f"in_{k}") for k in dict.fromkeys(keys)))
            .where(Incubatee.park_id == park_id, sa.or_(*(conditions[k] for k in keys)))
            .order_by(*BY_FIRM_NAME)
        )
        return [
            DrillRow(
                RowKind.INCUBATEE,
                _cells(row, **more),
                _adds(sum(row._mapping[f"in_{k}"] for k in numerator)),
                _adds(sum(row._mapping[f"in_{k}"] for k in denominator)),
            )
            for row in found
        ]

    return rows


_active_firms = _firms([], ["active"])


async def _survival(session: AsyncSession, park_id: UUID, period: RatingPeriod) -> list[DrillRow]:
    """The firms admitted the year before (still operating unless closed within a year), then those that left
    the year before (operating a year on if the follow-up says so)."""
    entry = await _firms(["entry_survived"], ["entry_cohort"], cohort=Cohort.ENTRY)(session, park_id, period)
    left = await session.execute(
        metrics.exit_cohort(
            period, *FIRM, FollowUp.operating, _flag(metrics.OPERATING_A_YEAR_ON).label("operating_a_year_on")
        )
        .where(Incubatee.park_id == park_id)
        .order_by(*BY_FIRM_NAME)
    )
    return [
        *entry,
        *(
            DrillRow(RowKind.INCUBATEE, _cells(row, cohort=Cohort.EXIT), _adds(row.operating_a_year_on), Decimal(1))
            for row in left
        ),
    ]


def _jobs(amount: str, per_firm: bool) -> Builder:
    """The park's active firms and those with a report of the period giving their employees (the latest);
    the numerator adds ``amount`` of that report, the denominator (``per_firm``) counts the active firms."""

    async def rows(session: AsyncSession, park_id: UUID, period: RatingPeriod) -> list[DrillRow]:
        latest = (
            metrics.latest_reports(
                period,
                PeriodicReport.incubatee_id,
                PeriodicReport.period_start,
                PeriodicReport.employees,
                _flag(metrics.eligible_for_subsidy(period, PeriodicReport.employees)).label("eligible"),
            )
            .where(PeriodicReport.park_id == park_id)
            .subquery()
        )
        active = metrics.firm_conditions(period)["active"]
        found = await session.execute(
            sa.select(
                *FIRM,
                latest.c.period_start,
                latest.c.employees,
                latest.c.eligible,
                _flag(active).label("active"),
            )
            .outerjoin(latest, latest.c.incubatee_id == Incubatee.id)
            .where(Incubatee.park_id == park_id, sa.or_(active, latest.c.incubatee_id.is_not(None)))
            .order_by(*BY_FIRM_NAME)
        )
        return [
            DrillRow(
                RowKind.INCUBATEE,
                _cells(row),
                _adds(row._mapping[amount]),
                _adds(row.active) if per_firm else None,
            )
            for row in found
        ]

    return rows


async def _growth(session: AsyncSession, park_id: UUID, period: RatingPeriod) -> list[DrillRow]:
    """The active firms, and any other that grew: revenue on the year before, or new financing."""
    per_firm = metrics.firm_reports(period).where(PeriodicReport.park_id == park_id).subquery()
    grows = metrics.growing(per_firm.c.funded == 1, per_firm.c.revenue_now, per_firm.c.revenue_before)
    active = metrics.firm_conditions(period)["active"]
    found = await session.execute(
        sa.select(
            *FIRM,
            per_firm.c.revenue_before,
            per_firm.c.revenue_now,
            (per_firm.c.funded == 1).label("funded"),
            _flag(grows).label("grows"),
            _flag(active).label("active"),
        )
        .outerjoin(per_firm, per_firm.c.incubatee_id == Incubatee.id)
        .where(Incubatee.park_id == park_id, sa.or_(active, grows))
        .order_by(*BY_FIRM_NAME)
    )
    return [DrillRow(RowKind.INCUBATEE, _cells(row), _adds(row.grows), _adds(row.active)) for row in found]


async def _policy(session: AsyncSession, park_id: UUID, period: RatingPeriod) -> list[DrillRow]:
    """The active firms, and any other that got a guaranteed loan or a subsidy in the period."""
    through_park, reported = (
        Incubatee.id.in_(sa.select(firms.c.incubatee_id).where(firms.c.park_id == park_id))
        for firms in (query.subquery() for query in metrics.policy_take_up(period))
    )
    active = metrics.firm_conditions(period)["active"]
    found = await session.execute(
        sa.select(
            *FIRM,
            through_park.label("through_park"),
            reported.label("loan_reported"),
            _flag(sa.or_(through_park, reported)).label("took_up"),
            _flag(active).label("active"),
        )
        .where(Incubatee.park_id == park_id, sa.or_(active, through_park, reported))
        .order_by(*BY_FIRM_NAME)
    )
    return [DrillRow(RowKind.INCUBATEE, _cells(row), _adds(row.took_up), _adds(row.active)) for row in found]


async def _mentors(session: AsyncSession, park_id: UUID, period: RatingPeriod) -> list[DrillRow]:
    """Each mentor with an assignment in the park during the period (with the firms), then the active firms."""
    found = await session.execute(
        sa.select(Mentor.id, Mentor.name, Mentor.organisation, Incubatee.name.label("firm"))
        .select_from(Assignment)
        .join(Mentor, Mentor.id == Assignment.mentor_id)
        .join(Incubatee, sa.and_(Incubatee.park_id == Assignment.park_id, Incubatee.id == Assignment.incubatee_id))
        .where(Assignment.park_id == park_id, metrics.assignment_during(period))
        .order_by(pinyin_order(Mentor.name), Mentor.id, *BY_FIRM_NAME)
    )
    mentors: dict[UUID, tuple[Any, list[str]]] = {}
    for row in found:
        mentors.setdefault(row.id, (row, []))[1].append(row.firm)
    return [
        *(
            DrillRow(
                RowKind.MENTOR,
                {"mentor": row.name, "organisation": row.organisation, "incubatee": "、".join(dict.fromkeys(firms))},
                Decimal(1),
            )
            for row, firms in mentors.values()
        ),
        *await _active_firms(session, park_id, period),
    ]


async def _sessions(session: AsyncSession, park_id: UUID, period: RatingPeriod) -> list[DrillRow]:
    """The mentor sessions held in the period and confirmed, then the active firms."""
    found = await session.execute(
        sa.select(
            MentorSession.held_on,
            Mentor.name.label("mentor"),
            Incubatee.name.label("incubatee"),
            MentorSession.minutes,
        )
        .select_from(MentorSession)
        .join(Mentor, Mentor.id == MentorSession.mentor_id)
        .join(
            Incubatee, sa.and_(Incubatee.park_id == MentorSession.park_id, Incubatee.id == MentorSession.incubatee_id)
        )
        .where(MentorSession.park_id == park_id, metrics.session_counted(period))
        .order_by(MentorSession.held_on, MentorSession.id)
    )
    return [
        *(DrillRow(RowKind.SESSION, _cells(row), Decimal(1)) for row in found),
        *await _active_firms(session, park_id, period),
    ]


async def _delivered(session: AsyncSession, park_id: UUID, period: RatingPeriod, *columns: Any, where: Any) -> Any:
    """The park's service deliveries of the period where ``where`` holds, oldest first."""
    return await session.execute(
        sa.select(
            ServiceDelivery.delivered_on,
            SupportService.name.label("service"),
            ServiceDelivery.category,
            Incubatee.name.label("incubatee"),
            *columns,
        )
        .select_from(ServiceDelivery)
        .join(
            SupportService,
            sa.and_(SupportService.park_id == ServiceDelivery.park_id, SupportService.id == ServiceDelivery.service_id),
        )
        .join(
            Incubatee,
            sa.and_(Incubatee.park_id == ServiceDelivery.park_id, Incubatee.id == ServiceDelivery.incubatee_id),
        )
        .where(ServiceDelivery.park_id == park_id, ServiceDelivery.delivered_on.between(*period), where)
        .order_by(ServiceDelivery.delivered_on, ServiceDelivery.id)
    )


async def _tech_services(session: AsyncSession, park_id: UUID, period: RatingPeriod) -> list[DrillRow]:
    """The technical services delivered in the period, then the active firms."""
    found = await _delivered(session, park_id, period, where=metrics.DELIVERY_CONDITIONS["tech_services"])
    return [
        *(DrillRow(RowKind.DELIVERY, _cells(row), Decimal(1)) for row in found),
        *await _active_firms(session, park_id, period),
    ]


async def _satisfaction(session: AsyncSession, park_id: UUID, period: RatingPeriod) -> list[DrillRow]:
    """The deliveries of the period the founders rated; satisfied where they gave 4 or 5."""
    conditions = metrics.DELIVERY_CONDITIONS
    found = await _delivered(
        session,
        park_id,
        period,
        ServiceDelivery.satisfaction,
        _flag(conditions["satisfied"]).label("satisfied"),
        where=conditions["rated"],
    )
    return [DrillRow(RowKind.DELIVERY, _cells(row), _adds(row.satisfied), Decimal(1)) for row in found]


async def _units(session: AsyncSession, park_id: UUID) -> Any:
    return await session.execute(
        sa.select(
            Unit.id,
            Building.name.label("building"),
            Unit.code.label("unit"),
            Unit.area_m2,
            Unit.free_or_common,
            *(area.label(key) for key, area in metrics.UNIT_AREAS.items()),
        )
        .join(Building, sa.and_(Building.park_id == Unit.park_id, Building.id == Unit.building_id))
        .where(Unit.park_id == park_id)
        .order_by(pinyin_order(Building.name), Building.id, Unit.code, Unit.id)
    )


async def _leases(session: AsyncSession, park_id: UUID, period: RatingPeriod) -> Any:
    figures = metrics.lease_figures(period)
    # Each lease's rent unrounded (SQLite would round it to the cent of the rent's column), as the aggregate sums it.
    figures["rent"] = sa.type_coerce(figures["rent"], sa.Numeric())
    return await session.execute(
        metrics.leases_in(
            period,
            Lease.unit_id,
            Unit.code.label("unit"),
            Incubatee.name.label("incubatee"),
            Lease.starts_on,
            Lease.ends_on,
            Lease.monthly_rent,
            *(figure.label(key) for key, figure in figures.items()),
        )
        .join(Incubatee, sa.and_(Incubatee.park_id == Lease.park_id, Incubatee.id == Lease.incubatee_id))
        .where(Lease.park_id == park_id)
        .order_by(Lease.starts_on, Lease.id)
    )


async def _utilisation(session: AsyncSession, park_id: UUID, period: RatingPeriod) -> list[DrillRow]:
    """Each unit (its rentable area × the period's days), followed by its leases of the period (the area × the
    days leased)."""
    leases: dict[UUID, list[DrillRow]] = defaultdict(list)
    for lease in await _leases(session, park_id, period):
        leases[lease.unit_id].append(DrillRow(RowKind.LEASE, _cells(lease), _adds(lease.leased_area_days)))
    rows = []
    for unit in await _units(session, park_id):
        rows.append(DrillRow(RowKind.UNIT, _cells(unit), None, _adds(unit.rentable_area * period.days)))
        rows.extend(leases.pop(unit.id, []))
    return rows


async def _free_area(session: AsyncSession, park_id: UUID, _period: RatingPeriod) -> list[DrillRow]:
    """Each unit: its area counts in the whole, and in the free share if it is free or common-use."""
    return [
        DrillRow(RowKind.UNIT, _cells(unit), _adds(unit.free_area), _adds(unit.free_area + unit.rentable_area))
        for unit in await _units(session, park_id)
    ]


async def _income(session: AsyncSession, park_id: UUID, period: RatingPeriod) -> list[DrillRow]:
    """The fees charged for services in the period (income other than rent), then the rent of each lease."""
    fees = await _delivered(session, park_id, period, ServiceDelivery.fee, where=ServiceDelivery.fee != 0)
    return [
        *(DrillRow(RowKind.DELIVERY, _cells(row), _adds(row.fee), _adds(row.fee)) for row in fees),
        *(
            DrillRow(RowKind.LEASE, _cells(lease), None, _adds(lease.rent))
            for lease in await _leases(session, park_id, period)
        ),
    ]


async def _reports_on_time(session: AsyncSession, park_id: UUID, period: RatingPeriod) -> list[DrillRow]:
    """Per firm, each report owed (a reporting period of the park overlapping its days in incubation) with the
    report filed for it; then any other report of the period (on time ones count in the numerator all the same)."""
    park = await session.get_one(Park, park_id)
    first, last = metrics.owed_window(period)
    active = metrics.firm_conditions(period)["active"]
    filed = await session.execute(
        sa.select(
            PeriodicReport.incubatee_id,
            PeriodicReport.period_start,
            PeriodicReport.period_end,
            PeriodicReport.due_on,
            PeriodicReport.submitted_on,
            PeriodicReport.complete,
            _flag(metrics.FILED_ON_TIME).label("on_time"),
        )
        .where(PeriodicReport.park_id == park_id, PeriodicReport.period_start.between(*period))
        .order_by(PeriodicReport.period_start)
    )
    reports: dict[UUID, list[Any]] = defaultdict(list)
    for each in filed:
        reports[each.incubatee_id].append(each)
    firms = await session.execute(
        sa.select(Incubatee.id, Incubatee.name, _flag(active).label("active"), first.label("first"), last.label("last"))
        .where(Incubatee.park_id == park_id, sa.or_(active, Incubatee.id.in_(list(reports))))
        .order_by(*BY_FIRM_NAME)
    )
    rows = []
    for firm in firms:
        left: list[Any] = reports.pop(firm.id, [])
        owed = periods_between(firm.first, firm.last, park.report_frequency) if firm.active else []
        for slot in owed:
            match = next((r for r in left if slot.start <= r.period_start <= slot.end), None)
            cells = {
                "incubatee": firm.name,
                "period_start": slot.start,
                "period_end": slot.end,
                "due_on": due_on(slot, park.report_due_days),
                "submitted_on": None,
                "complete": None,
            }
            if match is not None:
                left.remove(match)
                cells |= {"due_on": match.due_on, "submitted_on": match.submitted_on, "complete": match.complete}
            rows.append(DrillRow(RowKind.REPORT, cells, _adds(match and match.on_time), Decimal(1)))
        rows.extend(DrillRow(RowKind.REPORT, _cells(r, incubatee=firm.name), _adds(r.on_time)) for r in left)
    return rows


async def _trainings(session: AsyncSession, park_id: UUID, period: RatingPeriod) -> list[DrillRow]:
    """The trainings and events that started in the period."""
    found = await session.execute(
        sa.select(Training.title, Training.kind.label("training_kind"), Training.starts_on, Training.ends_on)
        .where(Training.park_id == park_id, metrics.training_held(period))
        .order_by(Training.starts_on, Training.id)
    )
    return [DrillRow(RowKind.TRAINING, _cells(row), Decimal(1)) for row in found]


async def _trainees(session: AsyncSession, park_id: UUID, period: RatingPeriod) -> list[DrillRow]:
    """Each person who attended a training that ended in the period; counted in the numerator if their firm
    was registered within a year after one of those trainings."""
    found = await session.execute(
        metrics.attendances(
            period,
            Trainee.id,
            Trainee.name,
            Training.title,
            Incubatee.name.label("incubatee"),
            Incubatee.registered_on,
            _flag(metrics.STARTED_FIRM).label("started_firm"),
        )
        .where(Enrolment.park_id == park_id)
        .order_by(pinyin_order(Trainee.name), Trainee.id, Training.ends_on, Training.id)
    )
    trainees: dict[UUID, list[Any]] = defaultdict(list)
    for row in found:
        trainees[row.id].append(row)
    return [
        DrillRow(
            RowKind.TRAINEE,
            {
                "trainee": attended[0].name,
                "trainings": "、".join(dict.fromkeys(row.title for row in attended)),
                "incubatee": attended[0].incubatee,
                "registered_on": attended[0].registered_on,
            },
            _adds(max(row.started_firm for row in attended)),
            Decimal(1),
        )
        for attended in trainees.values()
    ]


FIRM_DATES = ("incubatee", "status", "admitted_on", "left_on")
SPECS: dict[str, Spec] = {
    "survival_rate": Spec(
        100, ("incubatee", "cohort", "admitted_on", "left_on", "exit_reason", "operating"), _survival
    ),
    "incubation_success_rate": Spec(100, (*FIRM_DATES, "exit_reason"), _firms(["graduated"], ["left"])),
    "jobs_per_incubatee": Spec(1, (*FIRM_DATES, "period_start", "employees"), _jobs("employees", per_firm=True)),
    "growth_share": Spec(100, (*FIRM_DATES, "revenue_before", "revenue_now", "funded"), _growth),
    "utilisation_rate": Spec(
        100,
        ("kind", "building", "unit", "area_m2", "free_or_common", "incubatee", "starts_on", "ends_on", "leased_days"),
        _utilisation,
    ),
    "active_incubatees": Spec(None, FIRM_DATES, _firms(["active"], [])),
    "free_area_share": Spec(100, ("building", "unit", "area_m2", "free_or_common"), _free_area),
    "mentors_per_10_incubatees": Spec(
        10, ("kind", "mentor", "organisation", "incubatee", "status", "admitted_on", "left_on"), _mentors
    ),
    "sessions_per_incubatee": Spec(
        1, ("kind", "held_on", "mentor", "incubatee", "minutes", "status", "admitted_on", "left_on"), _sessions
    ),
    "tech_services_per_incubatee": Spec(
        1,
        ("kind", "delivered_on", "service", "category", "incubatee", "status", "admitted_on", "left_on"),
        _tech_services,
    ),
    "training_success_rate": Spec(100, ("trainee", "trainings", "incubatee", "registered_on"), _trainees),
    "trainings_count": Spec(None, ("title", "training_kind", "starts_on", "ends_on"), _trainings),
    "policy_take_up_rate": Spec(100, (*FIRM_DATES, "through_park", "loan_reported"), _policy),
    "satisfaction_rate": Spec(100, ("delivered_on", "service", "category", "incubatee", "satisfaction"), _satisfaction),
    "reports_on_time_rate": Spec(
        100, ("incubatee", "period_start", "period_end", "due_on", "submitted_on", "complete"), _reports_on_time
    ),
    "on_time_exit_rate": Spec(
        100,
        ("incubatee", "status", "admitted_on", "term_ends_on", "left_on"),
        _firms(["left_by_term"], ["left", "overstaying"]),
    ),
    "non_rent_income_share": Spec(
        100,
        (
            "kind",
            "delivered_on",
            "service",
            "incubatee",
            "unit",
            "starts_on",
            "ends_on",
            "monthly_rent",
            "charged_days",
        ),
        _income,
    ),
    "jobs_total": Spec(None, (*FIRM_DATES, "period_start", "employees"), _jobs("employees", per_firm=False)),
    "eligible_incubatees": Spec(None, (*FIRM_DATES, "period_start", "employees"), _jobs("eligible", per_firm=False)),
}
"""Every metric ``collect_metrics_across_parks`` gives: how its value is made of its rows."""


def metric_name(rubric: Rubric, metric: str) -> str:
    """The metric's name in the current language, as the rubric gives it (or as the helper metrics are named)."""
    found = rubric.metrics().get(metric)
    if found is not None:
        return found.name_zh if current_locale() == "zh_CN" else found.name_en
    return _(HELPER_NAMES[metric]) if metric in HELPER_NAMES else metric


def _rounded(value: MetricValue) -> tuple[Decimal | None, ...]:
    """For comparing a frozen value with today's: sums of amounts may differ in far decimals between databases."""
    return tuple(
        None if v is None else v.quantize(HUNDREDTH) for v in (value.value, value.numerator, value.denominator)
    )


async def metric_rows(session: AsyncSession, park_id: UUID, period: RatingPeriod, metric: str) -> list[DrillRow]:
    """Every row behind the metric of the park in the period, in order."""
    if metric not in SPECS:
        raise NotFound(_("No such metric."), field="metric")
    return await SPECS[metric].rows(session, park_id, period)


def live_value(metric: str, rows: Sequence[DrillRow]) -> MetricValue:
    """The metric's value as its rows give it: the sums of the numerator and denominator columns."""
    numerator = sum((row.numerator for row in rows if row.numerator is not None), Decimal(0))
    denominator = sum((row.denominator for row in rows if row.denominator is not None), Decimal(0))
    scale = SPECS[metric].scale
    return count(numerator) if scale is None else ratio(numerator, denominator, scale)


async def drill_down(
    session: AsyncSession, rating: Rating, period: RatingPeriod, metric: str, *, limit: int, offset: int
) -> Drilldown:
    """The rows behind one metric value of a rating (a page of them), with the value as frozen and as the rows
    give it today."""
    rows = await metric_rows(session, rating.park_id, period, metric)
    spec = SPECS[metric]
    live = live_value(metric, rows)
    stored = rating.metrics.get(metric)
    frozen = None if stored is None else msgspec.convert(stored, MetricValue, strict=False)
    page = [
        msgspec.structs.replace(
            row, cells={key: row.kind if key == "kind" else row.cells.get(key) for key in spec.columns}
        )
        for row in rows[offset : offset + limit]
    ]
    return Drilldown(
        metric=metric,
        name=metric_name(await rubrics.rubric(session, rating.rubric_version), metric),
        frozen=frozen,
        live=live,
        changed=frozen is not None and _rounded(frozen) != _rounded(live),
        columns=[Column(key, _(COLUMN_LABELS[key])) for key in spec.columns],
        rows=Page(page, len(rows), limit, offset),
    )


__all__ = ("SPECS", "DrillRow", "Drilldown", "drill_down", "live_value", "metric_rows")
