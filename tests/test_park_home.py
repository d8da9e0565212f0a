"""The operator's Monday morning: what needs attention on the park's home page."""

import datetime

from incubator.clock import today
from incubator.mentors.models import SessionStatus
from incubator.space.models import Building, Lease, Unit
from tests.conftest import make_assignment, make_incubatee, make_session, page_login


async def test_park_home_lists_what_needs_attention(client, db, world):
    overdue = await make_incubatee(db, world.park_a, "超期企业", term_ends_on=today() - datetime.timedelta(days=3))
    building = Building(park_id=world.park_a.id, name="一号楼")
    db.add(building)
    await db.flush()
    unit = Unit(park_id=world.park_a.id, building_id=building.id, code="B201", kind="office", area_m2=30)
    later_unit = Unit(park_id=world.park_a.id, building_id=building.id, code="B202", kind="office", area_m2=30)
    db.add_all([unit, later_unit])
    await db.flush()
    db.add_all(
        [
            Lease(
                park_id=world.park_a.id,
                unit_id=unit.id,
                incubatee_id=overdue.id,
                monthly_rent=500,
                starts_on=today() - datetime.timedelta(days=200),
                ends_on=today(),
            ),
            Lease(
                park_id=world.park_a.id,
                unit_id=later_unit.id,
                incubatee_id=overdue.id,
                monthly_rent=500,
                starts_on=today(),
                ends_on=today() + datetime.timedelta(days=400),
            ),
        ]
    )
    await db.commit()
    assignment = await make_assignment(db, world, world.incubatee_a)
    await make_session(db, assignment, SessionStatus.SUBMITTED)
    await make_session(db, assignment, SessionStatus.DRAFT)

    await page_login(client, db, world.user("operator_a"))
    page = await client.get(f"/parks/{world.park_a.id}")
    assert page.status_code == 200
    text = page.text
    assert "待确认的导师辅导记录</a>: <strong>1</strong>" in text  # the draft does not count
    assert "本月到期的租约: <strong>1</strong>" in text
    assert "B201" in text
    assert "B202" not in text
    # the fixture's firm, admitted in 2016, is past its 2019 term too
    assert "孵化期已满仍在孵的企业: <strong>2</strong>" in text
    assert "超期企业" in text


async def test_founders_do_not_see_the_operators_worklist(client, db, world):
    await page_login(client, db, world.user("founder_a"))
    page = await client.get(f"/parks/{world.park_a.id}")
    assert page.status_code == 200
    assert "待确认的导师辅导记录" not in page.text
