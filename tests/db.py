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

import asyncpg
from advanced_alchemy.alembic.commands import AlembicCommands
from sqlalchemy.engine import make_url

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


@contextmanager
def fresh_database(tmp_dir: Path, template: str | None = None) -> Iterator[str]:
    """A new, empty database (or a copy of ``template``), dropped afterwards."""
    name = f"incubator_test_{uuid.uuid4().hex[:12]}"
    if ON_POSTGRES:
        clause = f' TEMPLATE "{make_url(template).database}"' if template else ""
        asyncio.run(_pg(TEST_URL, f'CREATE DATABASE "{name}"{clause}'))
        url = make_url(TEST_URL).set(database=name).render_as_string(hide_password=False)
        try:
            yield url
        finally:
            asyncio.run(_pg(TEST_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        path = tmp_dir / f"{name}.db"
        if template:
            shutil.copyfile(make_url(template).database or "", path)
        yield f"sqlite+aiosqlite:///{path}"
