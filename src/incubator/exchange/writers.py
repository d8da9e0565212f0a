"""CSV (UTF-8 with a BOM, so that Excel reads Chinese) and XLSX, written from an async stream of row
partitions and handed on as an async stream of bytes: memory holds one partition, whatever the rows.

The XLSX is built by openpyxl in write-only mode, which keeps the sheet in a temporary file; the zipped
workbook goes to another one (in memory while small) and is streamed from there. openpyxl's work runs in
a worker thread, one partition at a time, so the event loop keeps serving other requests."""

import codecs
import csv
import datetime
import enum
import io
import tempfile
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Sequence
from typing import Any
from uuid import UUID

import anyio.to_thread
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from incubator.clock import SHANGHAI
from incubator.exchange.layouts import Layout
from incubator.i18n import enum_label, gettext

XLSX_MAX_ROWS = 1_048_575
"""Rows under the header that one XLSX sheet holds (Excel's limit is 1,048,576 in all)."""
CHUNK = 64 * 1024
SPOOL = 8 * 1024 * 1024
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "、"

Partitions = AsyncIterable[Sequence[Any]]


def plain(value: Any) -> Any:
    """A cell's value as a spreadsheet keeps it: enum members and booleans as their labels, lists joined,
    times in Shanghai; numbers, dates and text as they are."""
    if isinstance(value, bool | enum.Enum):
        return enum_label(value)
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(SHANGHAI).replace(tzinfo=None)
    return value


def csv_text(value: Any) -> Any:
    """A CSV cell. Text that a spreadsheet would take for a formula (``=…``, ``+…``, ``-…``, ``@…``) gets a
    leading apostrophe, as OWASP advises against CSV injection; the import strips it again."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def from_csv_text(text: str) -> str:
    """The text a CSV cell held before :func:`csv_text` guarded it."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


async def csv_body(layout: Layout, partitions: Partitions) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(layout.headers())
    yield codecs.BOM_UTF8 + _drain(buffer)
    async for partition in partitions:
        writer.writerows([csv_text(cell) for cell in layout.cells(row)] for row in partition)
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")


async def xlsx_body(layout: Layout, partitions: Partitions) -> AsyncIterator[bytes]:
    workbook = Workbook(write_only=True)
    sheet: WriteOnlyWorksheet = workbook.create_sheet(title=gettext(layout.title)[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in layout.headers():
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    async for partition in partitions:
        rows = [[_xlsx_cell(sheet, value) for value in layout.cells(row)] for row in partition]
        await anyio.to_thread.run_sync(_append, sheet, rows)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL) as file:
        await anyio.to_thread.run_sync(workbook.save, file)
        file.seek(0)
        while chunk := file.read(CHUNK):
            yield chunk


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """Numbers and dates stay typed; text is always text: characters XML cannot hold are dropped, and a
    leading ``=`` makes no formula."""
    value = plain(value)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _append(sheet: WriteOnlyWorksheet, rows: Iterable[list[Any]]) -> None:
    for row in rows:
        sheet.append(row)
