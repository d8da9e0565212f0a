from typing import Annotated
from uuid import UUID

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.guards import allow
from incubator.config import Settings
from incubator.errors import NotFound
from incubator.exchange.importing import ImportKind, Outcome, Target, run_import
from incubator.exchange.kinds import MENTORS, PARK_KINDS
from incubator.exchange.reading import IMPORT_BODY_LIMIT, too_large_message
from incubator.exchange.schemas import ImportUpload
from incubator.i18n import _
from incubator.protection import PersonalData
from incubator.web.errors import upload_refusals

PARK_WRITERS = ("admin", "operator")
POOL_KEEPERS = ("admin", "bureau")
IMPORT_REFUSALS = upload_refusals(too_large_message)
"""With ``request_max_body_size=IMPORT_BODY_LIMIT`` on every upload of a file to import."""
Upload = Annotated[ImportUpload, Body(media_type=RequestEncodingType.MULTI_PART)]


def park_kind(kind: str) -> ImportKind:
    if kind not in PARK_KINDS:
        raise NotFound(_("There is no import of this kind."), field="kind")
    return PARK_KINDS[kind]


def target(db_session: AsyncSession, settings: Settings, park_id: UUID | None, data: ImportUpload) -> Target:
    return Target(db_session, park_id, PersonalData(settings.personal_data_key), data.training_id)


class ImportController(Controller):
    """Files imported whole or not at all: a file with any bad row writes nothing and answers 422 with
    ``errors: [{row, column, message}]``; a file refused as a whole names the field ``file``."""

    path = "/api"
    tags = ["imports"]

    @post(
        "/parks/{park_id:uuid}/imports/{kind:str}",
        opt=allow(*PARK_WRITERS),
        summary="Import incubatees (with founders), units or a training's roll (training_id) from XLSX or CSV",
        status_code=200,
        request_max_body_size=IMPORT_BODY_LIMIT,
        exception_handlers=IMPORT_REFUSALS,
    )
    async def import_park_records(
        self,
        db_session: NamedDependency[AsyncSession],
        settings: NamedDependency[Settings],
        park_id: FromPath[UUID],
        kind: FromPath[str],
        data: Upload,
    ) -> Outcome:
        return await run_import(park_kind(kind), target(db_session, settings, park_id, data), await data.file.read())

    @post(
        "/mentors/import",
        opt=allow(*POOL_KEEPERS),
        summary="Import mentors into the city's pool from XLSX or CSV",
        status_code=200,
        request_max_body_size=IMPORT_BODY_LIMIT,
        exception_handlers=IMPORT_REFUSALS,
    )
    async def import_mentors(
        self, db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings], data: Upload
    ) -> Outcome:
        return await run_import(MENTORS, target(db_session, settings, None, data), await data.file.read())
