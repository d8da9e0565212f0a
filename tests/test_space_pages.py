"""The operator's space pages: buildings, units, and letting a unit with free rent."""

import sqlalchemy as sa

from incubator.space.models import Building, Lease, Unit
from tests.conftest import csrf_token, page_login


async def _form(client, **values):
    return {**values, "_csrf_token": await csrf_token(client)}


async def test_operator_builds_up_the_space_and_lets_a_unit_with_six_months_free(client, db, world):
    await page_login(client, db, world.user("operator_a"))
    base = f"/parks/{world.park_a.id}/space"
    empty = await client.get(base)
    assert 'class="empty"' in empty.text

    assert (
        await client.post(f"{base}/buildings", data=await _form(client, name="创业楼"), follow_redirects=False)
    ).status_code == 303
    building_id = await db.scalar(sa.select(Building.id).where(Building.name == "创业楼"))
    bad_unit = await client.post(
        f"{base}/units",
        data=await _form(client, building_id=str(building_id), code="A101", kind="workshop", area_m2="-1"),
    )
    assert bad_unit.status_code == 400
    assert 'id="area_m2-error"' in bad_unit.text
    made = await client.post(
        f"{base}/units",
        data=await _form(
            client,
            building_id=str(building_id),
            code="A101",
            kind="workshop",
            area_m2="60",
            seats="6",
            monthly_rent="900",
        ),
        follow_redirects=False,
    )
    assert made.status_code == 303
    unit_id = await db.scalar(sa.select(Unit.id).where(Unit.code == "A101"))

    unit_page = await client.get(f"{base}/units/{unit_id}")
    assert "濮阳巧手编织坊" in unit_page.text
    lease = {
        "incubatee_id": str(world.incubatee_a.id),
        "starts_on": "2017-06-01",
        "ends_on": "2018-05-31",
        "monthly_rent": "900",
        "rent_free_until": "2017-11-30",
    }
    let = await client.post(f"{base}/units/{unit_id}/leases", data=await _form(client, **lease), follow_redirects=False)
    assert let.status_code == 303
    overlapping = await client.post(
        f"{base}/units/{unit_id}/leases",
        data=await _form(
            client, **{**lease, "starts_on": "2018-05-31", "ends_on": "2018-12-31", "rent_free_until": ""}
        ),
    )
    assert overlapping.status_code == 400
    assert "已出租" in overlapping.text
    assert await db.scalar(sa.select(sa.func.count()).select_from(Lease)) == 1
    overview = await client.get(base)
    assert "A101" in overview.text


async def test_bureau_sees_the_space_without_forms(client, db, world):
    await page_login(client, db, world.user("bureau"))
    page = await client.get(f"/parks/{world.park_a.id}/space")
    assert page.status_code == 200
    assert "/space/buildings" not in page.text
