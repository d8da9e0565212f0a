from uuid import UUID

from litestar import Controller, Request, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Template

from incubator.audit.deps import provide_audit_filter, provide_audit_service
from incubator.audit.schemas import AuditFilter
from incubator.audit.services import AuditService
from incubator.auth.guards import allow
from incubator.web.params import PageParams
from incubator.web.render import render


class AuditPages(Controller):
    include_in_schema = False
    dependencies = {
        "audit": Provide(provide_audit_service),
        "filters": Provide(provide_audit_filter, sync_to_thread=False),
    }

    @get("/audit", opt=allow("admin", "bureau"), name="city_audit")
    async def city_audit(
        self,
        request: Request,
        audit: NamedDependency[AuditService],
        filters: NamedDependency[AuditFilter],
        page: NamedDependency[PageParams],
    ) -> Template:
        return await _audit_page(request, audit, filters, page, None)

    @get("/parks/{park_id:uuid}/audit", opt=allow("admin", "bureau", "operator"), name="park_audit")
    async def park_audit(
        self,
        request: Request,
        audit: NamedDependency[AuditService],
        filters: NamedDependency[AuditFilter],
        page: NamedDependency[PageParams],
        park_id: FromPath[UUID],
    ) -> Template:
        return await _audit_page(request, audit, filters, page, park_id)


async def _audit_page(
    request: Request,
    audit: NamedDependency[AuditService],
    filters: NamedDependency[AuditFilter],
    page: NamedDependency[PageParams],
    park_id: UUID | None,
) -> Template:
    items, total = await audit.list_entries(filters, park_id=park_id, limit=page.limit, offset=page.offset)
    context = {"entries": items, "total": total, "page": page, "filters": filters, "park_id": park_id}
    return await render(request, "audit/list.html", context, partial="audit/_rows.html")
