"""Metric collection: every indicator of a period, per park, by set-based SQL. The expected values are
worked out by hand from the small park below, not by calling the code."""

import datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from incubator.mentors.models import SessionStatus
from incubator.periodic_reports.models import PeriodicReport
from incubator.ratings.metrics import RatingPeriod, collect_metrics_across_parks
from incubator.space.models import Building, Lease, Unit
from incubator.support.models import ServiceCategory
from incubator.trainings.models import Attendance
from tests.conftest import (
    make_assignment,
    make_enrolment,
    make_incubatee,
    make_park,
    make_session,
    make_trainee,
    make_training,
)
from tests.support_data import make_delivery, make_service

D = datetime.date
YEAR = RatingPeriod.year(2017)


def _report(firm, start: datetime.date, **values) -> PeriodicReport:
    end = (start.replace(day=28) + datetime.timedelta(days=70)).replace(day=1) - datetime.timedelta(days=1)
    return PeriodicReport(
        park_id=firm.park_id,
        incubatee_id=firm.id,
        frequency="quarterly",
        period_start=start,
        period_end=end,
        due_on=end + datetime.timedelta(days=15),
        submitted_on=values.pop("submitted_on", end + datetime.timedelta(days=5)),
        complete=values.pop("complete", True),
        **values,
    )


async def _small_park(db, world):
    """Park A in 2017: four firms active (F1 to F4), two that left in 2016 (F5, F7), one applicant."""
    f1 = world.incubatee_a  # admitted 2016-03-01, term to 2019-02-28, incubating
    f1.registered_on = D(2015, 5, 1)
    f2 = await make_incubatee(db, world.park_a, "F2", kind="technology", registered_on=D(2017, 6, 1))
    f2.admitted_on = D(2017, 2, 1)
    f3 = await make_incubatee(db, world.park_a, "F3", status="graduated", left_on=D(2017, 6, 30))
    f3.admitted_on, f3.exit_reason = D(2016, 5, 1), "graduation_criteria"
    f4 = await make_incubatee(db, world.park_a, "F4", status="exited", left_on=D(2017, 9, 30), exit_reason="voluntary")
    f4.admitted_on = D(2016, 7, 1)
    f5 = await make_incubatee(db, world.park_a, "F5", status="graduated", left_on=D(2016, 8, 31))
    f5.admitted_on, f5.exit_reason = D(2015, 3, 1), "graduation_criteria"
    f7 = await make_incubatee(db, world.park_a, "F7", status="exited", left_on=D(2016, 10, 31), exit_reason="closed")
    f7.admitted_on = D(2016, 2, 1)
    await make_incubatee(db, world.park_a, "F6", status="applicant")
    from incubator.incubatees.models import FollowUp

    db.add(FollowUp(park_id=f5.park_id, incubatee_id=f5.id, year_after=1, followed_on=D(2017, 8, 31), operating=True))
    db.add_all(
        [
            _report(f1, D(2016, 10, 1), revenue=Decimal(200000), tax=0, employees=4, new_jobs=0),
            _report(f1, D(2017, 1, 1), revenue=Decimal(100000), tax=0, employees=4, new_jobs=0),
            _report(
                f1,
                D(2017, 4, 1),
                revenue=Decimal(100000),
                tax=0,
                employees=5,
                new_jobs=1,
                submitted_on=D(2017, 8, 1),
                loan_amount=Decimal(100000),
                loan_bank="濮阳农商银行",
            ),
            _report(f1, D(2017, 7, 1), revenue=None, employees=5, new_jobs=0, complete=False),
            _report(f1, D(2017, 10, 1), revenue=Decimal(150000), tax=0, employees=6, new_jobs=1),
            _report(
                f2, D(2017, 1, 1), revenue=Decimal(0), tax=0, employees=3, new_jobs=3, funding_raised=Decimal(500000)
            ),
        ]
    )
    building = Building(park_id=world.park_a.id, name="A座")
    db.add(building)
    await db.flush()
    u1, u2, u3 = (
        Unit(park_id=world.park_a.id, building_id=building.id, code=code, kind=kind, area_m2=area, free_or_common=free)
        for code, kind, area, free in (
            ("101", "office", 100, False),
            ("102", "office", 50, False),
            ("大厅", "common_area", 50, True),
        )
    )
    db.add_all([u1, u2, u3])
    await db.flush()
    db.add_all(
        [
            Lease(
                park_id=world.park_a.id,
                unit_id=u1.id,
                incubatee_id=f1.id,
                starts_on=D(2017, 1, 1),
                ends_on=D(2017, 12, 31),
                monthly_rent=1000,
                rent_free_until=D(2017, 6, 30),
            ),
            Lease(
                park_id=world.park_a.id,
                unit_id=u2.id,
                incubatee_id=f2.id,
                starts_on=D(2017, 7, 1),
                ends_on=D(2018, 6, 30),
                monthly_rent=500,
            ),
        ]
    )
    await db.commit()
    ip = await make_service(db, world.park_a.id, "商标代理", ServiceCategory.TECH_IP)
    testing = await make_service(db, world.park_a.id, "产品检测", ServiceCategory.TECH_TESTING)
    subsidy = await make_service(db, world.park_a.id, "创业补贴", ServiceCategory.FINANCE_SUBSIDY)
    rated = datetime.datetime(2017, 5, 1, tzinfo=datetime.UTC)
    await make_delivery(db, f1, ip, fee=Decimal(500), satisfaction=5, rated_at=rated)
    await make_delivery(db, f2, testing, fee=Decimal(300), satisfaction=3, rated_at=rated)
    await make_delivery(db, f2, subsidy, amount=Decimal(20000))
    assignment = await make_assignment(db, world, f1, starts_on=D(2017, 1, 1))
    for held, status in (
        (D(2017, 2, 1), "confirmed"),
        (D(2017, 3, 1), "confirmed"),
        (D(2017, 4, 1), "confirmed"),
        (D(2017, 5, 1), "submitted"),
        (D(2016, 12, 1), "confirmed"),
    ):
        await make_session(db, assignment, SessionStatus(status), held_on=held)
    training = await make_training(db, world.park_a, starts_on=D(2017, 3, 1), ends_on=D(2017, 3, 5))
    await make_training(db, world.park_a, starts_on=D(2016, 3, 1), ends_on=D(2016, 3, 5))
    for phone, firm, attendance in (
        ("13800000001", f2, "attended"),
        ("13800000002", None, "attended"),
        ("13800000003", None, "absent"),
        ("13800000004", f1, "attended"),
    ):
        trainee = await make_trainee(db, world.park_a, phone, incubatee_id=firm.id if firm else None)
        await make_enrolment(db, training, trainee, attendance=Attendance(attendance))


async def test_a_small_park_worked_by_hand(db, world):
    await _small_park(db, world)
    metrics = await collect_metrics_across_parks(db, YEAR)
    got = {key: value.value for key, value in metrics[world.park_a.id].items()}
    rent = Decimal(1000 * 184 * 12) / 365 + Decimal(500 * 184 * 12) / 365  # July to December, after the free months
    expected = {
        # entry cohort (admitted 2016): F1, F3, F4 survive, F7 closed within the year; exit cohort (left 2016):
        # F5 operating a year on, F7 no follow-up
        "survival_rate": Decimal(100 * (3 + 1)) / (4 + 2),
        "incubation_success_rate": Decimal(100 * 1) / 2,  # F3 graduated, F4 exited
        "jobs_per_incubatee": Decimal(6 + 3) / 4,  # latest reports: F1 6, F2 3; active F1–F4
        "growth_share": Decimal(100 * 2) / 4,  # F1 350,000 vs 200,000 (+75%), F2 new financing
        "utilisation_rate": Decimal(100 * (100 * 365 + 50 * 184)) / (150 * 365),
        "active_incubatees": Decimal(4),
        "free_area_share": Decimal(100 * 50) / 200,
        "mentors_per_10_incubatees": Decimal(10 * 1) / 4,
        "sessions_per_incubatee": Decimal(3) / 4,  # confirmed in 2017 only
        "tech_services_per_incubatee": Decimal(2) / 4,
        "training_success_rate": Decimal(100 * 1) / 3,  # of three who came, F2's founder registered in June
        "trainings_count": Decimal(1),
        "policy_take_up_rate": Decimal(100 * 2) / 4,  # F1's loan (reported), F2's subsidy (delivered)
        "satisfaction_rate": Decimal(100 * 1) / 2,  # a 5 and a 3
        "reports_on_time_rate": Decimal(100 * 3) / (4 + 4 + 2 + 3),  # F1 Q1, Q4 and F2 Q1 of 13 owed
        "on_time_exit_rate": Decimal(100 * 2) / 2,
        "non_rent_income_share": Decimal(100 * 800) / (800 + rent),
        "jobs_total": Decimal(9),
        "eligible_incubatees": Decimal(1),  # F1: in incubation since 2016, 6 jobs; F2 is not a year in
    }
    assert got == {key: value.quantize(Decimal("0.01")) for key, value in expected.items()}
    assert metrics[world.park_a.id]["reports_on_time_rate"].denominator == 13


async def test_parks_are_counted_apart_and_missing_data_is_none(db, world):
    await _small_park(db, world)
    park_b = (await collect_metrics_across_parks(db, YEAR))[world.park_b.id]
    assert park_b["active_incubatees"].value == 1  # incubatee_b only
    assert park_b["reports_on_time_rate"].value == 0  # four quarters owed, none filed
    assert park_b["incubation_success_rate"].value is None  # nobody left: nothing to divide by
    assert park_b["satisfaction_rate"].value is None
    assert park_b["utilisation_rate"].value is None


@pytest.mark.parametrize("extra_parks", [0, 3])
async def test_the_number_of_statements_does_not_grow_with_the_city(db, world, extra_parks):
    await _small_park(db, world)
    for n in range(extra_parks):
        park = await make_park(db, f"EXTRA-{n}", f"园区{n}", district="范县")
        await make_incubatee(db, park, f"企业{n}")
    await db.commit()
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    engine = db.get_bind()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        metrics = await collect_metrics_across_parks(db, YEAR)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(metrics) == 2 + extra_parks
    assert len(statements) == 6  # five families of metrics, and the parks
