"""Export the city's mentor sessions (about 1,000,000 on the scale-100 city) as CSV and as XLSX, and measure
the time and the peak memory growth (target: at most 50 MB).

    INCUBATOR_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/incubator_bench \\
        uv run python bench/export.py [--format csv|xlsx|both] [--tracemalloc] [--out DIR]

Load the benchmark city first (`incubator demo load --scale 100`); the benchmark only reads it. There is no
city-wide export of sessions (a park exports its own, and a mentor theirs), so the benchmark writes every
park's list into one file, park after park: for each park the very statement its export route streams
(``SessionReviewService.with_names``: every session but the mentors' drafts, with the park's, the firm's and
the mentor's names), read in a session of its own bound to the park, through the same layout and writer
as the route. The file goes to ``--out`` (kept) or to a temporary file (removed).

Memory: the resident set (RSS, from /proc) is sampled at every chunk written; its growth is the peak
during the export minus the RSS just before it. ``ru_maxrss`` is printed as well. With ``--tracemalloc``
the peak of Python's own allocations is measured too (it slows the run down about threefold). Each
format runs in a child process of its own, so that one's peak does not hide the other's.
"""

import argparse
import asyncio
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from incubator.config import Settings
from incubator.exchange.exports import stream_rows
from incubator.exchange.layouts import MENTOR_SESSIONS
from incubator.exchange.writers import csv_body, xlsx_body
from incubator.mentors.services import SessionReviewService
from incubator.models import import_all_models
from incubator.parks.models import Park

PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


async def every_parks_sessions(
    sessions: Callable[[], AsyncSession], parks: Sequence[UUID], counted: list[int]
) -> AsyncIterator[Sequence[Any]]:
    for park_id in parks:
        async with sessions() as planning:  # the service binds its session to the park: one per park
            statement = SessionReviewService(planning, park_id).with_names(None)
        async for partition in stream_rows(sessions, statement, park_id):
            counted[0] += len(partition)
            yield partition


async def run(export_format: str, file: BinaryIO, trace: bool) -> None:
    import_all_models()
    engine = create_async_engine(Settings.from_env().database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as session:
        parks = list(await session.scalars(sa.select(Park.id).order_by(Park.code)))
    write = csv_body if export_format == "csv" else xlsx_body
    counted = [0]
    if trace:
        tracemalloc.start()
    before = peak = rss()
    started = time.perf_counter()
    async for chunk in write(MENTOR_SESSIONS, every_parks_sessions(sessions, parks, counted)):
        file.write(chunk)
        peak = max(peak, rss())
    elapsed = time.perf_counter() - started
    traced = tracemalloc.get_traced_memory()[1] if trace else None
    await engine.dispose()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        f"{export_format}: {counted[0]:,} sessions of {len(parks)} parks, {file.tell() / MB:,.1f} MB written "
        f"in {elapsed:.1f} s ({counted[0] / elapsed:,.0f} rows/s); RSS {before / MB:.1f} MB before, "
        f"peak growth {(peak - before) / MB:.1f} MB; ru_maxrss {maxrss / MB:.1f} MB"
        + (f"; tracemalloc peak {traced / MB:.1f} MB" if traced is not None else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", choices=["csv", "xlsx", "both"], default="both")
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--out", type=Path, help="a folder to keep the files in")
    arguments = parser.parse_args()
    if arguments.format == "both":
        for export_format in ("csv", "xlsx"):
            command = [sys.executable, __file__, "--format", export_format]
            command += ["--tracemalloc"] if arguments.tracemalloc else []
            command += ["--out", str(arguments.out)] if arguments.out else []
            subprocess.run(command, check=True)  # noqa: S603  (this very script)
        return
    target = arguments.out / f"mentor-sessions.{arguments.format}" if arguments.out else None
    with target.open("wb") if target else tempfile.TemporaryFile() as file:
        asyncio.run(run(arguments.format, file, arguments.tracemalloc))


if __name__ == "__main__":
    main()
