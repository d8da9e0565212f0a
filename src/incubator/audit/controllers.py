from uuid import UUID

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from incubator.audit.deps import provide_audit_filter, provide_audit_service
from incubator.audit.schemas import AuditFilter, AuditRead
from incubator.audit.services import AuditService
from incubator.auth.guards import allow
from incubator.paging import Page
from incubator.web.params import PageParams


class AuditController(Controller):
    path = "/api"
    tags = ["audit"]
    dependencies = {
        "audit": Provide(provide_audit_service),
        "filters": Provide(provide_audit_filter, sync_to_thread=False),
    }

    @get("/audit", opt=allow("admin", "bureau"), summary="The city-wide audit trail")
    async def list_city_audit(
        self,
        audit: NamedDependency[AuditService],
        filters: NamedDependency[AuditFilter],
        page: NamedDependency[PageParams],
    ) -> Page[AuditRead]:
        return await _page(audit, filters, page, park_id=None)

    @get("/parks/{park_id:uuid}/audit", opt=allow("admin", "bureau", "operator"), summary="A park's audit trail")
    async def list_park_audit(
        self,
        audit: NamedDependency[AuditService],
        filters: NamedDependency[AuditFilter],
        page: NamedDependency[PageParams],
        park_id: FromPath[UUID],
    ) -> Page[AuditRead]:
        return await _page(audit, filters, page, park_id=park_id)


async def _page(
    audit: NamedDependency[AuditService],
    filters: NamedDependency[AuditFilter],
    page: NamedDependency[PageParams],
    park_id: UUID | None,
) -> Page[AuditRead]:
    items, total = await audit.list_entries(filters, park_id=park_id, limit=page.limit, offset=page.offset)
    return Page(
        [msgspec.convert(item, AuditRead, from_attributes=True) for item in items], total, page.limit, page.offset
    )
