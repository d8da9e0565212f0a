"""Each park's leased area × days and rent per year (``LeaseYear``) are kept by database triggers. After leases
are added (over several years, with rent-free months), moved, changed and removed, and a unit's area or use
changes, they equal what ``incubator.ratings.metrics.lease_figures`` works out from the leases themselves."""

import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from incubator.ratings.metrics import RatingPeriod, lease_figures, leases_in
from incubator.ratings.models import LeaseYear
from incubator.space.models import Building, Lease, Unit
from tests.db import write_at_once

D = datetime.date
YEARS = range(2014, 2022)
CENT = Decimal("0.01")


async def _from_the_leases(db) -> dict[tuple[Any, int], tuple[Decimal, Decimal]]:
    found = {}
    for year in YEARS:
        figures = lease_figures(RatingPeriod.year(year))
        rows = await db.execute(
            leases_in(
                RatingPeriod.year(year),
                Lease.park_id,
                sa.func.sum(figures["leased_area_days"]),
                sa.func.sum(figures["rent"]),
            ).group_by(Lease.park_id)
        )
        found.update({(park_id, year): _rounded(area, rent) for park_id, area, rent in rows})
    return found


def _rounded(area: Any, rent: Any) -> tuple[Decimal, Decimal]:
    # to the cent: SQLite sums in floating point, and SQLAlchemy gives its sums of money to the cent
    return Decimal(str(area)).quantize(CENT), Decimal(str(rent)).quantize(CENT)


async def _assert_kept(db) -> dict[tuple[Any, int], tuple[Decimal, Decimal]]:
    await db.commit()
    kept = {
        (row.park_id, row.year): _rounded(row.leased_area_days, row.rent)
        for row in await db.scalars(sa.select(LeaseYear).execution_options(populate_existing=True))
        if row.leased_area_days or row.rent
    }
    assert kept == {key: figures for key, figures in (await _from_the_leases(db)).items() if any(figures)}
    return kept


def _lease(
    firm: Any, unit: Unit, starts_on: datetime.date, ends_on: datetime.date, rent: Decimal, **more: Any
) -> Lease:
    return Lease(
        park_id=unit.park_id,
        unit_id=unit.id,
        incubatee_id=firm.id,
        starts_on=starts_on,
        ends_on=ends_on,
        monthly_rent=rent,
        **more,
    )


async def test_the_figures_follow_every_write_to_the_leases_and_units(db, world):
    park = world.park_a
    building = Building(park_id=park.id, name="A座")
    db.add(building)
    await db.flush()
    office, hall = (
        Unit(park_id=park.id, building_id=building.id, code=code, kind=kind, area_m2=area, free_or_common=free)
        for code, kind, area, free in (("101", "office", 100, False), ("大厅", "common_area", 50, True))
    )
    db.add_all([office, hall])
    await db.flush()
    firm = world.incubatee_a
    long = _lease(firm, office, D(2015, 7, 1), D(2018, 6, 30), Decimal("1234.56"), rent_free_until=D(2016, 2, 29))
    common = _lease(firm, hall, D(2018, 7, 1), D(2018, 12, 31), Decimal(0))
    db.add_all([long, common])
    kept = await _assert_kept(db)
    assert kept[(park.id, 2017)] == (Decimal(100 * 365), (Decimal("1234.56") * 365 * 12 / 365).quantize(CENT))
    assert (park.id, 2019) not in kept

    # moved later and longer (the years it left are recounted too), rent from the first day
    long.starts_on, long.ends_on, long.rent_free_until = D(2016, 7, 1), D(2019, 3, 31), None
    await _assert_kept(db)
    office.area_m2, hall.free_or_common = Decimal(120), False  # a unit changes: every year of its leases
    await _assert_kept(db)
    await db.execute(sa.update(Lease).values(monthly_rent=Lease.monthly_rent + 100))  # many in one statement
    await _assert_kept(db)
    await db.delete(long)
    kept = await _assert_kept(db)
    assert (park.id, 2017) not in kept


async def test_two_writers_of_one_park_year_at_once_both_count(db, world, settings):
    """As for firm_years: the second writer's recount waits for the first to commit and reads both leases."""
    building = Building(park_id=world.park_a.id, name="B座")
    db.add(building)
    await db.flush()
    units = [
        Unit(park_id=world.park_a.id, building_id=building.id, code=code, kind="office", area_m2=10)
        for code in ("201", "202")
    ]
    db.add_all(units)
    await db.commit()
    await write_at_once(
        settings,
        _lease(world.incubatee_a, units[0], D(2017, 1, 1), D(2017, 12, 31), Decimal(100)),
        _lease(world.incubatee_a, units[1], D(2017, 1, 1), D(2017, 12, 31), Decimal(100)),
    )
    kept = await _assert_kept(db)
    assert kept[(world.park_a.id, 2017)][0] == 2 * 10 * 365
