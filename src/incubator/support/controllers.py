import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.guards import allow
from incubator.auth.schemas import CurrentUser
from incubator.exchange.exports import Export, ExportFormat, download
from incubator.exchange.layouts import DELIVERIES
from incubator.paging import Page
from incubator.support.models import RequestedBy, RequestStatus, ServiceCategory, ServiceGroup, SupportService
from incubator.support.schemas import (
    DeliveryCreate,
    DeliveryFilter,
    DeliveryRead,
    DeliveryUpdate,
    Rating,
    RequestDecline,
    ServiceRequestCreate,
    ServiceRequestRead,
    SupportServiceCreate,
    SupportServiceRead,
    SupportServiceUpdate,
)
from incubator.support.services import CatalogService, DeliveryService, RequestService
from incubator.web.params import PageParams

READERS = ("admin", "bureau", "operator")
WRITERS = ("admin", "operator")
FOUNDER = "founder"


async def provide_catalog(db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID]) -> CatalogService:
    return CatalogService(db_session, park_id)


async def provide_requests(db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID]) -> RequestService:
    return RequestService(db_session, park_id)


async def provide_deliveries(db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID]) -> DeliveryService:
    return DeliveryService(db_session, park_id)


def provide_delivery_filter(
    q: Annotated[str, QueryParameter(max_length=100, description="Search in the firm's name")] = "",
    incubatee_id: Annotated[UUID | None, QueryParameter()] = None,
    category: Annotated[ServiceCategory | None, QueryParameter()] = None,
    group: Annotated[ServiceGroup | None, QueryParameter()] = None,
    first_day: Annotated[datetime.date | None, QueryParameter(name="from", description="Delivered on or after")] = None,
    last_day: Annotated[datetime.date | None, QueryParameter(name="to", description="Delivered on or before")] = None,
) -> DeliveryFilter:
    return DeliveryFilter(q, incubatee_id, category, group, first_day, last_day)


def requester(user: CurrentUser, park_id: UUID) -> RequestedBy:
    """Staff who post a request do it on the founder's behalf."""
    return RequestedBy.OPERATOR if user.roles_in_park(park_id) & set(WRITERS) else RequestedBy.FOUNDER


def catalog_read(entry: SupportService) -> SupportServiceRead:
    return msgspec.convert(entry, SupportServiceRead, from_attributes=True)


class SupportController(Controller):
    """A park's support services: its catalog, the founders' requests, what it delivered."""

    path = "/api/parks/{park_id:uuid}"
    tags = ["support services"]
    dependencies = {
        "catalog": Provide(provide_catalog),
        "requests": Provide(provide_requests),
        "deliveries": Provide(provide_deliveries),
        "filters": Provide(provide_delivery_filter, sync_to_thread=False),
    }

    @get(
        "/support-services",
        opt=allow(*READERS, FOUNDER),
        summary="The park's service catalog, by category (founders read it to request a service)",
    )
    async def list_services(
        self,
        catalog: NamedDependency[CatalogService],
        page: NamedDependency[PageParams],
        category: Annotated[ServiceCategory | None, QueryParameter()] = None,
        group: Annotated[ServiceGroup | None, QueryParameter()] = None,
        active: Annotated[bool, QueryParameter(description="Only the services offered now")] = False,
    ) -> Page[SupportServiceRead]:
        items, total = await catalog.list_services(
            category=category, group=group, active_only=active, limit=page.limit, offset=page.offset
        )
        return Page([catalog_read(e) for e in items], total, page.limit, page.offset)

    @post("/support-services", opt=allow(*WRITERS), summary="Add a service to the catalog")
    async def create_service(
        self, catalog: NamedDependency[CatalogService], data: JSONBody[SupportServiceCreate]
    ) -> SupportServiceRead:
        return catalog_read(await catalog.create_service(data))

    @get("/support-services/{service_id:uuid}", opt=allow(*READERS), summary="One catalog entry")
    async def get_service(
        self, catalog: NamedDependency[CatalogService], service_id: FromPath[UUID]
    ) -> SupportServiceRead:
        return catalog_read(await catalog.get_in_park(service_id, field="service_id"))

    @patch(
        "/support-services/{service_id:uuid}",
        opt=allow(*WRITERS),
        summary="Edit a catalog entry, or stop offering it (is_active false)",
    )
    async def update_service(
        self, catalog: NamedDependency[CatalogService], service_id: FromPath[UUID], data: JSONBody[SupportServiceUpdate]
    ) -> SupportServiceRead:
        return catalog_read(await catalog.update_service(service_id, data))

    @get("/service-deliveries", opt=allow(*READERS), summary="Services delivered, newest first")
    async def list_deliveries(
        self,
        deliveries: NamedDependency[DeliveryService],
        filters: NamedDependency[DeliveryFilter],
        page: NamedDependency[PageParams],
    ) -> Page[DeliveryRead]:
        items, total = await deliveries.list_deliveries(filters, limit=page.limit, offset=page.offset)
        return Page(items, total, page.limit, page.offset)

    @get("/service-deliveries/export", opt=allow(*READERS), summary="The deliveries as CSV or XLSX, with the filters")
    async def export_deliveries(
        self,
        request: Request,
        deliveries: NamedDependency[DeliveryService],
        filters: NamedDependency[DeliveryFilter],
        export_format: NamedDependency[ExportFormat],
        park_id: FromPath[UUID],
    ) -> Stream:
        export = Export(DELIVERIES, await deliveries.filtered(filters), park_id=park_id)
        return await download(request, export, export_format)

    @post(
        "/service-deliveries",
        opt=allow(*WRITERS),
        summary="Record a service delivered to an incubatee (with request_id, it fulfils that request)",
    )
    async def record_delivery(
        self, deliveries: NamedDependency[DeliveryService], data: JSONBody[DeliveryCreate]
    ) -> DeliveryRead:
        return await deliveries.record(data)

    @get("/service-deliveries/{delivery_id:uuid}", opt=allow(*READERS), summary="One delivery")
    async def get_delivery(
        self, deliveries: NamedDependency[DeliveryService], delivery_id: FromPath[UUID]
    ) -> DeliveryRead:
        return await deliveries.read(delivery_id)

    @patch("/service-deliveries/{delivery_id:uuid}", opt=allow(*WRITERS), summary="Correct a delivery")
    async def update_delivery(
        self, deliveries: NamedDependency[DeliveryService], delivery_id: FromPath[UUID], data: JSONBody[DeliveryUpdate]
    ) -> DeliveryRead:
        return await deliveries.update_delivery(delivery_id, data)

    @get("/service-requests", opt=allow(*READERS), summary="The founders' requests, oldest first (the worklist)")
    async def list_requests(
        self,
        requests: NamedDependency[RequestService],
        page: NamedDependency[PageParams],
        status: Annotated[RequestStatus | None, QueryParameter()] = None,
        incubatee_id: Annotated[UUID | None, QueryParameter()] = None,
    ) -> Page[ServiceRequestRead]:
        items, total = await requests.list_requests(
            statuses=[status] if status else None, incubatee_id=incubatee_id, limit=page.limit, offset=page.offset
        )
        return Page(items, total, page.limit, page.offset)

    @post("/service-requests/{request_id:uuid}/accept", opt=allow(*WRITERS), summary="Accept an open request")
    async def accept_request(
        self, requests: NamedDependency[RequestService], request_id: FromPath[UUID]
    ) -> ServiceRequestRead:
        return await requests.accept(request_id)

    @post("/service-requests/{request_id:uuid}/decline", opt=allow(*WRITERS), summary="Decline a request, saying why")
    async def decline_request(
        self, requests: NamedDependency[RequestService], request_id: FromPath[UUID], data: JSONBody[RequestDecline]
    ) -> ServiceRequestRead:
        return await requests.decline(request_id, data)

    @get(
        "/incubatees/{incubatee_id:uuid}/service-requests",
        opt=allow(*READERS, FOUNDER),
        summary="A firm's own requests, newest first (its founder, or park staff)",
    )
    async def firm_requests(
        self, requests: NamedDependency[RequestService], page: NamedDependency[PageParams], incubatee_id: FromPath[UUID]
    ) -> Page[ServiceRequestRead]:
        items, total = await requests.requests_of(incubatee_id, limit=page.limit, offset=page.offset)
        return Page(items, total, page.limit, page.offset)

    @post(
        "/incubatees/{incubatee_id:uuid}/service-requests",
        opt=allow(*WRITERS, FOUNDER),
        summary="Request a service of the catalog (a founder for their firm, or staff on the founder's behalf)",
    )
    async def request_service(
        self,
        request: Request,
        requests: NamedDependency[RequestService],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
        data: JSONBody[ServiceRequestCreate],
    ) -> ServiceRequestRead:
        return await requests.request_service(incubatee_id, data, requester(request.user, park_id))

    @get(
        "/incubatees/{incubatee_id:uuid}/service-deliveries",
        opt=allow(*READERS, FOUNDER),
        summary="Services delivered to a firm, newest first (its founder, or park staff)",
    )
    async def firm_deliveries(
        self,
        deliveries: NamedDependency[DeliveryService],
        page: NamedDependency[PageParams],
        incubatee_id: FromPath[UUID],
    ) -> Page[DeliveryRead]:
        items, total = await deliveries.delivered_to(incubatee_id, limit=page.limit, offset=page.offset)
        return Page(items, total, page.limit, page.offset)

    @post(
        "/incubatees/{incubatee_id:uuid}/service-deliveries/{delivery_id:uuid}/rating",
        opt=allow(FOUNDER),
        summary="The founder rates a service delivered to their firm, 1 to 5, once",
    )
    async def rate_delivery(
        self,
        deliveries: NamedDependency[DeliveryService],
        incubatee_id: FromPath[UUID],
        delivery_id: FromPath[UUID],
        data: JSONBody[Rating],
    ) -> DeliveryRead:
        return await deliveries.rate(incubatee_id, delivery_id, data)
