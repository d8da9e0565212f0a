"""A list as a file to download: the list's own statement (its filters and order), streamed from the
database in a session of its own, through a layout, into CSV or XLSX."""

import enum
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

import sqlalchemy as sa
from litestar import Request
from litestar.params import QueryParameter
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.clock import today
from incubator.db.session import request_session, session_maker
from incubator.db.tenancy import bind_park
from incubator.errors import InvalidInput
from incubator.exchange.layouts import Layout
from incubator.exchange.writers import XLSX_MAX_ROWS, Partitions, csv_body, xlsx_body
from incubator.i18n import _, gettext
from incubator.parks.services import ParkService
from incubator.ratings.evidence import attachment

PARTITION = 1000
"""Rows fetched from the database, and written, at a time."""


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv",  # Litestar adds the charset (UTF-8) to text types
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def provide_export_format(
    format: Annotated[ExportFormat, QueryParameter(description="csv (UTF-8 with a BOM, for Excel) or xlsx")] = (
        ExportFormat.CSV
    ),
) -> ExportFormat:
    return format


@dataclass(frozen=True)
class Export:
    """What to write: the rows of ``statement`` (on the park ``park_id``, when it reads a park's records), or
    ``rows`` already at hand (a few hundred at most); ``subject`` adds to the file's name."""

    layout: Layout
    statement: sa.Select[*tuple[Any, ...]] | None = None
    rows: Sequence[Any] = ()
    park_id: UUID | None = None
    subject: str = ""


async def download(request: Request[Any, Any, Any], export: Export, export_format: ExportFormat) -> Stream:
    """The export as a streamed attachment. What can be refused is refused here, before the response starts:
    once it has started, its status is sent."""
    session = request_session(request)
    if export_format is ExportFormat.XLSX:
        rows = len(export.rows)
        if export.statement is not None:
            counted = sa.select(sa.func.count()).select_from(export.statement.order_by(None).subquery())
            rows = await session.scalar(counted) or 0
        if rows > XLSX_MAX_ROWS:
            raise InvalidInput(
                _("%(n)s rows are more than one Excel sheet holds (%(max)s): download CSV.", n=rows, max=XLSX_MAX_ROWS),
                field="format",
            )
    parts = [gettext(export.layout.title)]
    if export.park_id is not None:
        parts.extend((await ParkService(session=session).parks_named([export.park_id])).values())
    parts.extend(part for part in (export.subject, today().isoformat()) if part)
    partitions: Partitions = _at_hand(export.rows)
    if export.statement is not None:
        partitions = stream_rows(session_maker(request), export.statement, export.park_id)
    write = csv_body if export_format is ExportFormat.CSV else xlsx_body
    return Stream(
        write(export.layout, partitions),
        media_type=MEDIA_TYPES[export_format],
        headers={
            "Content-Disposition": attachment(f"{'_'.join(parts)}.{export_format.value}"),
            "Cache-Control": "private, no-store",
        },
    )


async def stream_rows(
    sessions: Callable[[], AsyncSession], statement: sa.Select[*tuple[Any, ...]], park_id: UUID | None
) -> AsyncIterator[Sequence[Any]]:
    """The statement's rows, a partition at a time, read in a session of its own (bound to the park, so the
    tenancy safety net holds) that lives as long as the stream."""
    async with sessions() as session:
        if park_id is not None:
            bind_park(session, park_id)
        result = await session.stream(statement.execution_options(yield_per=PARTITION))
        async for partition in result.partitions():
            yield partition


async def _at_hand(rows: Sequence[Any]) -> AsyncIterator[Sequence[Any]]:
    yield rows
