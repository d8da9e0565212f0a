from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Stream, Template

from incubator.auth.guards import allow
from incubator.clock import today
from incubator.db.session import request_session
from incubator.errors import NotFound
from incubator.exchange.exports import Export, ExportFormat, download
from incubator.exchange.layouts import DELIVERIES
from incubator.i18n import _, enum_label
from incubator.incubatees.models import IncubateeStatus
from incubator.incubatees.schemas import IncubateeFilter
from incubator.incubatees.services import IncubateeService
from incubator.support.controllers import (
    FOUNDER,
    READERS,
    WRITERS,
    provide_catalog,
    provide_deliveries,
    provide_delivery_filter,
    provide_requests,
)
from incubator.support.models import RequestedBy, RequestStatus, ServiceCategory, ServiceGroup
from incubator.support.schemas import (
    DeliveryCreate,
    DeliveryFilter,
    DeliveryUpdate,
    Rating,
    RequestDecline,
    ServiceRequestCreate,
    SupportServiceCreate,
    SupportServiceUpdate,
)
from incubator.support.services import CatalogService, DeliveryService, RequestService
from incubator.web.forms import submit_form
from incubator.web.params import PageParams
from incubator.web.render import render

CATALOG_ON_PAGE = 100
FIRMS_ON_PAGE = 500
WAITING = (RequestStatus.OPEN, RequestStatus.ACCEPTED)


def _can_write(request: Request, park_id: UUID) -> bool:
    return bool(request.user.roles_in_park(park_id) & set(WRITERS))


class SupportPages(Controller):
    """The operator's pages: the catalog, the deliveries, the worklist of requests."""

    path = "/parks/{park_id:uuid}/support"
    include_in_schema = False
    dependencies = {
        "catalog": Provide(provide_catalog),
        "requests": Provide(provide_requests),
        "deliveries": Provide(provide_deliveries),
        "filters": Provide(provide_delivery_filter, sync_to_thread=False),
    }

    @get("", opt=allow(*READERS), name="support_catalog")
    async def catalog_page(
        self, request: Request, catalog: NamedDependency[CatalogService], park_id: FromPath[UUID]
    ) -> Template:
        return await _catalog(request, catalog, park_id, {}, {})

    @post("/services", opt=allow(*WRITERS))
    async def add_service(
        self, request: Request, catalog: NamedDependency[CatalogService], park_id: FromPath[UUID]
    ) -> Template | Redirect:
        submitted = dict(await request.form())

        async def save(data: SupportServiceCreate) -> str:
            await catalog.create_service(data)
            return f"/parks/{park_id}/support"

        redirect, errors = await submit_form(submitted, SupportServiceCreate, save)
        return redirect or await _catalog(request, catalog, park_id, submitted, errors, 400)

    @get("/services/{service_id:uuid}/edit", opt=allow(*WRITERS), name="support_service_edit")
    async def edit_service(
        self,
        request: Request,
        catalog: NamedDependency[CatalogService],
        park_id: FromPath[UUID],
        service_id: FromPath[UUID],
    ) -> Template:
        entry = await catalog.get_in_park(service_id, field="service_id")
        form = {f: getattr(entry, f) for f in SupportServiceUpdate.__struct_fields__}
        return await _service_form(request, park_id, entry, form, {})

    @post("/services/{service_id:uuid}/edit", opt=allow(*WRITERS))
    async def update_service(
        self,
        request: Request,
        catalog: NamedDependency[CatalogService],
        park_id: FromPath[UUID],
        service_id: FromPath[UUID],
    ) -> Template | Redirect:
        submitted = dict(await request.form())

        async def save(data: SupportServiceUpdate) -> str:
            await catalog.update_service(service_id, data)
            return f"/parks/{park_id}/support"

        redirect, errors = await submit_form(submitted, SupportServiceUpdate, save)
        if redirect:
            return redirect
        entry = await catalog.get_in_park(service_id, field="service_id")
        return await _service_form(request, park_id, entry, submitted, errors, 400)

    @get("/deliveries", opt=allow(*READERS), name="support_deliveries")
    async def deliveries_page(
        self,
        request: Request,
        deliveries: NamedDependency[DeliveryService],
        filters: NamedDependency[DeliveryFilter],
        page: NamedDependency[PageParams],
        park_id: FromPath[UUID],
    ) -> Template:
        items, total = await deliveries.list_deliveries(filters, limit=page.limit, offset=page.offset)
        context = {
            "deliveries": items,
            "total": total,
            "page": page,
            "filters": filters,
            "park_id": park_id,
            "categories": ServiceCategory,
            "groups": ServiceGroup,
            "can_write": _can_write(request, park_id),
        }
        return await render(request, "support/deliveries.html", context, partial="support/_delivery_rows.html")

    @get("/deliveries/export", opt=allow(*READERS))
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

    @get("/deliveries/new", opt=allow(*WRITERS), name="support_delivery_new")
    async def new_delivery(
        self,
        request: Request,
        requests: NamedDependency[RequestService],
        park_id: FromPath[UUID],
        request_id: Annotated[UUID | None, QueryParameter()] = None,
        incubatee_id: Annotated[UUID | None, QueryParameter()] = None,
    ) -> Template:
        """A blank form, or one filled from the request it fulfils or the firm it came from."""
        form: dict[str, Any] = {"delivered_on": today(), "incubatee_id": incubatee_id}
        fulfils = await requests.read(request_id) if request_id else None
        if fulfils is not None:
            form.update(incubatee_id=fulfils.incubatee_id, service_id=fulfils.service_id, request_id=fulfils.id)
        return await _delivery_form(request, park_id, None, fulfils, form, {})

    @post("/deliveries/new", opt=allow(*WRITERS))
    async def record_delivery(
        self,
        request: Request,
        deliveries: NamedDependency[DeliveryService],
        requests: NamedDependency[RequestService],
        park_id: FromPath[UUID],
    ) -> Template | Redirect:
        submitted = dict(await request.form())

        async def save(data: DeliveryCreate) -> str:
            await deliveries.record(data)
            return f"/parks/{park_id}/support/deliveries"

        redirect, errors = await submit_form(submitted, DeliveryCreate, save)
        if redirect:
            return redirect
        fulfils = await _request_named(requests, submitted.get("request_id"))
        return await _delivery_form(request, park_id, None, fulfils, submitted, errors, 400)

    @get("/deliveries/{delivery_id:uuid}/edit", opt=allow(*WRITERS), name="support_delivery_edit")
    async def edit_delivery(
        self,
        request: Request,
        deliveries: NamedDependency[DeliveryService],
        park_id: FromPath[UUID],
        delivery_id: FromPath[UUID],
    ) -> Template:
        delivery = await deliveries.read(delivery_id)
        form = {f: getattr(delivery, f) for f in DeliveryUpdate.__struct_fields__}
        return await _delivery_form(request, park_id, delivery, None, form, {})

    @post("/deliveries/{delivery_id:uuid}/edit", opt=allow(*WRITERS))
    async def update_delivery(
        self,
        request: Request,
        deliveries: NamedDependency[DeliveryService],
        park_id: FromPath[UUID],
        delivery_id: FromPath[UUID],
    ) -> Template | Redirect:
        submitted = dict(await request.form())

        async def save(data: DeliveryUpdate) -> str:
            await deliveries.update_delivery(delivery_id, data)
            return f"/parks/{park_id}/support/deliveries"

        redirect, errors = await submit_form(submitted, DeliveryUpdate, save)
        if redirect:
            return redirect
        delivery = await deliveries.read(delivery_id)
        return await _delivery_form(request, park_id, delivery, None, submitted, errors, 400)

    @get("/requests", opt=allow(*READERS), name="support_requests")
    async def worklist(
        self,
        request: Request,
        requests: NamedDependency[RequestService],
        page: NamedDependency[PageParams],
        park_id: FromPath[UUID],
        status: Annotated[RequestStatus | None, QueryParameter(description="Open and accepted when left out")] = None,
    ) -> Template:
        return await _worklist(request, requests, page, park_id, status, {})

    @post("/requests/{request_id:uuid}/accept", opt=allow(*WRITERS))
    async def accept(
        self, requests: NamedDependency[RequestService], park_id: FromPath[UUID], request_id: FromPath[UUID]
    ) -> Redirect:
        await requests.accept(request_id)
        return Redirect(f"/parks/{park_id}/support/requests", status_code=303)

    @post("/requests/{request_id:uuid}/decline", opt=allow(*WRITERS))
    async def decline(
        self,
        request: Request,
        requests: NamedDependency[RequestService],
        page: NamedDependency[PageParams],
        park_id: FromPath[UUID],
        request_id: FromPath[UUID],
    ) -> Template | Redirect:
        async def save(data: RequestDecline) -> str:
            await requests.decline(request_id, data)
            return f"/parks/{park_id}/support/requests"

        redirect, errors = await submit_form(dict(await request.form()), RequestDecline, save)
        return redirect or await _worklist(request, requests, page, park_id, None, {request_id: errors}, 400)


async def _catalog(
    request: Request,
    catalog: CatalogService,
    park_id: UUID,
    form: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    entries, _total = await catalog.list_services(limit=CATALOG_ON_PAGE, offset=0)
    by_category = [(c, [e for e in entries if e.category == c]) for c in ServiceCategory]
    context = {
        "park_id": park_id,
        "by_category": [(category, listed) for category, listed in by_category if listed],
        "categories": ServiceCategory,
        "form": form,
        "errors": errors,
        "can_write": _can_write(request, park_id),
    }
    return await render(request, "support/catalog.html", context, status_code=status_code)


async def _service_form(
    request: Request, park_id: UUID, entry: Any, form: dict[str, Any], errors: dict[str, str], status_code: int = 200
) -> Template:
    context = {"park_id": park_id, "entry": entry, "form": form, "errors": errors, "categories": ServiceCategory}
    return await render(request, "support/service_form.html", context, status_code=status_code)


async def _request_named(requests: RequestService, request_id: Any) -> Any:
    """The request a re-shown form fulfils, if it names a valid one."""
    try:
        return await requests.read(UUID(str(request_id))) if request_id else None
    except (ValueError, NotFound):
        return None


async def _delivery_form(
    request: Request,
    park_id: UUID,
    delivery: Any,
    fulfils: Any,
    form: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    """The delivery form: record one (for a firm incubating now, or the firm it is filled for) or correct one."""
    db_session = request_session(request)
    entries, _total = await CatalogService(db_session, park_id).list_services(limit=CATALOG_ON_PAGE, offset=0)
    retired = " · " + _("No longer offered")
    services = [(e.id, f"{e.name} · {enum_label(e.category)}{'' if e.is_active else retired}") for e in entries]
    firms: list[tuple[Any, str]] = []
    if delivery is None:
        incubating, _count = await IncubateeService(db_session, park_id).list_incubatees(
            IncubateeFilter(status=IncubateeStatus.INCUBATING), limit=FIRMS_ON_PAGE, offset=0
        )
        firms = [(firm.id, firm.name) for firm in incubating]
        if fulfils is not None and fulfils.incubatee_id not in dict(firms):
            firms.append((fulfils.incubatee_id, fulfils.incubatee))
    context = {
        "park_id": park_id,
        "delivery": delivery,
        "fulfils": fulfils,
        "firms": firms,
        "services": services,
        "form": form,
        "errors": errors,
    }
    return await render(request, "support/delivery_form.html", context, status_code=status_code)


async def _worklist(
    request: Request,
    requests: RequestService,
    page: PageParams,
    park_id: UUID,
    status: RequestStatus | None,
    errors: dict[UUID, dict[str, str]],
    status_code: int = 200,
) -> Template:
    statuses = [status] if status else list(WAITING)
    items, total = await requests.list_requests(statuses=statuses, limit=page.limit, offset=page.offset)
    context = {
        "requests": items,
        "total": total,
        "page": page,
        "park_id": park_id,
        "status": status,
        "statuses": RequestStatus,
        "errors": errors,
        "can_write": _can_write(request, park_id),
    }
    return await render(request, "support/requests.html", context, status_code=status_code)


class PortalSupportPages(Controller):
    """The founder's portal: ask the park for a service, see what was delivered, rate it. Made for a phone."""

    path = "/parks/{park_id:uuid}/portal"
    include_in_schema = False
    opt = allow(FOUNDER)
    dependencies = {
        "catalog": Provide(provide_catalog),
        "requests": Provide(provide_requests),
        "deliveries": Provide(provide_deliveries),
    }

    @get("/requests", name="portal_requests")
    async def my_requests(
        self,
        request: Request,
        catalog: NamedDependency[CatalogService],
        requests: NamedDependency[RequestService],
        page: NamedDependency[PageParams],
        park_id: FromPath[UUID],
    ) -> Template:
        return await _portal_requests(request, catalog, requests, page, park_id, {}, {})

    @post("/requests")
    async def ask(
        self,
        request: Request,
        catalog: NamedDependency[CatalogService],
        requests: NamedDependency[RequestService],
        page: NamedDependency[PageParams],
        park_id: FromPath[UUID],
    ) -> Template | Redirect:
        submitted = dict(await request.form())

        async def save(data: ServiceRequestCreate) -> str:
            await requests.request_service(_my_firm(request, park_id), data, RequestedBy.FOUNDER)
            return f"/parks/{park_id}/portal/requests"

        redirect, errors = await submit_form(submitted, ServiceRequestCreate, save)
        return redirect or await _portal_requests(request, catalog, requests, page, park_id, submitted, errors, 400)

    @get("/deliveries", name="portal_deliveries")
    async def my_deliveries(
        self,
        request: Request,
        deliveries: NamedDependency[DeliveryService],
        page: NamedDependency[PageParams],
        park_id: FromPath[UUID],
    ) -> Template:
        return await _portal_deliveries(request, deliveries, page, park_id, {}, {})

    @post("/deliveries/{delivery_id:uuid}/rating")
    async def rate(
        self,
        request: Request,
        deliveries: NamedDependency[DeliveryService],
        page: NamedDependency[PageParams],
        park_id: FromPath[UUID],
        delivery_id: FromPath[UUID],
    ) -> Template | Redirect:
        submitted = dict(await request.form())

        async def save(data: Rating) -> str:
            await deliveries.rate(_my_firm(request, park_id), delivery_id, data)
            return f"/parks/{park_id}/portal/deliveries"

        redirect, errors = await submit_form(submitted, Rating, save)
        forms, messages = {delivery_id: submitted}, {delivery_id: errors}
        return redirect or await _portal_deliveries(request, deliveries, page, park_id, forms, messages, 400)


def _my_firm(request: Request, park_id: UUID) -> UUID:
    """The firm whose portal this founder uses in the park (every founder membership names one)."""
    firm: UUID = request.user.founder_of[park_id]
    return firm


async def _portal_requests(
    request: Request,
    catalog: CatalogService,
    requests: RequestService,
    page: PageParams,
    park_id: UUID,
    form: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    items, total = await requests.requests_of(_my_firm(request, park_id), limit=page.limit, offset=page.offset)
    offered, _count = await catalog.list_services(active_only=True, limit=CATALOG_ON_PAGE, offset=0)
    context = {
        "park_id": park_id,
        "requests": items,
        "total": total,
        "page": page,
        "offered": [(e.id, e.name) for e in offered],
        "descriptions": [e for e in offered if e.description],
        "form": form,
        "errors": errors,
    }
    return await render(request, "support/portal_requests.html", context, status_code=status_code)


async def _portal_deliveries(
    request: Request,
    deliveries: DeliveryService,
    page: PageParams,
    park_id: UUID,
    forms: dict[UUID, dict[str, Any]],
    errors: dict[UUID, dict[str, str]],
    status_code: int = 200,
) -> Template:
    items, total = await deliveries.delivered_to(_my_firm(request, park_id), limit=page.limit, offset=page.offset)
    context = {
        "park_id": park_id,
        "deliveries": items,
        "total": total,
        "page": page,
        "forms": forms,
        "errors": errors,
    }
    return await render(request, "support/portal_deliveries.html", context, status_code=status_code)
