from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.guards import allow
from incubator.ratings.controllers import BUREAU
from incubator.ratings.rubric import Rubric
from incubator.rubrics.schemas import MAX_BYTES, RubricSummary, RubricUpload
from incubator.rubrics.services import RubricLibrary

VERSION = "/{version:str}"
UPLOAD_LIMIT = 4 * MAX_BYTES
"""Larger requests are cut off with 413; up to here, a file over the limit gets a message naming the field."""


async def provide_library(db_session: NamedDependency[AsyncSession]) -> RubricLibrary:
    return RubricLibrary(session=db_session)


def toml_download(version: str, text: str) -> Response[str]:
    return Response(
        text,
        media_type="application/toml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{version}.toml"'},
    )


class RubricController(Controller):
    """The rating rubrics: the bureau lists them, uploads a new version (validated whole) and activates one
    for the rating periods it opens next. Ratings keep the version they were scored with."""

    path = "/api/rubrics"
    tags = ["rubrics"]
    opt = allow(*BUREAU)
    dependencies = {"library": Provide(provide_library)}

    @get("", summary="Every rubric, packaged and uploaded, with the active one and the periods using each")
    async def list_rubrics(self, library: NamedDependency[RubricLibrary]) -> list[RubricSummary]:
        return await library.summaries()

    @get(VERSION, summary="One rubric as parsed: dimensions, indicators, vetoes, star bands, funding, rules")
    async def get_rubric(self, library: NamedDependency[RubricLibrary], version: FromPath[str]) -> Rubric:
        return await library.get_rubric(version)

    @get(VERSION + "/source", summary="The rubric's TOML file, as a download")
    async def source(self, library: NamedDependency[RubricLibrary], version: FromPath[str]) -> Response[str]:
        return toml_download(version, await library.source(version))

    @post("", request_max_body_size=UPLOAD_LIMIT, summary="Upload a new rubric version (multipart: version, file)")
    async def upload(
        self,
        request: Request[Any, Any, Any],
        library: NamedDependency[RubricLibrary],
        data: Annotated[RubricUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> RubricSummary:
        stored = await library.upload(data, user_id=request.user.id)
        return await library.summary(stored.version)

    @post(VERSION + "/activate", summary="Open new rating periods under this version")
    async def activate(
        self, request: Request[Any, Any, Any], library: NamedDependency[RubricLibrary], version: FromPath[str]
    ) -> RubricSummary:
        await library.activate(version, user_id=request.user.id)
        return await library.summary(version)
