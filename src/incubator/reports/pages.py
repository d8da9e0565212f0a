"""The PDFs as downloads, and the public check of a certificate's code."""

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.guards import PUBLIC, allow
from incubator.city.controllers import BUREAU, Period
from incubator.config import Settings
from incubator.ratings.controllers import READERS
from incubator.ratings.evidence import attachment
from incubator.reports import services
from incubator.reports.certificates import verify_across_parks
from incubator.reports.pdf import PdfRenderer, html_of
from incubator.web.render import render

RATING = "/parks/{park_id:uuid}/ratings/{rating_id:uuid}"
RENDERER_KEY = "pdf_renderer"
Month = Annotated[str | None, QueryParameter(max_length=7, description="YYYY-MM; this month by default")]


async def pdf_response(request: Request[Any, Any, Any], document: services.Document) -> Response[bytes]:
    """The document rendered by the app's PDF workers, as a download."""
    renderer: PdfRenderer = request.app.state[RENDERER_KEY]
    pdf = await renderer.render(html_of(request.app.template_engine, document.template, document.context))
    headers = {"Content-Disposition": attachment(document.file_name), "Cache-Control": "private, no-store"}
    return Response(pdf, media_type="application/pdf", headers=headers)


def public_url(request: Request[Any, Any, Any], settings: Settings) -> str:
    return settings.public_url or str(request.base_url)


class PdfPages(Controller):
    include_in_schema = False

    @get(RATING + "/report.pdf", opt=allow(*READERS), name="rating_report_pdf")
    async def rating_report(
        self,
        request: Request,
        db_session: NamedDependency[AsyncSession],
        park_id: FromPath[UUID],
        rating_id: FromPath[UUID],
    ) -> Response[bytes]:
        return await pdf_response(request, await services.rating_report(db_session, park_id, rating_id))

    @get(RATING + "/certificate.pdf", opt=allow(*READERS), name="certificate_pdf")
    async def certificate(
        self,
        request: Request,
        db_session: NamedDependency[AsyncSession],
        settings: NamedDependency[Settings],
        park_id: FromPath[UUID],
        rating_id: FromPath[UUID],
    ) -> Response[bytes]:
        document = await services.certificate(db_session, park_id, rating_id, public_url(request, settings))
        return await pdf_response(request, document)

    @get("/city/bulletin.pdf", opt=allow(*BUREAU), name="city_bulletin_pdf")
    async def bulletin(
        self, request: Request, db_session: NamedDependency[AsyncSession], period: Period = None
    ) -> Response[bytes]:
        return await pdf_response(request, await services.city_bulletin(db_session, period))

    @get("/parks/{park_id:uuid}/summary.pdf", opt=allow(*READERS), name="park_summary_pdf")
    async def summary(
        self, request: Request, db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID], month: Month = None
    ) -> Response[bytes]:
        return await pdf_response(request, await services.park_summary(db_session, park_id, month))

    @get("/verify/{code:str}", opt=PUBLIC, name="verify_certificate")
    async def verify(
        self, request: Request, db_session: NamedDependency[AsyncSession], code: FromPath[str]
    ) -> Template:
        """Anyone holding a certificate checks it here: the park, stars, period and whether it still holds."""
        found = await verify_across_parks(db_session, code)
        return await render(request, "reports/verify.html", {"found": found})
