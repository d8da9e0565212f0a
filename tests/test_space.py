"""Buildings, units, leases and occupancy, through the API."""

import asyncio
import datetime

import pytest
import sqlalchemy as sa

from incubator.space.models import Building, Lease, Unit
from tests.conftest import bearer, concurrent_client, make_incubatee


@pytest.fixture
async def space(db, world):
    building = Building(park_id=world.park_a.id, name="一号楼")
    db.add(building)
    await db.flush()
    office = Unit(
        park_id=world.park_a.id,
        building_id=building.id,
        code="101",
        kind="office",
        area_m2=100,
        seats=10,
        monthly_rent=2000,
    )
    desk = Unit(
        park_id=world.park_a.id,
        building_id=building.id,
        code="102",
        kind="workstation",
        area_m2=20,
        seats=4,
        monthly_rent=300,
    )
    hall = Unit(
        park_id=world.park_a.id,
        building_id=building.id,
        code="大厅",
        kind="common_area",
        area_m2=80,
        free_or_common=True,
    )
    db.add_all([office, desk, hall])
    await db.commit()
    return {"building": building, "office": office, "desk": desk, "hall": hall}


def _url(world, suffix: str) -> str:
    return f"/api/parks/{world.park_a.id}{suffix}"


def _lease(world, unit, starts: str, ends: str, **extra):
    return {
        "unit_id": str(unit.id),
        "incubatee_id": str(world.incubatee_a.id),
        "starts_on": starts,
        "ends_on": ends,
        "monthly_rent": "2000",
        **extra,
    }


async def test_journey_a_unit_with_six_months_free_rent(client, db, world, space):
    headers = await bearer(db, world, "operator_a")
    body = _lease(world, space["office"], "2017-06-01", "2018-05-31", rent_free_until="2017-11-30", deposit="2000")
    response = await client.post(_url(world, "/leases"), json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["rent_free_until"] == "2017-11-30"


@pytest.mark.parametrize(
    ("starts", "ends", "status"),
    [
        ("2017-12-31", "2018-03-31", 409),  # starts on the last day of the running lease
        ("2017-06-01", "2017-06-30", 409),  # inside it
        ("2016-01-01", "2017-01-01", 409),  # ends on its first day
        ("2018-01-01", "2018-12-31", 201),  # back to back, the day after
        ("2016-01-01", "2016-12-31", 201),  # back to back, the day before
        ("2019-01-01", "2019-12-31", 201),  # in the future
    ],
)
async def test_lease_boundaries(client, db, world, space, starts, ends, status):
    headers = await bearer(db, world, "operator_a")
    first = await client.post(
        _url(world, "/leases"), json=_lease(world, space["office"], "2017-01-01", "2017-12-31"), headers=headers
    )
    assert first.status_code == 201
    second = await client.post(
        _url(world, "/leases"), json=_lease(world, space["office"], starts, ends), headers=headers
    )
    assert second.status_code == status, second.text
    if status == 409:
        assert second.json()["errors"][0]["field"] == "starts_on"
        assert first.json()["id"] in second.json()["errors"][0]["message"]


async def test_requests_at_once_cannot_both_let_a_unit(app, db, world, space):
    headers = await bearer(db, world, "operator_a")
    bodies = [_lease(world, space["desk"], f"2017-0{month}-01", "2017-12-31") for month in range(1, 7)]
    async with concurrent_client(app) as client:
        responses = await asyncio.gather(
            *(client.post(_url(world, "/leases"), json=b, headers=headers) for b in bodies)
        )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409, 409, 409], [r.text for r in responses]
    assert await db.scalar(sa.select(sa.func.count()).select_from(Lease)) == 1


async def test_the_database_refuses_an_overlap_the_service_did_not_see(db, world, space):
    from sqlalchemy.exc import IntegrityError

    for starts, ends in [("2017-01-01", "2017-06-30"), ("2017-06-30", "2017-12-31")]:
        db.add(
            Lease(
                park_id=world.park_a.id,
                unit_id=space["desk"].id,
                incubatee_id=world.incubatee_a.id,
                starts_on=datetime.date.fromisoformat(starts),
                ends_on=datetime.date.fromisoformat(ends),
                monthly_rent=100,
            )
        )
    with pytest.raises(IntegrityError):
        await db.commit()


@pytest.mark.parametrize(
    ("change", "field", "status"),
    [
        ({"ends_on": "2016-12-31"}, "ends_on", 422),
        ({"ends_on": "2067-01-01"}, "ends_on", 422),
        ({"monthly_rent": "-1"}, "monthly_rent", 422),
        ({"deposit": "abc"}, "deposit", 422),
        ({"rent_free_until": "2018-06-01"}, "rent_free_until", 422),
        ({"unit_id": "01234567-89ab-7def-8123-456789abcdef"}, "unit_id", 404),
        ({"incubatee_id": "01234567-89ab-7def-8123-456789abcdef"}, "incubatee_id", 422),
        ({"starts_on": "2017-02-30"}, "starts_on", 422),
    ],
)
async def test_bad_lease_input_writes_nothing(client, db, world, space, change, field, status):
    headers = await bearer(db, world, "operator_a")
    body = {**_lease(world, space["office"], "2017-01-01", "2017-12-31"), **change}
    response = await client.post(_url(world, "/leases"), json=body, headers=headers)
    assert response.status_code == status, response.text
    assert response.json()["errors"][0]["field"] == field
    assert await db.scalar(sa.select(sa.func.count()).select_from(Lease)) == 0


async def test_a_lease_cannot_use_another_parks_unit_or_incubatee(client, db, world, space):
    other_building = Building(park_id=world.park_b.id, name="乙楼")
    db.add(other_building)
    await db.flush()
    other_unit = Unit(park_id=world.park_b.id, building_id=other_building.id, code="B1", kind="office", area_m2=10)
    db.add(other_unit)
    other_firm = await make_incubatee(db, world.park_b, "乙园区企业")
    await db.commit()
    headers = await bearer(db, world, "operator_a")
    unit = await client.post(
        _url(world, "/leases"), json=_lease(world, other_unit, "2017-01-01", "2017-02-01"), headers=headers
    )
    assert unit.status_code == 404
    firm = await client.post(
        _url(world, "/leases"),
        json={**_lease(world, space["office"], "2017-01-01", "2017-02-01"), "incubatee_id": str(other_firm.id)},
        headers=headers,
    )
    assert firm.status_code == 422
    assert firm.json()["errors"][0]["field"] == "incubatee_id"


async def test_occupancy_now_and_over_a_period(client, db, world, space):
    headers = await bearer(db, world, "operator_a")
    await client.post(
        _url(world, "/leases"), json=_lease(world, space["office"], "2017-01-01", "2017-12-31"), headers=headers
    )
    await client.post(
        _url(world, "/leases"), json=_lease(world, space["desk"], "2017-07-01", "2017-12-31"), headers=headers
    )
    # 1 March: only the office (100 of 120 rentable m², 10 of 14 seats); the common hall does not count.
    [building, park] = (await client.get(_url(world, "/occupancy?from=2017-03-01"), headers=headers)).json()
    assert building["building"] == "一号楼"
    assert park["rentable_area_m2"] == "120.00"
    assert park["occupied_area_m2"] == "100.00"
    assert park["area_rate"] == pytest.approx(100 / 120, abs=1e-4)
    assert park["seat_rate"] == pytest.approx(10 / 14, abs=1e-4)
    # Over 2017: the office all 365 days, the desk 184 of them.
    [_b, year] = (await client.get(_url(world, "/occupancy?from=2017-01-01&to=2017-12-31"), headers=headers)).json()
    assert year["area_rate"] == pytest.approx((100 * 365 + 20 * 184) / (120 * 365), abs=1e-4)
    assert year["occupied_seats"] == pytest.approx((10 * 365 + 4 * 184) / 365, abs=0.01)
    backwards = await client.get(_url(world, "/occupancy?from=2017-12-31&to=2017-01-01"), headers=headers)
    assert backwards.status_code == 422


async def test_units_and_buildings_validate(client, db, world, space):
    headers = await bearer(db, world, "operator_a")
    duplicate = await client.post(_url(world, "/buildings"), json={"name": "一号楼"}, headers=headers)
    assert duplicate.status_code == 409
    negative = await client.post(
        _url(world, "/units"),
        json={"building_id": str(space["building"].id), "code": "103", "kind": "office", "area_m2": "-5"},
        headers=headers,
    )
    assert negative.status_code == 422
    assert negative.json()["errors"][0]["field"] == "area_m2"
    taken = await client.post(
        _url(world, "/units"),
        json={"building_id": str(space["building"].id), "code": "101", "kind": "office", "area_m2": "5"},
        headers=headers,
    )
    assert taken.status_code == 409
    listed = (await client.get(_url(world, "/units"), headers=headers)).json()
    assert [u["code"] for u in listed["items"]] == ["101", "102", "大厅"]


async def test_occupancy_lists_the_buildings_by_pinyin(client, db, world, space):
    second = Building(park_id=world.park_a.id, name="甲楼")
    db.add(second)
    await db.flush()
    db.add(Unit(park_id=world.park_a.id, building_id=second.id, code="J1", kind="office", area_m2=50, seats=5))
    await db.commit()
    rows = (await client.get(_url(world, "/occupancy"), headers=await bearer(db, world, "operator_a"))).json()
    # 甲 (jiǎ) before 一 (yī), though 一 comes first by code point; the park's total last
    assert [row["building"] for row in rows[:-1]] == ["甲楼", "一号楼"]
