"""The schema is built by the migrations, and the migrations agree with the models."""

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from incubator.db.base import metadata
from incubator.db.compare import compare_type
from incubator.models import import_all_models
from tests.db import fresh_database, migrate


def _inspect(url: str, work):
    async def run():
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(work)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _drift(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": compare_type, "render_as_batch": True})
    return compare_metadata(context, metadata)


def test_upgrade_from_empty_has_no_drift_and_downgrades_to_base(tmp_path):
    import_all_models()
    with fresh_database(tmp_path) as url:
        migrate(url)
        tables = set(_inspect(url, lambda c: inspect(c).get_table_names()))
        assert set(metadata.tables) <= tables
        assert _inspect(url, _drift) == []

        migrate(url, "base", down=True)
        assert set(_inspect(url, lambda c: inspect(c).get_table_names())) <= {"alembic_version"}
