"""Chinese text sorts by pinyin, on PostgreSQL (ICU) and on SQLite (a collation registered per connection)."""

from typing import Any

from pypinyin import lazy_pinyin
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import String

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


def _pinyin_key(text: str) -> list[str]:
    return [syllable.lower() for syllable in lazy_pinyin(text)]


def compare_pinyin(left: str, right: str) -> int:
    a, b = _pinyin_key(left), _pinyin_key(right)
    return (a > b) - (a < b) or (left > right) - (left < right)
