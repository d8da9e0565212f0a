"""The park dashboard: figures by grouped queries, and charts drawn as SVG on the server."""

import datetime

from incubator.clock import today
from incubator.mentors.models import SessionStatus
from incubator.periodic_reports.models import PeriodicReport
from incubator.space.models import Building, Lease, Unit
from tests.conftest import bearer, make_assignment, make_incubatee, make_session, page_login


async def _arrange(db, world) -> None:
    await make_incubatee(db, world.park_a, "龙都电商", kind="e_commerce")
    await make_incubatee(db, world.park_a, "申请中企业", status="applicant")
    await make_incubatee(db, world.park_b, "乙园企业")  # never counted in park A
    building = Building(park_id=world.park_a.id, name="创业大厦")
    db.add(building)
    await db.flush()
    units = [
        Unit(park_id=world.park_a.id, building_id=building.id, code=code, kind="office", area_m2=area, seats=4)
        for code, area in (("101", 60), ("102", 40))
    ]
    db.add_all(units)
    await db.flush()
    db.add(
        Lease(
            park_id=world.park_a.id,
            unit_id=units[0].id,
            incubatee_id=world.incubatee_a.id,
            monthly_rent=800,
            starts_on=today() - datetime.timedelta(days=30),
            ends_on=today() + datetime.timedelta(days=300),
        )
    )
    for start, end, employees, new_jobs in (
        (datetime.date(2017, 1, 1), datetime.date(2017, 3, 31), 5, 2),
        (datetime.date(2017, 4, 1), datetime.date(2017, 6, 30), 7, 2),
    ):
        db.add(
            PeriodicReport(
                park_id=world.park_a.id,
                incubatee_id=world.incubatee_a.id,
                frequency="quarterly",
                period_start=start,
                period_end=end,
                due_on=end + datetime.timedelta(days=15),
                submitted_on=end + datetime.timedelta(days=3),
                employees=employees,
                new_jobs=new_jobs,
            )
        )
    assignment = await make_assignment(db, world, world.incubatee_a)
    await make_session(db, assignment, SessionStatus.CONFIRMED, held_on=today(), minutes=90)
    await make_session(db, assignment, SessionStatus.DRAFT, held_on=today(), minutes=60)  # drafts do not count
    await db.commit()


async def test_dashboard_figures_count_this_park_only(client, db, world):
    await _arrange(db, world)
    figures = (
        await client.get(f"/api/parks/{world.park_a.id}/dashboard", headers=await bearer(db, world, "operator_a"))
    ).json()
    assert figures["by_status"] == {"applicant": 1, "incubating": 2, "graduated": 0, "exited": 0}
    assert (figures["in_incubation_by_kind"]["handicraft"], figures["in_incubation_by_kind"]["e_commerce"]) == (1, 1)
    park_row = figures["occupancy"][-1]
    assert (park_row["building_id"], park_row["area_rate"]) == (None, 0.6)
    assert [(j["period_start"], j["new_jobs"], j["employees"]) for j in figures["jobs"]] == [
        ("2017-01-01", 2, 5),
        ("2017-04-01", 2, 7),
    ]
    assert (figures["sessions_this_month"], figures["session_hours_this_month"]) == (1, 1.5)
    assert figures["reports_overdue"] > 0
    assert figures["firms_behind"] == 2


async def test_dashboard_page_draws_its_charts_as_svg(client, db, world):
    await _arrange(db, world)
    await page_login(client, db, world.user("operator_a"))
    page = await client.get(f"/parks/{world.park_a.id}/dashboard")
    assert page.status_code == 200
    assert page.text.count("<svg") == 4
    assert "<script" not in page.text.split("<main")[1]
    assert "创业大厦" in page.text
    assert "企业孵化状态" in page.text


async def test_an_empty_park_has_an_empty_dashboard(client, db, world):
    await page_login(client, db, world.user("operator_b"))
    page = await client.get(f"/parks/{world.park_b.id}/dashboard")
    assert page.status_code == 200
    assert "尚未登记楼宇" in page.text
    assert "尚无定期报表" in page.text
