"""Reading an uploaded spreadsheet: XLSX (the first sheet) or CSV (UTF-8, UTF-8 with BOM, or GBK as Excel
saves it on a Chinese Windows), into the header row and the data rows as text, with the limits of an import.

Every refusal names the field ``file``: an empty or oversized file, too many rows, a file that is not a
spreadsheet (told by its content, never by its name), or one with a header row and nothing under it."""

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import filetype
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from incubator.errors import InvalidInput, TooLarge
from incubator.exchange.writers import from_csv_text
from incubator.i18n import _

MAX_IMPORT_MB = 5
MAX_IMPORT_BYTES = MAX_IMPORT_MB * 1024 * 1024
"""The largest file an import reads."""
IMPORT_BODY_LIMIT = MAX_IMPORT_BYTES + 64 * 1024
"""An upload's whole body: the file and the form around it. Anything larger is refused before it is read."""
MAX_IMPORT_ROWS = 20_000
"""Data rows (the header row not counted) an import takes at once."""
MAX_COLUMNS = 200
"""Columns read from a sheet: a real layout has a few dozen; a sheet claiming thousands is not read cell by cell."""

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The old binary Excel format (.xls), and other Office 97 files."""
_TEXT_CONTROLS = frozenset("\t\r\n")


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]
    """(row number as the spreadsheet shows it — the header is row 1 —, the cells as text) of each row that
    is not blank, every row as long as the header row."""


def too_large_message() -> str:
    return _("The file is larger than %(mb)s MB.", mb=MAX_IMPORT_MB)


def read_table(content: bytes) -> Table:
    if not content:
        raise InvalidInput(_("The file is empty."), field="file")
    if len(content) > MAX_IMPORT_BYTES:
        raise TooLarge(too_large_message(), field="file")
    lines: Iterable[Sequence[Any]]
    if content.startswith(_ZIP):
        lines = _xlsx_lines(content)
    elif content.startswith(_OLE2):
        raise InvalidInput(_("Old Excel files (.xls) are not read: save the file as .xlsx or CSV."), field="file")
    elif filetype.guess(content) is not None:
        raise _not_a_spreadsheet()
    else:
        records = csv.reader(io.StringIO(_decode(content), newline=""))
        lines = ([from_csv_text(cell) for cell in record] for record in records)
    return _table(lines)


def _not_a_spreadsheet() -> InvalidInput:
    return InvalidInput(_("This is not a spreadsheet: upload an .xlsx file or a CSV file."), field="file")


def _decode(content: bytes) -> str:
    """UTF-8 with a BOM, UTF-8, or else GBK, each strictly; text with control characters is no CSV."""
    encodings = ["utf-8-sig"] if content.startswith(codecs.BOM_UTF8) else ["utf-8", "gbk"]
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ch < " " and ch not in _TEXT_CONTROLS for ch in text):
            break
        return text
    raise InvalidInput(_("The file could not be read as text in UTF-8 or GBK, nor as an .xlsx workbook."), field="file")


def _xlsx_lines(content: bytes) -> list[Any]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, EOFError):
        raise _not_a_spreadsheet() from None
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _not_a_spreadsheet()
    # openpyxl raises many kinds on a damaged package, and the sheet is parsed only as its rows are read: bad
    # XML, or entity declarations (refused by defusedxml), mean the same to the user wherever they show
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise _not_a_spreadsheet() from None
    try:
        sheet = workbook.worksheets[0]
        lines, filled = [], 0
        for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            lines.append(values)
            filled += any(v not in (None, "") for v in values)
            if filled > MAX_IMPORT_ROWS + 1:
                break  # enough to refuse the file: the rest is not read
        return lines
    except Exception:
        raise _not_a_spreadsheet() from None
    finally:
        workbook.close()


def _table(lines: Iterable[Sequence[Any]]) -> Table:
    """The first row that is not blank is the header row; blank rows are skipped, numbers kept."""
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, values in enumerate(lines, start=1):
        cells = [cell_text(value) for value in values[:MAX_COLUMNS]]
        if not any(cells):
            continue
        if headers is None:
            headers = cells
            continue
        if len(rows) == MAX_IMPORT_ROWS:
            raise InvalidInput(
                _("The file has more than %(n)s rows: split it into smaller files.", n=MAX_IMPORT_ROWS), field="file"
            )
        for index, cell in enumerate(cells):
            if cell and (index >= len(headers) or not headers[index]):
                raise InvalidInput(
                    _(
                        "Row %(row)s has a value in column %(column)s, which has no header.",
                        row=number,
                        column=get_column_letter(index + 1),
                    ),
                    field="file",
                )
        rows.append((number, (cells + [""] * len(headers))[: len(headers)]))
    if headers is None:
        raise InvalidInput(_("The file has no rows."), field="file")
    if not rows:
        raise InvalidInput(_("The file has a header row and no data under it."), field="file")
    return Table(headers, rows)


def cell_text(value: Any) -> str:
    """A cell as the text a form would send: dates as YYYY-MM-DD, whole numbers without a decimal point."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
