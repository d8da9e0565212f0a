"""The import pages: a park's operators import incubatees, units and a training's roll; the bureau imports
the city's mentor pool. Each page offers the templates, says what each column takes, and shows either what
an import did or, for a refused file, its problems by row and column (downloadable as XLSX)."""

from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Stream, Template
from msgspec import Meta
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.guards import allow
from incubator.config import Settings
from incubator.errors import DomainError, InvalidInput, RowsRefused
from incubator.exchange.controllers import IMPORT_REFUSALS, PARK_WRITERS, POOL_KEEPERS, park_kind, target
from incubator.exchange.exports import MEDIA_TYPES, Export, ExportFormat, download
from incubator.exchange.importing import MAX_PROBLEMS, ImportKind, Problem, Target, run_import
from incubator.exchange.kinds import MENTORS, PARK_KINDS
from incubator.exchange.reading import IMPORT_BODY_LIMIT, MAX_IMPORT_MB, MAX_IMPORT_ROWS
from incubator.exchange.schemas import ImportUpload
from incubator.exchange.workbooks import PROBLEMS, guide, template_csv, template_xlsx
from incubator.i18n import _, gettext
from incubator.ratings.evidence import attachment
from incubator.trainings.schemas import TrainingFilter
from incubator.trainings.services import TrainingService
from incubator.web.forms import form_errors, parse_form
from incubator.web.render import render

Count = Annotated[int | None, QueryParameter(ge=0)]
Format = Annotated[ExportFormat, QueryParameter(description="xlsx (the default) or csv")]
Problems = Annotated[list[Problem], Meta(max_length=MAX_PROBLEMS)]
TRAININGS_OFFERED = 200
"""The latest trainings offered for a roll's import."""


class ParkImportPages(Controller):
    path = "/parks/{park_id:uuid}/imports"
    include_in_schema = False
    opt = allow(*PARK_WRITERS)

    @get("/{kind:str}", name="park_import")
    async def show(
        self,
        request: Request,
        db_session: NamedDependency[AsyncSession],
        park_id: FromPath[UUID],
        kind: FromPath[str],
        created: Count = None,
        updated: Count = None,
        unchanged: Count = None,
        training_id: Annotated[UUID | None, QueryParameter()] = None,
    ) -> Template:
        done = None if created is None else {"created": created, "updated": updated or 0, "unchanged": unchanged or 0}
        context = await _park_context(db_session, park_id, park_kind(kind))
        return await _page(request, context, {"training_id": training_id}, done=done)

    @post("/{kind:str}", request_max_body_size=IMPORT_BODY_LIMIT, exception_handlers=IMPORT_REFUSALS)
    async def upload(
        self,
        request: Request,
        db_session: NamedDependency[AsyncSession],
        settings: NamedDependency[Settings],
        park_id: FromPath[UUID],
        kind: FromPath[str],
    ) -> Template | Redirect:
        context = await _park_context(db_session, park_id, park_kind(kind))
        return await _upload(request, context, lambda data: target(db_session, settings, park_id, data))

    @get("/{kind:str}/template")
    async def template(self, kind: FromPath[str], format: Format = ExportFormat.XLSX) -> Response[bytes]:
        return _template(park_kind(kind), format)

    @post("/{kind:str}/report", status_code=200)
    async def report(self, request: Request, park_id: FromPath[UUID], kind: FromPath[str]) -> Stream:
        return await _report(request, park_kind(kind), park_id)


class MentorImportPages(Controller):
    path = "/mentors/import"
    include_in_schema = False
    opt = allow(*POOL_KEEPERS)

    @get("", name="mentor_import")
    async def show(
        self, request: Request, created: Count = None, updated: Count = None, unchanged: Count = None
    ) -> Template:
        done = None if created is None else {"created": created, "updated": updated or 0, "unchanged": unchanged or 0}
        return await _page(request, _context(MENTORS, "/mentors/import"), {}, done=done)

    @post("", request_max_body_size=IMPORT_BODY_LIMIT, exception_handlers=IMPORT_REFUSALS)
    async def upload(
        self, request: Request, db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]
    ) -> Template | Redirect:
        return await _upload(
            request, _context(MENTORS, "/mentors/import"), lambda data: target(db_session, settings, None, data)
        )

    @get("/template")
    async def template(self, format: Format = ExportFormat.XLSX) -> Response[bytes]:
        return _template(MENTORS, format)

    @post("/report", status_code=200)
    async def report(self, request: Request) -> Stream:
        return await _report(request, MENTORS)


def _context(kind: ImportKind, base: str, **more: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "title": gettext(kind.layout.title),
        "base": base,
        "guide": guide(kind),
        "help": gettext(kind.help),
        "limits": {"mb": MAX_IMPORT_MB, "rows": MAX_IMPORT_ROWS},
        "park_id": None,
        "trainings": [],
        **more,
    }


async def _park_context(session: AsyncSession, park_id: UUID, kind: ImportKind) -> dict[str, Any]:
    trainings: Any = []
    if "training_id" in kind.options:
        trainings, _total = await TrainingService(session, park_id).list_trainings(
            TrainingFilter(), limit=TRAININGS_OFFERED, offset=0
        )
    tabs = [(key, gettext(other.layout.title)) for key, other in PARK_KINDS.items()]
    return _context(kind, f"/parks/{park_id}/imports/{kind.key}", park_id=park_id, trainings=trainings, tabs=tabs)


async def _page(
    request: Request,
    context: dict[str, Any],
    form: dict[str, Any],
    *,
    done: dict[str, int] | None = None,
    errors: dict[str, str] | None = None,
    refused: RowsRefused | None = None,
    status_code: int = 200,
) -> Template:
    context = {
        **context,
        "form": form,
        "done": done,
        "errors": errors or {},
        "refused": refused,
        "problems_json": msgspec.json.encode(refused.problems).decode() if refused else "",
    }
    return await render(request, "exchange/import.html", context, status_code=status_code)


async def _upload(
    request: Request, context: dict[str, Any], target_of: Callable[[ImportUpload], Target]
) -> Template | Redirect:
    form = dict(await request.form())
    data, errors = parse_form(form, ImportUpload)
    shown = {"training_id": form.get("training_id")}
    if data is None:
        return await _page(request, context, shown, errors=errors, status_code=400)
    try:
        done = await run_import(context["kind"], target_of(data), await data.file.read())
    except RowsRefused as exc:
        return await _page(request, context, shown, refused=exc, status_code=400)
    except DomainError as exc:
        return await _page(request, context, shown, errors=form_errors(exc), status_code=exc.status_code)
    query = f"created={done.created}&updated={done.updated}&unchanged={done.unchanged}"
    if data.training_id:
        query += f"&training_id={data.training_id}"
    return Redirect(f"{context['base']}?{query}", status_code=303)


def _template(kind: ImportKind, file_format: ExportFormat) -> Response[bytes]:
    content = template_xlsx(kind) if file_format is ExportFormat.XLSX else template_csv(kind)
    name = f"{_('Import template')}_{gettext(kind.layout.title)}.{file_format.value}"
    headers = {"Content-Disposition": attachment(name)}
    return Response(content, media_type=MEDIA_TYPES[file_format], headers=headers)


async def _report(request: Request, kind: ImportKind, park_id: UUID | None = None) -> Stream:
    """The problems the page listed, sent back with its form, as a workbook: the server keeps no report."""
    form = await request.form()
    try:
        problems = msgspec.json.decode(str(form.get("problems", "")), type=Problems)
    except msgspec.MsgspecError:
        raise InvalidInput(_("The report could not be read."), field="problems") from None
    export = Export(PROBLEMS, rows=problems, park_id=park_id, subject=gettext(kind.layout.title))
    return await download(request, export, ExportFormat.XLSX)
