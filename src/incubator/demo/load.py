"""Bulk-loading the generated city: PostgreSQL's COPY for the big tables, batched inserts elsewhere.

No row goes through the ORM (no per-row round trips, no audit rows: the demo's history is not anyone's
action)."""

import enum
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from incubator.auth.passwords import hash_password
from incubator.config import DEMO_PASSWORD, Settings
from incubator.db.tenancy import ALL_PARKS
from incubator.demo.city import AS_OF, generate, rows_in_order
from incubator.parks.models import Park
from incubator.protection import PersonalData
from incubator.ratings.models import Rating, RatingStatus, RoundStatus
from incubator.ratings.services import RatingRounds

BATCH = 5_000
COPY_FROM = 2_000
"""Tables with more rows than this go by COPY on PostgreSQL."""


async def load_demo_city(
    session: AsyncSession, settings: Settings, *, scale: int = 1, seed: int = 2017
) -> dict[str, int] | None:
    """Load the demo city; None, writing nothing, when the database already has parks.
    Returns the number of rows per table."""
    if await session.scalar(sa.select(sa.func.count()).select_from(Park)):
        return None
    city = generate(scale, seed, PersonalData(settings.personal_data_key), await hash_password(DEMO_PASSWORD))
    connection = await session.connection()
    counts = {}
    for table, rows in rows_in_order(city):
        await _insert(connection, table, rows)
        counts[table.name] = len(rows)
    if connection.dialect.name == "postgresql":
        await connection.execute(sa.text("ANALYZE"))  # fresh statistics, or the planner guesses after a bulk load
    counts["ratings"] = await _rating_seasons(session)
    return counts


async def _rating_seasons(session: AsyncSession) -> int:
    """2016's ratings, published and closed (the history exit decisions read), then the season the bureau
    is in: 2017's drafts waiting for review."""
    rounds = RatingRounds(session)
    last_year = await rounds.open_round(AS_OF.year - 2)
    published = await rounds.compute_drafts_across_parks(last_year)
    await session.execute(
        sa.update(Rating)
        .where(Rating.round_id == last_year.id)
        .values(status=RatingStatus.PUBLISHED)
        .execution_options(synchronize_session=False, **ALL_PARKS)
    )
    last_year.status = RoundStatus.CLOSED
    await session.flush()
    return len(published) + len(await rounds.compute_drafts_across_parks(await rounds.open_round(AS_OF.year - 1)))


async def _insert(connection: AsyncConnection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    if connection.dialect.name == "postgresql" and len(rows) > COPY_FROM:
        columns = [c.name for c in table.columns]
        records = [tuple(_plain(row[name]) for name in columns) for row in rows]
        raw = await connection.get_raw_connection()
        await raw.driver_connection.copy_records_to_table(table.name, records=records, columns=columns)  # type: ignore[union-attr]
        return
    for start in range(0, len(rows), BATCH):
        await connection.execute(table.insert(), list(rows[start : start + BATCH]))


def _plain(value: Any) -> Any:
    """COPY skips SQLAlchemy's type processing: enums go as their stored values."""
    return value.value if isinstance(value, enum.Enum) else value
