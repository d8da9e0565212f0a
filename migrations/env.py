"""Alembic environment, driven by advanced-alchemy's ``AlembicCommands`` (``incubator database ...``
and the tests). The engine comes from the application's SQLAlchemy config."""

import asyncio
from typing import TYPE_CHECKING, cast

from alembic import context
from sqlalchemy import pool
from sqlalchemy.ext.asyncio import AsyncEngine, async_engine_from_config

from incubator.db.base import metadata
from incubator.db.compare import compare_type
from incubator.models import import_all_models

if TYPE_CHECKING:
    from advanced_alchemy.alembic.commands import AlembicCommandConfig
    from sqlalchemy.engine import Connection

import_all_models()
config: "AlembicCommandConfig" = context.config  # type: ignore[assignment]


def _configure(**kwargs: object) -> None:
    context.configure(
        target_metadata=metadata,
        compare_type=compare_type,
        render_as_batch=True,
        version_table=config.version_table_name,
        **kwargs,  # type: ignore[arg-type]
    )


def run_migrations_offline() -> None:
    _configure(url=config.db_url, literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: "Connection") -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    connectable = cast(
        "AsyncEngine",
        config.engine
        or async_engine_from_config(
            {"sqlalchemy.url": config.db_url}, prefix="sqlalchemy.", poolclass=pool.NullPool, future=True
        ),
    )
    async with connectable.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await connectable.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
