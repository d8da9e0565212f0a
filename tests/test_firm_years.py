"""The yearly figures per firm that the rating reads (``FirmYear``) are kept by database triggers. After inserts,
updates (one row or many at once, moving rows between years) and deletes of reports, sessions and deliveries,
and a firm's deletion, they equal the figures worked out here from the rows themselves, by the rules of
``incubator.ratings.metrics``."""

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from incubator.mentors.models import Assignment, MentorSession, SessionStatus
from incubator.periodic_reports.models import PeriodicReport
from incubator.ratings.metrics import SATISFIED
from incubator.ratings.models import FirmYear
from incubator.support.models import POLICY_TAKE_UP, ServiceCategory, ServiceDelivery, ServiceGroup
from tests.conftest import make_assignment, make_incubatee, make_session
from tests.db import write_at_once
from tests.support_data import make_delivery, make_service
from tests.test_metrics import _report

D = datetime.date
SOURCES = ("periodic_reports", "mentor_sessions", "service_deliveries")
FIGURES = [column.key for column in FirmYear.__table__.columns if column.key not in ("park_id", "incubatee_id", "year")]


def _fresh(model: Any) -> Any:
    return sa.select(model).execution_options(populate_existing=True)


async def _from_the_rows(db) -> dict[tuple[Any, ...], dict[str, Any]]:
    found: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0) | {"jobs": None})
    latest: dict[tuple[Any, ...], datetime.date] = {}
    for report in await db.scalars(_fresh(PeriodicReport)):
        figures = found[key := (report.park_id, report.incubatee_id, report.period_start.year)]
        figures["revenue"] += report.revenue or 0
        found[(report.park_id, report.incubatee_id, report.period_start.year + 1)]["revenue_before"] += (
            report.revenue or 0
        )
        figures["funded_reports"] += report.funding_raised > 0
        figures["loan_reports"] += report.loan_amount > 0
        figures["reports_on_time"] += report.complete and report.submitted_on <= report.due_on
        if report.employees is not None and report.period_start > latest.get(key, D.min):
            figures["jobs"], latest[key] = report.employees, report.period_start
    for held in await db.scalars(_fresh(MentorSession)):
        found[(held.park_id, held.incubatee_id, held.held_on.year)]["sessions"] += (
            held.status == SessionStatus.CONFIRMED
        )
    for delivery in await db.scalars(_fresh(ServiceDelivery)):
        figures = found[(delivery.park_id, delivery.incubatee_id, delivery.delivered_on.year)]
        figures["tech_services"] += delivery.category.group == ServiceGroup.TECHNICAL
        figures["fees"] += delivery.fee
        figures["rated_services"] += delivery.satisfaction is not None
        figures["satisfied_services"] += (delivery.satisfaction or 0) >= SATISFIED
        figures["policy_services"] += delivery.category in POLICY_TAKE_UP
    return {key: figures for key, figures in found.items() if any(figures.values())}


async def _kept(db) -> dict[tuple[Any, ...], dict[str, Any]]:
    kept = {
        (row.park_id, row.incubatee_id, row.year): {name: getattr(row, name) for name in FIGURES}
        for row in await db.scalars(_fresh(FirmYear))
    }
    # a firm-year whose rows have all gone keeps its row, at zero
    return {key: figures for key, figures in kept.items() if any(figures.values())}


async def _assert_kept(db) -> dict[tuple[Any, ...], dict[str, Any]]:
    await db.commit()
    kept = await _kept(db)
    assert kept == await _from_the_rows(db)
    return kept


async def test_the_figures_follow_every_write_to_the_rows_they_come_from(db, world):
    firm = world.incubatee_a
    other = await make_incubatee(db, world.park_a, "F2")
    db.add_all(
        [
            _report(firm, D(2016, 10, 1), revenue=Decimal("1000.50"), employees=4),
            _report(firm, D(2017, 1, 1), revenue=Decimal(900), employees=5, funding_raised=Decimal(50000)),
            _report(firm, D(2017, 4, 1), revenue=Decimal(1300), employees=7, loan_amount=Decimal(100000)),
            _report(firm, D(2017, 7, 1), revenue=Decimal(200), submitted_on=D(2017, 12, 1)),  # late, no jobs
            _report(other, D(2017, 1, 1), revenue=Decimal(10), employees=2, complete=False),
        ]
    )
    assignment = await make_assignment(db, world, firm)
    confirmed = await make_session(db, assignment, SessionStatus.CONFIRMED)
    submitted = await make_session(db, assignment, SessionStatus.SUBMITTED, held_on=D(2017, 5, 2))
    await make_session(db, await make_assignment(db, world, other), SessionStatus.CONFIRMED, held_on=D(2016, 12, 31))
    testing = await make_service(db, world.park_a.id, category=ServiceCategory.TECH_TESTING)
    loan = await make_service(db, world.park_a.id, category=ServiceCategory.FINANCE_GUARANTEED_LOAN)
    rated = await make_delivery(db, firm, testing, fee=Decimal("300.25"))
    await make_delivery(
        db,
        firm,
        loan,
        amount=Decimal(80000),
        satisfaction=5,
        rated_at=datetime.datetime(2017, 4, 1, tzinfo=datetime.UTC),
    )
    await make_delivery(db, other, testing, delivered_on=D(2016, 6, 1))
    kept = await _assert_kept(db)
    assert kept[(world.park_a.id, firm.id, 2017)] == {
        "revenue": Decimal(2400),
        "revenue_before": Decimal("1000.50"),
        "funded_reports": 1,
        "loan_reports": 1,
        "reports_on_time": 2,
        "jobs": 7,  # the latest report giving employees
        "sessions": 1,
        "tech_services": 1,
        "fees": Decimal("300.25"),
        "rated_services": 1,
        "satisfied_services": 1,
        "policy_services": 1,
    }

    # rows moved into another year, alone (the year they left is recomputed too)
    moved = await db.scalar(sa.select(PeriodicReport).where(PeriodicReport.incubatee_id == other.id))
    moved.period_start, moved.period_end = D(2016, 1, 1), D(2016, 3, 31)
    await _assert_kept(db)
    confirmed.held_on = D(2016, 11, 2)
    await _assert_kept(db)

    # one row at a time: a status, amounts and a rating
    submitted.status = SessionStatus.CONFIRMED
    rated.satisfaction, rated.rated_at = 4, datetime.datetime(2017, 5, 1, tzinfo=datetime.UTC)
    rated.category = ServiceCategory.CONSULTING
    report = await db.scalar(sa.select(PeriodicReport).where(PeriodicReport.period_start == D(2017, 4, 1)))
    report.employees, report.revenue = None, Decimal(1)
    await _assert_kept(db)

    # many rows in one statement
    await db.execute(sa.update(MentorSession).values(status=SessionStatus.SUBMITTED))
    await db.execute(sa.update(PeriodicReport).values(submitted_on=D(2016, 1, 1)))
    await _assert_kept(db)

    await db.execute(sa.delete(PeriodicReport).where(PeriodicReport.incubatee_id == firm.id))
    await db.execute(sa.delete(ServiceDelivery).where(ServiceDelivery.delivered_on < D(2017, 1, 1)))
    await _assert_kept(db)

    # a firm's deletion takes its reports and its figures with it
    for rows in (MentorSession, Assignment, ServiceDelivery):
        await db.execute(sa.delete(rows).where(rows.incubatee_id == other.id))
    await db.delete(await db.merge(other))
    kept = await _assert_kept(db)
    assert not [key for key in kept if key[1] == other.id]
    assert not await db.scalar(sa.select(sa.func.count()).where(FirmYear.incubatee_id == other.id))


async def test_two_writers_of_one_firm_year_at_once_both_count(db, world, settings):
    """The second writer's recount waits for the first to commit (PostgreSQL: a lock per firm taken by the
    trigger; SQLite: one writer at a time) and so reads both rows, instead of overwriting the figures with a
    count that missed the first writer's row."""
    firm = world.incubatee_a
    await write_at_once(
        settings, _report(firm, D(2017, 1, 1), revenue=Decimal(100)), _report(firm, D(2017, 4, 1), revenue=Decimal(50))
    )
    kept = await _assert_kept(db)
    assert kept[(world.park_a.id, firm.id, 2017)]["revenue"] == 150


async def test_every_status_category_and_satisfaction_counts_by_the_rules_of_the_metrics(db, world):
    firm = world.incubatee_a
    assignment = await make_assignment(db, world, firm)
    for day, status in enumerate(SessionStatus, start=1):
        await make_session(db, assignment, status, held_on=D(2017, 3, day))
    for n, category in enumerate(ServiceCategory):
        service = await make_service(db, world.park_a.id, category=category)
        amount = Decimal(1000) if category.group == ServiceGroup.FINANCING else None
        rated_at = datetime.datetime(2017, 5, 1, tzinfo=datetime.UTC)
        await make_delivery(db, firm, service, amount=amount, satisfaction=n % 5 + 1, rated_at=rated_at)
    kept = await _assert_kept(db)
    assert kept[(world.park_a.id, firm.id, 2017)]["tech_services"] == 4


async def test_the_triggers_are_in_place_at_head(db):
    """A later migration that rebuilds a source table (SQLite's batch mode does) must create them again."""
    if db.get_bind().dialect.name == "postgresql":
        query = (
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
        )
    else:
        query = "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'"
    found = {
        (name.split("_on_")[0], table, name.rsplit("_", 1)[-1])
        for table, name in await db.execute(sa.text(query))
        if name.startswith(("firm_years", "lease_years"))
    }
    every_write = ("insert", "update", "delete")
    assert found == {
        *(("firm_years", table, event) for table in SOURCES for event in every_write),
        *(("lease_years", "leases", event) for event in every_write),
        ("lease_years", "units", "update"),
    }
