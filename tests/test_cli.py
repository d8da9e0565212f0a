"""The ``incubator`` command, driven as a user would, against a test database."""

import asyncio
import json

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from incubator.config import DEMO_PASSWORD


def _scalar(database_url: str, statement: str):
    async def query():
        engine = create_async_engine(database_url)
        async with engine.connect() as connection:
            value = (await connection.execute(sa.text(statement))).scalar()
        await engine.dispose()
        return value

    return asyncio.run(query())


def test_demo_load_then_accounts_then_a_new_operator(incubator, database_url):
    result = incubator("demo", "load")
    assert result.exit_code == 0, result.output
    assert "loaded" in result.output
    again = incubator("demo", "load")
    assert again.exit_code == 0
    assert "not loaded" in again.output
    # the 2017 drafts arrive with it, spread from fails to the model park's five stars
    assert _scalar(database_url, "select count(distinct stars) from ratings where stars > 0 and not failed") == 5
    assert _scalar(database_url, "select count(*) from ratings where failed and stars = 0") > 0

    accounts = json.loads(incubator("demo", "accounts", "--json").output)
    roles = {a["role"] for a in accounts}
    assert roles == {"admin", "bureau", "mentor", "operator", "founder"}
    assert all(a["park"] for a in accounts if a["role"] in ("operator", "founder"))
    assert DEMO_PASSWORD in incubator("demo", "accounts").output

    created = incubator(
        "users",
        "create",
        "--email",
        "new.op@test.cn",
        "--name",
        "新运营",
        "--role",
        "operator",
        "--park",
        "py-hl-01",
        input="a-good-password\na-good-password\n",
    )
    assert created.exit_code == 0, created.output
    assert (
        _scalar(
            database_url,
            "select count(*) from memberships m join users u on u.id = m.user_id where u.email = 'new.op@test.cn'",
        )
        == 1
    )


def test_users_create_explains_bad_input_and_writes_nothing(incubator, database_url):
    incubator("demo", "load")
    before = _scalar(database_url, "select count(*) from users")
    no_park = incubator(
        "users", "create", "--email", "x@test.cn", "--name", "X", "--role", "operator", "--password", "long-enough-pw"
    )
    assert no_park.exit_code != 0
    assert "--park" in no_park.output
    unknown_park = incubator(
        "users",
        "create",
        "--email",
        "x@test.cn",
        "--name",
        "X",
        "--role",
        "operator",
        "--park",
        "NOPE",
        "--password",
        "long-enough-pw",
    )
    assert unknown_park.exit_code != 0
    assert "NOPE" in unknown_park.output
    short = incubator(
        "users", "create", "--email", "x@test.cn", "--name", "X", "--role", "bureau", "--password", "short"
    )
    assert short.exit_code != 0
    assert "password" in short.output
    taken = incubator(
        "users",
        "create",
        "--email",
        "admin@incubator.demo",
        "--name",
        "X",
        "--role",
        "bureau",
        "--password",
        "long-enough-pw",
    )
    assert taken.exit_code != 0
    assert "email" in taken.output
    assert _scalar(database_url, "select count(*) from users") == before


def test_the_demo_city_loads_only_in_demo_mode(incubator, database_url, monkeypatch):
    monkeypatch.setenv("INCUBATOR_DEMO_MODE", "false")
    result = incubator("demo", "load")
    assert result.exit_code != 0
    assert "demo mode" in result.output
    assert _scalar(database_url, "select count(*) from users") == 0


def test_ratings_compute_scores_every_park_of_the_demo_city(incubator, database_url):
    assert incubator("demo", "load").exit_code == 0
    result = incubator("ratings", "compute", "--period", "2017")
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines() if line.startswith("PY-")]
    assert len(lines) == 15
    assert len({line[2] for line in lines}) >= 3  # parks run well and badly score apart
    one = incubator("ratings", "compute", "--period", "2017", "--park", "py-hl-01")
    assert one.exit_code == 0, one.output
    assert "1 drafts for 2017" in one.output
    # 2016's published ratings and 2017's drafts, recomputed in place
    assert _scalar(database_url, "select count(*) from ratings") == 30
    unknown = incubator("ratings", "compute", "--period", "2017", "--park", "NOPE")
    assert unknown.exit_code != 0
    assert "NOPE" in unknown.output
