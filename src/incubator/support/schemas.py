import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from incubator.schemas import DecimalRange, Input, check_decimals
from incubator.support.models import RequestedBy, RequestStatus, ServiceCategory, ServiceGroup

_DECIMALS = {
    "hours": DecimalRange(Decimal(0), Decimal(1000)),
    "amount": DecimalRange(Decimal("0.01"), Decimal(1_000_000_000)),
    "fee": DecimalRange(Decimal(0), Decimal(100_000_000)),
}
ServiceName = Annotated[str, Meta(min_length=1, max_length=100)]
Description = Annotated[str, Meta(max_length=1000)]
Provider = Annotated[str, Meta(max_length=200)]
Need = Annotated[str, Meta(min_length=1, max_length=1000)]
Outcome = Annotated[str, Meta(max_length=1000)]
Comment = Annotated[str, Meta(max_length=500)]
CENT = Decimal("0.01")


def _checked_decimals(struct: Input) -> None:
    """Hours and yuan within their ranges, then kept with two places, as the database stores them."""
    check_decimals(struct, _DECIMALS)
    for field in _DECIMALS:
        value = getattr(struct, field, UNSET)
        if isinstance(value, Decimal):
            setattr(struct, field, value.quantize(CENT))


class SupportServiceCreate(Input):
    name: ServiceName
    category: ServiceCategory
    description: Description = ""
    provider: Provider = ""


class SupportServiceUpdate(Input):
    name: ServiceName | UnsetType = UNSET
    category: ServiceCategory | UnsetType = UNSET
    description: Description | UnsetType = UNSET
    provider: Provider | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET


class SupportServiceRead(msgspec.Struct):
    id: UUID
    name: str
    category: ServiceCategory
    group: ServiceGroup
    description: str
    provider: str
    is_active: bool


class ServiceRequestCreate(Input):
    service_id: UUID
    need: Need
    requested_on: datetime.date | None = None
    """Today when left out; staff recording a request made by phone may date it earlier."""


class RequestDecline(Input):
    reason: Annotated[str, Meta(min_length=1, max_length=500)]


class ServiceRequestRead(msgspec.Struct):
    id: UUID
    incubatee_id: UUID
    incubatee: str
    service_id: UUID
    service: str
    category: ServiceCategory
    need: str
    requested_on: datetime.date
    requested_by: RequestedBy
    status: RequestStatus
    decline_reason: str
    delivery_id: UUID | None


class DeliveryCreate(Input):
    incubatee_id: UUID
    service_id: UUID
    delivered_on: datetime.date
    request_id: UUID | None = None
    hours: Decimal = Decimal(0)
    provider: Provider = ""
    """The catalog entry's provider when left empty."""
    outcome: Outcome = ""
    amount: Decimal | None = None
    lender: Provider = ""
    fee: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        super().__post_init__()
        _checked_decimals(self)


class DeliveryUpdate(Input):
    service_id: UUID | UnsetType = UNSET
    delivered_on: datetime.date | UnsetType = UNSET
    hours: Decimal | UnsetType = UNSET
    provider: Provider | UnsetType = UNSET
    outcome: Outcome | UnsetType = UNSET
    amount: Decimal | None | UnsetType = UNSET
    lender: Provider | UnsetType = UNSET
    fee: Decimal | UnsetType = UNSET

    def __post_init__(self) -> None:
        super().__post_init__()
        _checked_decimals(self)


class Rating(Input):
    satisfaction: Annotated[int, Meta(ge=1, le=5)]
    comment: Comment = ""


class DeliveryRead(msgspec.Struct):
    id: UUID
    incubatee_id: UUID
    incubatee: str
    service_id: UUID
    service: str
    category: ServiceCategory
    group: ServiceGroup
    request_id: UUID | None
    delivered_on: datetime.date
    hours: Decimal
    provider: str
    outcome: str
    amount: Decimal | None
    lender: str
    fee: Decimal
    satisfaction: int | None
    rating_comment: str
    rated_at: datetime.datetime | None


class DeliveryFilter(msgspec.Struct):
    q: str = ""
    incubatee_id: UUID | None = None
    category: ServiceCategory | None = None
    group: ServiceGroup | None = None
    first_day: datetime.date | None = None
    last_day: datetime.date | None = None
