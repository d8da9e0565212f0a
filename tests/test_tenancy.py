"""The tenancy safety net, under the services: a query on a park-scoped model needs a bound park."""

import datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from incubator.auth.models import Membership
from incubator.db.tenancy import ALL_PARKS, TenancyError, bind_park


@pytest.fixture
async def bare_session(database_url):
    engine = create_async_engine(database_url)
    async with async_sessionmaker(engine)() as session:
        yield session
    await engine.dispose()


async def test_query_on_a_park_scoped_model_without_a_park_raises(bare_session, world):
    with pytest.raises(TenancyError):
        await bare_session.execute(sa.select(Membership))


async def test_bound_park_filters_even_an_unfiltered_query(bare_session, world):
    bind_park(bare_session, world.park_a.id)
    rows = (await bare_session.scalars(sa.select(Membership))).all()
    assert rows
    assert {m.park_id for m in rows} == {world.park_a.id}


async def test_bound_park_filters_updates_and_deletes(bare_session, world):
    bind_park(bare_session, world.park_a.id)
    await bare_session.execute(sa.delete(Membership))
    await bare_session.commit()
    survivors = await bare_session.execute(sa.select(Membership.park_id).execution_options(**ALL_PARKS))
    assert {park_id for (park_id,) in survivors} == {world.park_b.id}


async def test_a_session_cannot_be_rebound_to_another_park(bare_session, world):
    bind_park(bare_session, world.park_a.id)
    with pytest.raises(TenancyError):
        bind_park(bare_session, world.park_b.id)


async def test_crossing_parks_must_be_said(bare_session, world):
    rows = await bare_session.execute(sa.select(Membership.park_id).execution_options(**ALL_PARKS))
    assert {park_id for (park_id,) in rows} == {world.park_a.id, world.park_b.id}


async def test_unknown_park_id_answers_404_even_to_the_admin(client, db, world):
    from tests.conftest import bearer

    response = await client.get(
        "/api/parks/01234567-89ab-7def-8123-456789abcdef", headers=await bearer(db, world, "admin")
    )
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_malformed_park_id_is_not_a_route(client, db, world):
    from tests.conftest import bearer

    response = await client.get("/api/parks/not-a-uuid", headers=await bearer(db, world, "admin"))
    assert response.status_code in (404, 405)


async def test_a_new_row_cannot_name_another_park_than_the_bound_one(bare_session, world):
    from incubator.incubatees.models import Incubatee

    bind_park(bare_session, world.park_a.id)
    bare_session.add(
        Incubatee(park_id=world.park_b.id, name="越界", kind="other", applied_on=datetime.date(2017, 1, 1))
    )
    with pytest.raises(TenancyError):
        await bare_session.flush()
