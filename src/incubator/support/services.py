"""The rules of support services: the catalog, founders' requests, deliveries and their ratings.

Every list and read comes with the names a screen needs (firm, catalog entry), from one query."""

import datetime
from collections.abc import Callable, Collection, Sequence
from typing import Any, TypeVar
from uuid import UUID

import msgspec
import sqlalchemy as sa
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy.exc import IntegrityError

from incubator.clock import today
from incubator.db.portable import pinyin_order
from incubator.db.scoped import ParkScopedService
from incubator.errors import Conflict, InvalidInput, NotFound
from incubator.i18n import N_, _
from incubator.incubatees.models import Incubatee, IncubateeStatus
from incubator.support.models import (
    RequestedBy,
    RequestStatus,
    ServiceCategory,
    ServiceDelivery,
    ServiceGroup,
    ServiceRequest,
    SupportService,
    categories_of,
)
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
    SupportServiceUpdate,
)

S = TypeVar("S", bound=msgspec.Struct)
CATEGORY_ORDER = sa.case(
    {category.value: position for position, category in enumerate(ServiceCategory)}, value=SupportService.category
)
"""The catalog reads in the order of the categories (training first, financing last), not alphabetically."""


def _read(item: Any, schema: type[S], **names: Any) -> S:
    """A Read struct from a model, with the names a list joined to it."""
    fields = {f: getattr(item, f) for f in schema.__struct_fields__ if f not in names}
    return schema(**fields, **names)


async def _incubatee(session: Any, park_id: UUID, incubatee_id: UUID, *, in_path: bool = False) -> Incubatee:
    """The park's incubatee: a missing one named in a body or query is invalid input (422), in a path 404."""
    incubatee = await session.scalar(
        sa.select(Incubatee).where(Incubatee.park_id == park_id, Incubatee.id == incubatee_id)
    )
    if incubatee is None:
        if in_path:
            raise NotFound(_("No such incubatee."), field="incubatee_id")
        raise InvalidInput(_("No such incubatee in this park."), field="incubatee_id")
    return incubatee


class CatalogService(ParkScopedService[SupportService]):
    """A park's catalog of support services."""

    class Repo(SQLAlchemyAsyncRepository[SupportService]):
        model_type = SupportService

    repository_type = Repo
    not_found_message = N_("No such service in the catalog.")

    async def list_services(
        self,
        *,
        category: ServiceCategory | None = None,
        group: ServiceGroup | None = None,
        active_only: bool = False,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[SupportService], int]:
        conditions: list[Any] = []
        if category:
            conditions.append(SupportService.category == category)
        if group:
            conditions.append(SupportService.category.in_(categories_of(group)))
        if active_only:
            conditions.append(SupportService.is_active.is_(True))
        return await self.get_many_and_count(
            *conditions,
            LimitOffset(limit=limit, offset=offset),
            statement=self.repository.statement.order_by(
                CATEGORY_ORDER, pinyin_order(SupportService.name), SupportService.id
            ),
        )

    async def create_service(self, data: SupportServiceCreate) -> SupportService:
        await self._check_name(data.name)
        entry = SupportService(park_id=self.park_id, is_active=True, **msgspec.structs.asdict(data))
        return await self.create(entry, auto_refresh=False)

    async def update_service(self, service_id: UUID, data: SupportServiceUpdate) -> SupportService:
        entry = await self.get_in_park(service_id, field="service_id")
        values = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        if "name" in values:
            await self._check_name(values["name"], exclude=service_id)
        for key, value in values.items():
            setattr(entry, key, value)
        await self.repository.session.flush()
        return entry

    async def named_in_body(self, service_id: UUID) -> SupportService:
        """A catalog entry named in a request body: 422 naming the field when the park has no such entry."""
        entry = await self.get_one_or_none(id=service_id)
        if entry is None:
            raise InvalidInput(_("No such service in this park's catalog."), field="service_id")
        return entry

    async def _check_name(self, name: str, exclude: UUID | None = None) -> None:
        clash = await self.get_one_or_none(SupportService.name == name)
        if clash is not None and clash.id != exclude:
            raise Conflict(_("The catalog already has a service with this name."), field="name")


class RequestService(ParkScopedService[ServiceRequest]):
    """Founders ask for a service; the park accepts or declines; a delivery fulfils it."""

    class Repo(SQLAlchemyAsyncRepository[ServiceRequest]):
        model_type = ServiceRequest

    repository_type = Repo
    not_found_message = N_("No such service request.")

    async def list_requests(
        self,
        *,
        statuses: Collection[RequestStatus] | None = None,
        incubatee_id: UUID | None = None,
        limit: int,
        offset: int,
    ) -> tuple[list[ServiceRequestRead], int]:
        """The staff's worklist, oldest first."""
        conditions: list[Any] = []
        if statuses:
            conditions.append(ServiceRequest.status.in_(list(statuses)))
        if incubatee_id:
            await _incubatee(self.repository.session, self.park_id, incubatee_id)
            conditions.append(ServiceRequest.incubatee_id == incubatee_id)
        order = (ServiceRequest.requested_on, ServiceRequest.created_at, ServiceRequest.id)
        statement = self._with_names().where(*conditions).order_by(*order)
        return await _paged(self.repository.session, statement, _request_read, limit, offset)

    async def requests_of(self, incubatee_id: UUID, *, limit: int, offset: int) -> tuple[list[ServiceRequestRead], int]:
        """One firm's requests, newest first: what its founder sees."""
        await _incubatee(self.repository.session, self.park_id, incubatee_id, in_path=True)
        order = (ServiceRequest.requested_on.desc(), ServiceRequest.created_at.desc(), ServiceRequest.id)
        statement = self._with_names().where(ServiceRequest.incubatee_id == incubatee_id).order_by(*order)
        return await _paged(self.repository.session, statement, _request_read, limit, offset)

    async def read(self, request_id: UUID) -> ServiceRequestRead:
        row = (await self.repository.session.execute(self._with_names().where(ServiceRequest.id == request_id))).first()
        if row is None:
            raise NotFound(_("No such service request."), field="request_id")
        return _request_read(row)

    async def count_open(self) -> int:
        """Requests no one has answered yet."""
        count = await self.repository.session.scalar(
            sa.select(sa.func.count())
            .select_from(ServiceRequest)
            .where(ServiceRequest.park_id == self.park_id, ServiceRequest.status == RequestStatus.OPEN)
        )
        return count or 0

    async def request_service(
        self, incubatee_id: UUID, data: ServiceRequestCreate, requested_by: RequestedBy
    ) -> ServiceRequestRead:
        session = self.repository.session
        incubatee = await _incubatee(session, self.park_id, incubatee_id, in_path=True)
        if incubatee.status != IncubateeStatus.INCUBATING:
            raise InvalidInput(_("Only incubating firms request services."), field="incubatee_id")
        entry = await CatalogService(session, self.park_id).named_in_body(data.service_id)
        if not entry.is_active:
            raise InvalidInput(_("The park no longer offers this service."), field="service_id")
        requested_on = data.requested_on or today()
        if requested_on > today():
            raise InvalidInput(_("A request cannot be dated in the future."), field="requested_on")
        if incubatee.admitted_on and requested_on < incubatee.admitted_on:
            raise InvalidInput(_("The request is dated before the firm was admitted."), field="requested_on")
        request = ServiceRequest(
            park_id=self.park_id,
            incubatee_id=incubatee.id,
            service_id=entry.id,
            need=data.need,
            requested_on=requested_on,
            requested_by=requested_by,
            status=RequestStatus.OPEN,
        )
        await self.create(request, auto_refresh=False)
        return await self.read(request.id)

    async def accept(self, request_id: UUID) -> ServiceRequestRead:
        request = await self.get_in_park(request_id, field="request_id")
        if request.status != RequestStatus.OPEN:
            raise Conflict(_("Only an open request can be accepted."), field="status")
        request.status = RequestStatus.ACCEPTED
        await self.repository.session.flush()
        return await self.read(request_id)

    async def decline(self, request_id: UUID, data: RequestDecline) -> ServiceRequestRead:
        request = await self.get_in_park(request_id, field="request_id")
        if request.status not in (RequestStatus.OPEN, RequestStatus.ACCEPTED):
            raise Conflict(_("Only an open or accepted request can be declined."), field="status")
        request.status = RequestStatus.DECLINED
        request.decline_reason = data.reason
        await self.repository.session.flush()
        return await self.read(request_id)

    def _with_names(self) -> Any:
        return (
            sa.select(ServiceRequest, Incubatee.name, SupportService.name, SupportService.category, ServiceDelivery.id)
            .join(
                Incubatee,
                sa.and_(Incubatee.park_id == ServiceRequest.park_id, Incubatee.id == ServiceRequest.incubatee_id),
            )
            .join(
                SupportService,
                sa.and_(
                    SupportService.park_id == ServiceRequest.park_id, SupportService.id == ServiceRequest.service_id
                ),
            )
            .outerjoin(
                ServiceDelivery,
                sa.and_(
                    ServiceDelivery.park_id == ServiceRequest.park_id, ServiceDelivery.request_id == ServiceRequest.id
                ),
            )
            .where(ServiceRequest.park_id == self.park_id)
        )


def _request_read(row: Any) -> ServiceRequestRead:
    request, firm, service, category, delivery_id = row
    return _read(
        request, ServiceRequestRead, incubatee=firm, service=service, category=category, delivery_id=delivery_id
    )


class DeliveryService(ParkScopedService[ServiceDelivery]):
    """Services delivered to a park's incubatees, and the founders' ratings of them."""

    class Repo(SQLAlchemyAsyncRepository[ServiceDelivery]):
        model_type = ServiceDelivery

    repository_type = Repo
    not_found_message = N_("No such service delivery.")

    async def list_deliveries(
        self, filters: DeliveryFilter, *, limit: int, offset: int
    ) -> tuple[list[DeliveryRead], int]:
        return await _paged(self.repository.session, await self.filtered(filters), _delivery_read, limit, offset)

    async def filtered(self, filters: DeliveryFilter) -> sa.Select[Any]:
        """The deliveries the filters keep, newest first, with the firm's (``incubatee``) and the service's
        (``service``) names."""
        conditions: list[Any] = []
        if filters.q.strip():
            conditions.append(Incubatee.name.ilike(f"%{filters.q.strip()}%"))
        if filters.incubatee_id:
            await _incubatee(self.repository.session, self.park_id, filters.incubatee_id)
            conditions.append(ServiceDelivery.incubatee_id == filters.incubatee_id)
        if filters.category:
            conditions.append(ServiceDelivery.category == filters.category)
        if filters.group:
            conditions.append(ServiceDelivery.category.in_(categories_of(filters.group)))
        if filters.first_day and filters.last_day and filters.last_day < filters.first_day:
            raise InvalidInput(_("The end of the period is before its start."), field="to")
        if filters.first_day:
            conditions.append(ServiceDelivery.delivered_on >= filters.first_day)
        if filters.last_day:
            conditions.append(ServiceDelivery.delivered_on <= filters.last_day)
        return self._with_names().where(*conditions).order_by(*_NEWEST_FIRST)

    async def delivered_to(
        self, incubatee_id: UUID, *, limit: int = 100, offset: int = 0
    ) -> tuple[list[DeliveryRead], int]:
        """One firm's delivered services, newest first: its page, and its founder's portal."""
        await _incubatee(self.repository.session, self.park_id, incubatee_id, in_path=True)
        statement = self._with_names().where(ServiceDelivery.incubatee_id == incubatee_id).order_by(*_NEWEST_FIRST)
        return await _paged(self.repository.session, statement, _delivery_read, limit, offset)

    async def read(self, delivery_id: UUID) -> DeliveryRead:
        statement = self._with_names().where(ServiceDelivery.id == delivery_id)
        row = (await self.repository.session.execute(statement)).first()
        if row is None:
            raise NotFound(_("No such service delivery."), field="delivery_id")
        return _delivery_read(row)

    async def record(self, data: DeliveryCreate) -> DeliveryRead:
        session = self.repository.session
        incubatee = await _incubatee(session, self.park_id, data.incubatee_id)
        entry = await CatalogService(session, self.park_id).named_in_body(data.service_id)
        values = {
            **msgspec.structs.asdict(data),
            "category": entry.category,
            "provider": data.provider or entry.provider,
        }
        request = await self._request_to_fulfil(data) if data.request_id else None
        _check(values, incubatee, request.requested_on if request else None)
        if request is not None:
            request.status = RequestStatus.DELIVERED
        delivery = ServiceDelivery(park_id=self.park_id, **values)
        session.add(delivery)
        try:
            await session.flush()
        except IntegrityError as exc:  # the same request fulfilled by another request at the same moment
            if "request" not in str(exc.orig):
                raise
            raise Conflict(_("This request has already been delivered."), field="request_id") from exc
        return await self.read(delivery.id)

    async def update_delivery(self, delivery_id: UUID, data: DeliveryUpdate) -> DeliveryRead:
        """Rules are checked on the changed delivery before anything is written."""
        session = self.repository.session
        delivery = await self.get_in_park(delivery_id, field="delivery_id")
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        if "service_id" in changes:
            entry = await CatalogService(session, self.park_id).named_in_body(changes["service_id"])
            changes["category"] = entry.category
        values = {**{key: getattr(delivery, key) for key in _CHECKED}, **changes}
        requested_on = None
        if delivery.request_id is not None:
            requested_on = await session.scalar(
                sa.select(ServiceRequest.requested_on).where(
                    ServiceRequest.park_id == self.park_id, ServiceRequest.id == delivery.request_id
                )
            )
        _check(values, await _incubatee(session, self.park_id, delivery.incubatee_id), requested_on)
        for key, value in changes.items():
            setattr(delivery, key, value)
        await session.flush()
        return await self.read(delivery_id)

    async def rate(self, incubatee_id: UUID, delivery_id: UUID, data: Rating) -> DeliveryRead:
        """The founder's 1–5 rating of a service delivered to their firm, given once."""
        delivery = await self.repository.session.scalar(
            sa.select(ServiceDelivery).where(
                ServiceDelivery.park_id == self.park_id,
                ServiceDelivery.incubatee_id == incubatee_id,
                ServiceDelivery.id == delivery_id,
            )
        )
        if delivery is None:
            raise NotFound(_("No such service delivered to your firm."), field="delivery_id")
        if delivery.satisfaction is not None:
            raise Conflict(_("This service has already been rated."), field="satisfaction")
        delivery.satisfaction = data.satisfaction
        delivery.rating_comment = data.comment
        delivery.rated_at = datetime.datetime.now(datetime.UTC)
        await self.repository.session.flush()
        return await self.read(delivery_id)

    async def _request_to_fulfil(self, data: DeliveryCreate) -> ServiceRequest:
        request = await self.repository.session.scalar(
            sa.select(ServiceRequest).where(
                ServiceRequest.park_id == self.park_id, ServiceRequest.id == data.request_id
            )
        )
        if request is None or request.incubatee_id != data.incubatee_id:
            raise InvalidInput(_("No such request from this incubatee."), field="request_id")
        if request.status not in (RequestStatus.OPEN, RequestStatus.ACCEPTED):
            raise Conflict(_("Only an open or accepted request can be delivered."), field="request_id")
        return request

    def _with_names(self) -> Any:
        return (
            sa.select(ServiceDelivery, Incubatee.name.label("incubatee"), SupportService.name.label("service"))
            .join(
                Incubatee,
                sa.and_(Incubatee.park_id == ServiceDelivery.park_id, Incubatee.id == ServiceDelivery.incubatee_id),
            )
            .join(
                SupportService,
                sa.and_(
                    SupportService.park_id == ServiceDelivery.park_id, SupportService.id == ServiceDelivery.service_id
                ),
            )
            .where(ServiceDelivery.park_id == self.park_id)
        )


_CHECKED = ("category", "delivered_on", "amount", "lender")
_NEWEST_FIRST = (ServiceDelivery.delivered_on.desc(), ServiceDelivery.id.desc())


def _check(values: dict[str, Any], incubatee: Incubatee, requested_on: datetime.date | None) -> None:
    """A service is delivered to a firm incubating on that day (a firm that has since graduated or exited
    keeps the services it had while incubating), not before it was requested; financing carries its
    amount, a guaranteed loan its bank."""
    day = values["delivered_on"]
    if day > today():
        raise InvalidInput(_("A service cannot be recorded before it is delivered."), field="delivered_on")
    if requested_on is not None and day < requested_on:
        raise InvalidInput(_("The service is dated before it was requested."), field="delivered_on")
    if incubatee.admitted_on is None:
        raise InvalidInput(_("Services are delivered to admitted incubatees only."), field="incubatee_id")
    if day < incubatee.admitted_on or (incubatee.left_on is not None and day > incubatee.left_on):
        raise InvalidInput(_("The firm was not incubating on that day."), field="delivered_on")
    financing = values["category"].group == ServiceGroup.FINANCING
    if financing and values["amount"] is None:
        raise InvalidInput(_("Financing needs its amount."), field="amount")
    if not financing and values["amount"] is not None:
        raise InvalidInput(_("Only financing carries an amount."), field="amount")
    loan = values["category"] == ServiceCategory.FINANCE_GUARANTEED_LOAN
    if loan and not values["lender"]:
        raise InvalidInput(_("A guaranteed loan needs the lending bank."), field="lender")
    if not loan and values["lender"]:
        raise InvalidInput(_("Only a guaranteed loan has a lending bank."), field="lender")


def _delivery_read(row: Any) -> DeliveryRead:
    delivery, firm, service = row
    return _read(delivery, DeliveryRead, incubatee=firm, service=service)


R = TypeVar("R")


async def _paged(
    session: Any, statement: Any, convert: Callable[[Any], R], limit: int, offset: int
) -> tuple[list[R], int]:
    total = await session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    rows = await session.execute(statement.limit(limit).offset(offset))
    return [convert(row) for row in rows], total or 0
