"""Importing a spreadsheet into records: the file's columns found by the export's headers (in either
language), every row validated through the Structs the API and the forms use before anything is written,
and every problem of the whole file reported by row (as the spreadsheet numbers it) and column.

A domain's import (``incubatees/imports.py`` and its kin) reads a :class:`Sheet`: it builds each row's
Structs with :meth:`Sheet.build`, checks its own rules against what the park already holds (loaded once,
not per row), notes problems with :meth:`Sheet.add`, and writes nothing until :meth:`Sheet.check` finds
none. It answers how many records it created, updated and left unchanged."""

import datetime
import re
import types
import typing
from collections.abc import Awaitable, Callable, Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple, TypeVar
from uuid import UUID

import anyio.to_thread
import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.errors import DomainError, InvalidInput, RowsRefused
from incubator.exchange.layouts import Layout
from incubator.exchange.reading import Table, read_table
from incubator.i18n import LOCALES, _, gettext, spellings, translations
from incubator.protection import PersonalData
from incubator.web.forms import accepts, hints_of, parse_form
from incubator.web.pool import split_tags

T = TypeVar("T", bound=msgspec.Struct)
MAX_PROBLEMS = 1000
"""Problems listed in a report; a file with more is wrong throughout, and the count says so."""
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class Problem(msgspec.Struct):
    row: int
    """As the spreadsheet numbers it: the header is row 1."""
    column: str
    """The column's header as the file has it (empty for a problem of the whole row)."""
    message: str


class Outcome(msgspec.Struct):
    """What an import did, counted in records (a firm with its founders is one)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


class Row(NamedTuple):
    number: int
    cells: dict[str, str]
    """By column key; only the columns the file has."""


class Sheet:
    """A file's rows by the layout's column keys, and the problems found in them so far."""

    def __init__(self, layout: Layout, table: Table, required: Collection[str]) -> None:
        positions: dict[str, int] = {}
        unknown: list[str] = []
        for index, header in enumerate(table.headers):
            if not header:
                continue
            column = layout.column_for(header)
            if column is None:
                unknown.append(header)
            elif column.key in positions:
                raise InvalidInput(_("The column “%(name)s” appears twice.", name=header), field="file")
            else:
                positions[column.key] = index
        if unknown:
            raise InvalidInput(_("Unknown columns: %(names)s.", names="、".join(unknown)), field="file")
        missing = [gettext(c.header) for c in layout.columns if c.key in required and c.key not in positions]
        if missing:
            raise InvalidInput(_("Required columns are missing: %(names)s.", names="、".join(missing)), field="file")
        self.headers = {key: table.headers[index] for key, index in positions.items()}
        """The file's header of each column key it has, in the file's order."""
        self.rows = [
            Row(number, {key: cells[index] for key, index in positions.items()}) for number, cells in table.rows
        ]
        self.choices = {c.key: spellings(c.choices) for c in layout.columns if c.choices is not None}
        self.problems: list[Problem] = []

    def has(self, key: str) -> bool:
        return key in self.headers

    def add(self, row: int, key: str | None, message: str) -> None:
        self.problems.append(Problem(row, self.headers.get(key, "") if key else "", message))

    def refuse(self, row: int, exc: DomainError, columns: Mapping[str, str]) -> None:
        """A service's refusal of a row, under the column of the field it names (``columns``: field → key)."""
        self.add(row, columns.get(exc.field or "", exc.field), exc.message)

    def check(self) -> None:
        """Refuse the whole file if any problem was found: nothing is written."""
        if self.problems:
            position = {header: index for index, header in enumerate(self.headers.values())}
            self.problems.sort(key=lambda p: (p.row, position.get(p.column, -1)))
            message = _(
                "Nothing was imported: the file has %(n)s problems, listed by row and column.", n=len(self.problems)
            )
            if len(self.problems) > MAX_PROBLEMS:
                message += " " + _("The first %(n)s are listed.", n=MAX_PROBLEMS)
            raise RowsRefused(message, [msgspec.structs.asdict(p) for p in self.problems[:MAX_PROBLEMS]])

    def duplicates(self, rows: Iterable[Row], key: str, identity: Callable[[Row], Hashable | None]) -> set[int]:
        """Rows whose ``identity`` (a natural key) an earlier row already has, noted as problems under the
        column ``key``: the numbers of the rows to leave out."""
        first: dict[Hashable, int] = {}
        repeated = set()
        for row in rows:
            value = identity(row)
            if value is None or value == "":
                continue
            if value in first:
                self.add(row.number, key, _("Also in row %(row)s: each record once in a file.", row=first[value]))
                repeated.add(row.number)
            else:
                first[value] = row.number
        return repeated

    def build(
        self, row: Row, schema: type[T], columns: Mapping[str, str], extra: Mapping[str, Any] | None = None
    ) -> T | None:
        """The ``schema`` Struct of a row, as its form would make it (``columns``: the schema's fields → column
        keys; ``extra``: fields that are no column), or None, every bad cell noted as a problem."""
        kinds = _cell_kinds(schema)
        required = _required(schema)
        form: dict[str, Any] = dict(extra or {})
        failed: set[str] = set()
        for name, key in columns.items():
            if key not in self.headers:
                continue
            text = row.cells[key]
            if not text:
                if name not in required:
                    form[name] = [] if kinds[name] == "list" else ""
                continue
            value = self._value(key, text, kinds[name])
            if value is None:
                self.add(row.number, key, _("Must be “%(yes)s” or “%(no)s”.", yes=_("Yes"), no=_("No")))
                failed.add(name)
            else:
                form[name] = value
        while True:
            data, errors = parse_form(form, schema)
            if data is not None:
                return None if failed else data
            name, message = next(iter(errors.items()))
            name = re.split(r"[.\[]", name, maxsplit=1)[0]
            if name in failed:
                return None
            self.add(row.number, columns.get(name), message)
            if name not in form:
                return None
            failed.add(name)
            del form[name]  # and again without it: every bad cell of the row is reported

    def _value(self, key: str, text: str, kind: str) -> Any:
        """A cell's text as the form would send it; None for a yes-or-no cell that is neither."""
        if key in self.choices:
            return self.choices[key].get(text.casefold(), text)
        if kind == "bool":
            return _yes_no().get(text.casefold())
        if kind == "date" and (match := _DATE.match(text)):
            year, month, day = match.groups()
            return f"{year}-{int(month):02d}-{int(day):02d}"
        if kind == "list":
            return split_tags(text)
        return text


async def write(session: AsyncSession, *batches: list[Any]) -> None:
    """Add the new records a batch at a time, in order: the records of a batch may refer to the earlier ones'
    (the unit of work orders inserts by relationships, and these models have none between them)."""
    for batch in batches:
        session.add_all(batch)
        await session.flush()


def assign(record: Any, values: Mapping[str, Any]) -> bool:
    """Set the values that differ from the record's; whether any did."""
    changed = {key: value for key, value in values.items() if getattr(record, key) != value}
    for key, value in changed.items():
        setattr(record, key, value)
    return bool(changed)


def given(row: Row, data: msgspec.Struct, columns: Mapping[str, str], fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` whose cells are filled in: an empty cell leaves the value on file as it is."""
    return {name: getattr(data, name) for name in fields if row.cells.get(columns[name])}


@cache
def _required(schema: type[msgspec.Struct]) -> frozenset[str]:
    return frozenset(f.name for f in msgspec.structs.fields(schema) if f.required)


@cache
def _cell_kinds(schema: type[msgspec.Struct]) -> dict[str, str]:
    """Per field, how a cell's text becomes what its form sends: "bool", "date", "list" or "text"."""
    kinds = {}
    for name, hint in hints_of(schema).items():
        kinds[name] = next((k for k, t in (("bool", bool), ("date", datetime.date)) if accepts(hint, t)), "text")
        kinds[name] = "list" if _accepts_list(hint) else kinds[name]
    return kinds


def _accepts_list(hint: Any) -> bool:
    if typing.get_origin(hint) is list:
        return True
    return typing.get_origin(hint) in (typing.Annotated, typing.Union, types.UnionType) and any(
        _accepts_list(arg) for arg in typing.get_args(hint)
    )


@cache
def _yes_no() -> dict[str, str]:
    words = {"true": "true", "false": "false", "1": "true", "0": "false", "y": "true", "n": "false"}
    for locale in LOCALES:
        words[translations(locale).gettext("Yes").casefold()] = "true"
        words[translations(locale).gettext("No").casefold()] = "false"
    return words


@dataclass(frozen=True)
class Target:
    """Where an import writes: the request's session, the park (None for the city's pools), the keys for
    personal data, and the training whose roll is imported."""

    session: AsyncSession
    park_id: UUID | None
    personal_data: PersonalData
    training_id: UUID | None = None


def fields_of(schema: type[msgspec.Struct], columns: Mapping[str, str]) -> dict[str, Any]:
    """Per column key, the type its Struct field takes (for the guide to the columns)."""
    hints = hints_of(schema)
    return {key: hints[name] for name, key in columns.items()}


@dataclass(frozen=True)
class ImportKind:
    """A kind of record a park (or the bureau) imports: its layout, the columns a file must have (and fill in),
    what each column takes (see :func:`fields_of`) with a help note (a message), a sample row for the
    template, and the import itself."""

    key: str
    layout: Layout
    required: frozenset[str]
    fields: dict[str, Any]
    notes: dict[str, str]
    sample: dict[str, Any]
    run: Callable[[Target, Sheet], Awaitable[Outcome]]
    help: str = ""
    """A message: what the import does with records the park already has."""
    options: tuple[str, ...] = field(default=())
    """Form fields besides the file (``training_id``)."""


async def run_import(kind: ImportKind, target: Target, content: bytes) -> Outcome:
    """Read a file and import it in the request's transaction. Refused (for the file or for any row), it
    leaves the session as it found it: the page shown next may query, and must flush nothing."""
    try:
        table = await anyio.to_thread.run_sync(read_table, content)  # seconds for a large workbook: off the loop
        return await kind.run(target, Sheet(kind.layout, table, kind.required))
    except DomainError:
        await target.session.rollback()
        raise
