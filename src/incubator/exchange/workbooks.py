"""The small files an import hands out: a template per kind (XLSX with the header row, a sample row and a
sheet explaining each column; or CSV), and the layout of the report of a refused file (row, column, problem)."""

import codecs
import csv
import datetime
import decimal
import io
import typing
from collections.abc import Iterable
from operator import attrgetter
from typing import Any

import msgspec
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from incubator.exchange.importing import ImportKind
from incubator.exchange.layouts import Column, Layout
from incubator.exchange.writers import LIST_SEPARATOR, csv_text, plain
from incubator.i18n import N_, _, choices, gettext

PROBLEMS = Layout(
    "import_problems",
    N_("Import problems"),
    (
        Column("row", N_("Row number"), attrgetter("row")),
        Column("column", N_("Column"), attrgetter("column")),
        Column("message", N_("Problem"), attrgetter("message")),
    ),
)
"""The report of a refused file, written as the export writes a list."""


class ColumnGuide(msgspec.Struct):
    header: str
    required: bool
    takes: str
    note: str


def guide(kind: ImportKind) -> list[ColumnGuide]:
    """What each column of the kind takes, in the reader's language: for the template and the import page."""
    rows = []
    for column in kind.layout.columns:
        hint = kind.fields.get(column.key)
        note = gettext(kind.notes[column.key]) if column.key in kind.notes else ""
        takes = _("“%(yes)s” or “%(no)s”.", yes=_("Yes"), no=_("No")) if _is(hint, bool) else _takes(hint)
        if column.choices is not None:
            takes = _("One of: %(values)s.", values=LIST_SEPARATOR.join(label for _v, label in choices(column.choices)))
        rows.append(ColumnGuide(gettext(column.header), column.key in kind.required, takes, note))
    return rows


def _takes(hint: Any) -> str:
    if hint is None:
        return ""
    if _is(hint, datetime.date):
        return _("A date: YYYY-MM-DD.")
    if _is(hint, int) or _is(hint, decimal.Decimal):
        return _("A number.")
    if _is(hint, list):
        return _("Several, separated by “%(separator)s”.", separator=LIST_SEPARATOR)
    longest = next((m.max_length for m in _metas(hint) if m.max_length), None)
    return _("Text, at most %(n)s characters.", n=longest) if longest else _("Text.")


def _is(hint: Any, kind: type) -> bool:
    """Whether a field's type (Annotated, optional) is ``kind`` or a generic of it."""
    if hint is kind or typing.get_origin(hint) is kind:
        return True
    return any(_is(arg, kind) for arg in typing.get_args(hint) if not isinstance(arg, msgspec.Meta))


def _metas(hint: Any) -> list[msgspec.Meta]:
    found = [arg for arg in typing.get_args(hint) if isinstance(arg, msgspec.Meta)]
    return found + [m for arg in typing.get_args(hint) if not isinstance(arg, msgspec.Meta) for m in _metas(arg)]


def sample_row(kind: ImportKind) -> list[Any]:
    cells = []
    for column in kind.layout.columns:
        value = kind.sample.get(column.key)
        if column.choices is not None and value is not None:
            value = column.choices(value)
        cells.append(plain(value))
    return cells


def template_xlsx(kind: ImportKind) -> bytes:
    workbook = Workbook()
    data = workbook.active
    assert isinstance(data, Worksheet)
    data.title = gettext(kind.layout.title)[:31]
    _table(data, kind.layout.headers(), [sample_row(kind)])
    guide_sheet = workbook.create_sheet(_("Instructions")[:31])
    rows = [[c.header, _("Yes") if c.required else "", c.takes, c.note] for c in guide(kind)]
    _table(guide_sheet, [_("Column"), _("Required"), _("What it takes"), _("Note")], rows)
    return _saved(workbook)


def template_csv(kind: ImportKind) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(kind.layout.headers())
    writer.writerow([csv_text(cell) for cell in sample_row(kind)])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def _table(sheet: Worksheet, headers: list[str], rows: Iterable[list[Any]]) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for number, cells in enumerate(sheet.iter_rows(min_row=1), start=1):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a file's text (a header in the report) is never a formula
            if number > 1:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cells in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in cells)
        sheet.column_dimensions[cells[0].column_letter].width = min(max(10, width * 2), 60)
    sheet.freeze_panes = "A2"


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
