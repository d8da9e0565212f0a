"""Spreadsheets to import, written as a park's staff would write them: Chinese headers, labels for the
choices, XLSX or CSV in UTF-8, UTF-8 with a BOM, or GBK."""

import codecs
import csv
import io
from typing import Any

from openpyxl import Workbook
from stdnum.cn import ric, uscc

from incubator.exchange.layouts import INCUBATEES, Layout
from incubator.i18n import translations

ZH = translations("zh_CN")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header(key: str, layout: Layout = INCUBATEES) -> str:
    """A column's header as the Chinese template and export write it."""
    return ZH.gettext(next(c.header for c in layout.columns if c.key == key))


def credit_code(n: int) -> str:
    base = f"91410900MA{n:07d}"
    return base + uscc.calc_check_digit(base)


def id_number(n: int) -> str:
    base = f"41092819850{n % 9 + 1}{n % 28 + 1:02d}{n % 1000:03d}"
    return base + ric.calc_check_digit(base + "0")


def firm(n: int, founders: int = 1, **cells: Any) -> list[dict[str, Any]]:
    """The rows of firm ``n``: one per founder (or one without founders), the firm's cells repeated."""
    values = {
        "name": f"濮阳第{n}创业工坊",
        "credit_code": credit_code(n),
        "kind": "传统手工艺",
        "industry": "手工编织",
        "registered_on": "2016-05-10",
        "applied_on": "2016-06-01",
        "admitted_on": "2016-06-15",
        **cells,
    }
    if not founders:
        return [values]
    return [
        {
            **values,
            "founder_name": f"创业者{n}-{f}",
            "founder_phone": f"138{n:04d}{f:04d}",
            "founder_id_number": id_number(n * 10 + f),
            "founder_target_group": "返乡农民工",
            "founder_gender": "女",
            "founder_birth_year": 1985,
            "founder_education": "高中",
            **cells,
        }
        for f in range(founders)
    ]


def firms(count: int, start: int = 1) -> list[dict[str, Any]]:
    return [row for n in range(start, start + count) for row in firm(n)]


def _table(rows: list[dict[str, Any]], layout: Layout, keys: list[str] | None) -> list[list[Any]]:
    keys = keys or [c.key for c in layout.columns]
    return [[header(k, layout) for k in keys]] + [[row.get(k) for k in keys] for row in rows]


def xlsx(rows: list[dict[str, Any]], layout: Layout = INCUBATEES, keys: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for line in _table(rows, layout, keys):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_file(
    rows: list[dict[str, Any]],
    layout: Layout = INCUBATEES,
    keys: list[str] | None = None,
    encoding: str = "utf-8",
    bom: bool = False,
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["" if v is None else v for v in line] for line in _table(rows, layout, keys)])
    return (codecs.BOM_UTF8 if bom else b"") + buffer.getvalue().encode(encoding)
