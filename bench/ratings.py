"""Time computing every park's draft rating of a period, against the floor of one plain scan.

    INCUBATOR_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/incubator_bench \\
        uv run python bench/ratings.py [--period 2017] [--runs 5]

Load the benchmark city first (`incubator demo load --scale 100`). Each run removes the period's drafts
and computes them all afresh in a transaction that is rolled back, so every run does the same work (the
writes included); the best of the runs is reported (the first one warms the caches). The floor is one
aggregate scan of the mentor-sessions table, the largest table behind the metrics (they read its
confirmed sessions rolled up per firm and year in `firm_years`). The database is vacuumed and analysed
first, as autovacuum does soon after a bulk load.
"""

import argparse
import asyncio
import time

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.app import alchemy_config
from incubator.config import Settings
from incubator.ratings.models import Rating, RatingRound
from incubator.ratings.services import RatingRounds

FLOOR = "SELECT park_id, count(*), sum(minutes) FROM mentor_sessions GROUP BY park_id"


async def main(period: int, runs: int) -> None:
    engine = alchemy_config(Settings.from_env()).get_engine()  # as the application's
    statements: list[str] = []
    sa.event.listen(engine.sync_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    timings, floors, counts, parks = [], [], [], 0
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(sa.text("VACUUM (ANALYZE)"))
    for _ in range(runs):
        async with engine.connect() as connection:
            transaction = await connection.begin()
            session = AsyncSession(bind=connection, expire_on_commit=False)
            session.sync_session.info["all_parks"] = True
            rounds = RatingRounds(session)
            rating_round = await session.scalar(sa.select(RatingRound).where(RatingRound.label == str(period)))
            rating_round = rating_round or await rounds.open_round(period)
            await session.execute(sa.delete(Rating).where(Rating.round_id == rating_round.id))
            await session.flush()
            statements.clear()
            started = time.perf_counter()
            drafts = await rounds.compute_drafts_across_parks(rating_round)
            timings.append(time.perf_counter() - started)
            counts.append(len(statements))
            parks = len(drafts)
            started = time.perf_counter()
            await session.execute(sa.text(FLOOR))
            floors.append(time.perf_counter() - started)
            await session.close()
            await transaction.rollback()
    await engine.dispose()
    best, floor = min(timings), min(floors)
    print(f"drafts of {period}: {parks} parks, {counts[-1]} SQL statements")
    print(f"compute: best {best:.3f} s (runs: {', '.join(f'{t:.3f}' for t in timings)})")
    print(f"floor (one scan of mentor_sessions): best {floor:.3f} s; compute / floor = {best / floor:.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--period", type=int, default=2017)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.period, arguments.runs))
