"""SQL that PostgreSQL and SQLite spell differently: Chinese sorted by pinyin (ICU on PostgreSQL, a
collation registered per connection on SQLite), dates as day numbers, locking a row, and an insert that
updates the row already there."""

from typing import Any

import sqlalchemy as sa
from pypinyin import lazy_pinyin
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Integer, String

SQLITE_COLLATION = "pinyin"


class pinyin_order(FunctionElement[str]):
    """``ORDER BY pinyin_order(Model.name)``: the column, collated the Chinese way for the dialect."""

    type = String()
    inherit_cache = True

    def __init__(self, column: Any) -> None:
        super().__init__(column)


@compiles(pinyin_order, "postgresql")
def _postgresql(element: pinyin_order, compiler: Any, **kw: Any) -> str:
    return f'{compiler.process(element.clauses, **kw)} COLLATE "zh-x-icu"'


@compiles(pinyin_order)
def _sqlite(element: pinyin_order, compiler: Any, **kw: Any) -> str:
    return f"{compiler.process(element.clauses, **kw)} COLLATE {SQLITE_COLLATION}"


def pinyin_key(text: str) -> tuple[list[str], str]:
    """Sorts Chinese text by its pinyin (甲 jiǎ before 乙 yǐ), as ``pinyin_order`` does in SQL."""
    return [syllable.lower() for syllable in lazy_pinyin(text)], text


def compare_pinyin(left: str, right: str) -> int:
    a, b = pinyin_key(left), pinyin_key(right)
    return (a > b) - (a < b)


class day_number(FunctionElement[int]):
    """A date as a count of days, so that day spans are a subtraction on both databases."""

    type = Integer()
    inherit_cache = True

    def __init__(self, value: Any) -> None:
        super().__init__(value)


@compiles(day_number, "postgresql")
def _day_number_postgresql(element: day_number, compiler: Any, **kw: Any) -> str:
    return f"(({compiler.process(element.clauses, **kw)})::date - DATE '2000-01-01')"


@compiles(day_number)
def _day_number_sqlite(element: day_number, compiler: Any, **kw: Any) -> str:
    return f"CAST(julianday({compiler.process(element.clauses, **kw)}) - julianday('2000-01-01') AS INTEGER)"


class greatest(FunctionElement[Any]):
    """The largest of the values, none of them NULL: GREATEST on PostgreSQL, the scalar max() on SQLite."""

    inherit_cache = True

    def __init__(self, *values: Any) -> None:
        super().__init__(*values)
        self.type = self.clauses.clauses[0].type


class least(greatest):
    """The smallest of the values, none of them NULL: LEAST on PostgreSQL, the scalar min() on SQLite."""

    inherit_cache = True


@compiles(greatest)
def _greatest(element: greatest, compiler: Any, **kw: Any) -> str:
    name = {"postgresql": "GREATEST", "sqlite": "max"}[compiler.dialect.name]
    return f"{name}({compiler.process(element.clauses, **kw)})"


@compiles(least)
def _least(element: least, compiler: Any, **kw: Any) -> str:
    name = {"postgresql": "LEAST", "sqlite": "min"}[compiler.dialect.name]
    return f"{name}({compiler.process(element.clauses, **kw)})"


async def lock_for_update(session: AsyncSession, statement: sa.Select[Any]) -> Any:
    """The row ``statement`` selects, locked until the transaction ends, so that what the caller reads
    next (places taken, say) cannot change under it: ``SELECT … FOR UPDATE`` on PostgreSQL. SQLite has
    no row locks, and its driver opens a transaction only at the first write: there a write that
    changes nothing takes the database's write lock first, and a second caller waits for the first."""
    if session.get_bind().dialect.name == "sqlite":
        entity = statement.column_descriptions[0]["entity"]
        where = statement.whereclause if statement.whereclause is not None else sa.true()
        touch = sa.update(entity).values(updated_at=entity.updated_at).where(where)
        await session.execute(touch.execution_options(synchronize_session=False))
    return await session.scalar(statement.with_for_update())


def upsert(session: AsyncSession, model: type[Any]) -> Any:
    """``INSERT … ON CONFLICT``: the dialect's insert of ``model``, for ``.on_conflict_do_update()``, which both
    spell alike; one statement, so that requests at once cannot both insert."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


class month_index(FunctionElement[int]):
    """A date's month as a running count (year × 12 + month − 1): reporting periods by integer division."""

    type = Integer()
    inherit_cache = True

    def __init__(self, value: Any) -> None:
        super().__init__(value)


@compiles(month_index, "postgresql")
def _month_index_postgresql(element: month_index, compiler: Any, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    # date_part (a float) rather than EXTRACT (a numeric since PostgreSQL 14): cheaper on every row
    return f"(CAST(date_part('year', {value}) AS INTEGER) * 12 + CAST(date_part('month', {value}) AS INTEGER) - 1)"


@compiles(month_index)
def _month_index_sqlite(element: month_index, compiler: Any, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    return f"(CAST(strftime('%Y', {value}) AS INTEGER) * 12 + CAST(strftime('%m', {value}) AS INTEGER) - 1)"
