"""Fresh test databases, built by the migrations, on SQLite or on PostgreSQL.

``INCUBATOR_TEST_DATABASE_URL`` chooses the server: unset means SQLite files in a temporary
folder; a ``postgresql+asyncpg://`` URL names a server on which each test run creates (and
drops) databases of its own, so runs never see each other's data.
"""

import asyncio
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
from advanced_alchemy.alembic.commands import AlembicCommands
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.app import alchemy_config
from incubator.config import Settings

TEST_URL = os.environ.get("INCUBATOR_TEST_DATABASE_URL", "")
ON_POSTGRES = TEST_URL.startswith("postgresql")


def settings_for(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": database_url,
        "secret_key": "test-secret-key-test-secret-key-0123456789",
        "demo_mode": False,
        **overrides,
    }
    return Settings.from_env({}, **values)


def migrate(database_url: str, revision: str = "head", *, down: bool = False) -> None:
    commands = AlembicCommands(sqlalchemy_config=alchemy_config(settings_for(database_url)))
    if down:
        commands.downgrade(revision=revision)
    else:
        commands.upgrade(revision=revision)


def _admin_dsn(url: str) -> str:
    parsed = make_url(url)
    return f"postgresql://{parsed.username or 'postgres'}@{parsed.host or '127.0.0.1'}:{parsed.port or 5432}/postgres"


async def _pg(url: str, sql: str) -> None:
    connection = await asyncpg.connect(_admin_dsn(url))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def database_url_named(name: str, folder: Path) -> str:
    """The URL of the test database ``name``: on the test server, or a SQLite file in ``folder``."""
    if ON_POSTGRES:
        return make_url(TEST_URL).set(database=name).render_as_string(hide_password=False)
    return f"sqlite+aiosqlite:///{folder / f'{name}.db'}"


def new_database_name() -> str:
    return f"incubator_test_{uuid.uuid4().hex[:12]}"


@contextmanager
def fresh_database(folder: Path, template: str | None = None, name: str | None = None) -> Iterator[str]:
    """A new, empty database (or a copy of ``template``), dropped afterwards. A ``name`` may be used again
    once the database is dropped: the tests' shared app always finds the test's database under one name."""
    url = database_url_named(name or new_database_name(), folder)
    if ON_POSTGRES:
        clause = f' TEMPLATE "{make_url(template).database}"' if template else ""
        asyncio.run(_pg(TEST_URL, f'CREATE DATABASE "{make_url(url).database}"{clause}'))
        try:
            yield url
        finally:
            asyncio.run(_pg(TEST_URL, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    else:
        path = Path(make_url(url).database or "")
        assert not path.exists(), f"{path} is still there: a connection of the previous test outlived it"
        if template:
            shutil.copyfile(make_url(template).database or "", path)
        try:
            yield url
        finally:
            for leftover in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
                leftover.unlink(missing_ok=True)


async def write_at_once(settings: Settings, first: Any, second: Any) -> None:
    """Two transactions add a row each at the same time: the second commits while the first has flushed but
    not committed, and must wait for it (asserted) before its own triggers' recount runs."""
    engine = alchemy_config(settings).get_engine()
    try:
        async with AsyncSession(engine) as one, AsyncSession(engine) as other:
            one.add(first)
            await one.flush()
            other.add(second)
            waiting = asyncio.create_task(other.commit())
            await asyncio.sleep(0.3)
            assert not waiting.done()
            await one.commit()
            await waiting
    finally:
        await engine.dispose()
