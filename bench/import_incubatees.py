"""Time importing 10,000 incubatee rows (one founder each) from an XLSX file into a fresh park.

    INCUBATOR_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/incubator_import_bench \\
        uv run python bench/import_incubatees.py [--rows 10000] [--format xlsx|csv] [--runs 3]

The database must be migrated to head (``incubator database upgrade``); use a scratch database of your own.
Each run makes a new park and imports the same generated file into it through the import the pages and the
API use (reading, checking every row, writing firms, founders and the audit trail), then commits; the file
is generated once, outside the timing. Reported: each run's total and its parts, and the best run.
"""

import argparse
import asyncio
import cProfile
import io
import pstats
import time
import uuid

from openpyxl import Workbook
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from stdnum.cn import ric, uscc

from incubator.audit.trail import bind_actor
from incubator.config import Settings
from incubator.db.tenancy import bind_park
from incubator.exchange.importing import Target, run_import
from incubator.exchange.kinds import PARK_KINDS
from incubator.i18n import translations
from incubator.models import import_all_models
from incubator.parks.models import Park, ParkKind, ParkLevel
from incubator.protection import PersonalData

KIND = PARK_KINDS["incubatees"]
KINDS = ["科技型", "电子商务", "种植养殖", "传统手工艺", "服务业"]
GROUPS = ["返乡农民工", "高校毕业生", "退役军人", "失业或下岗人员"]


def rows(count: int) -> list[list[object]]:
    """``count`` firms of one founder each, with every column filled as an export would fill it."""
    zh = translations("zh_CN")
    lines: list[list[object]] = [[zh.gettext(c.header) for c in KIND.layout.columns]]
    for n in range(count):
        code = f"91410900MA{n:07d}"
        person = f"41092819{80 + n % 20}{n % 12 + 1:02d}{n % 28 + 1:02d}{n % 1000:03d}"
        values = {
            "name": f"濮阳第{n}号创业企业",
            "credit_code": code + uscc.calc_check_digit(code),
            "kind": KINDS[n % len(KINDS)],
            "industry": "农产品电商",
            "registered_on": "2016-05-10",
            "applied_on": "2016-06-01",
            "admitted_on": "2016-06-15",
            "founder_name": f"创业者{n}",
            "founder_phone": f"139{n:08d}",
            "founder_id_number": person + ric.calc_check_digit(person + "0"),
            "founder_target_group": GROUPS[n % len(GROUPS)],
            "founder_gender": "女" if n % 2 else "男",
            "founder_birth_year": 1980 + n % 20,
            "founder_education": "高中",
        }
        lines.append([values.get(c.key) for c in KIND.layout.columns])
    return lines


def xlsx(lines: list[list[object]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for line in lines:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv(lines: list[list[object]]) -> bytes:
    return "\n".join(",".join("" if v is None else str(v) for v in line) for line in lines).encode()


async def one_run(
    engine: AsyncEngine, settings: Settings, content: bytes, count: int, profile: cProfile.Profile | None
) -> dict[str, float]:
    async with AsyncSession(engine, expire_on_commit=False) as session:
        park = Park(
            code=f"B-{uuid.uuid4().hex[:8]}",
            name=f"基准园区{uuid.uuid4().hex[:6]}",
            kind=ParkKind.PARK,
            level=ParkLevel.MUNICIPAL,
            district="华龙区",
        )
        session.add(park)
        await session.commit()
        bind_actor(session, None, "bench")
        bind_park(session, park.id)
        target = Target(session, park.id, PersonalData(settings.personal_data_key))
        if profile:
            profile.enable()
        started = time.perf_counter()
        outcome = await run_import(KIND, target, content)
        imported = time.perf_counter()
        await session.commit()
        done = time.perf_counter()
        if profile:
            profile.disable()
        assert outcome.created == count, outcome
    return {"read, check, write": imported - started, "commit": done - imported, "total": done - started}


async def main(count: int, file_format: str, runs: int, profile: bool) -> None:
    import_all_models()
    settings = Settings.from_env()
    engine = create_async_engine(settings.database_url)
    lines = rows(count)
    content = xlsx(lines) if file_format == "xlsx" else csv(lines)
    print(f"{count} rows, {file_format}, {len(content) / 1024 / 1024:.2f} MB")
    profiler = cProfile.Profile() if profile else None
    totals = []
    for run in range(runs):
        parts = await one_run(engine, settings, content, count, profiler)
        totals.append(parts["total"])
        print(f"run {run + 1}: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in parts.items()))
    await engine.dispose()
    print(f"best total (read, check, write, commit): {min(totals):.2f} s")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print where the time goes (cProfile)")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rows, arguments.format, arguments.runs, arguments.profile))
