import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from incubator.schemas import DecimalRange, Input, check_decimals
from incubator.space.models import UnitKind

_MONEY = DecimalRange(Decimal(0), Decimal(100_000_000))
_DECIMALS = {
    "area_m2": DecimalRange(Decimal(0), Decimal(1_000_000)),
    "monthly_rent": _MONEY,
    "deposit": _MONEY,
}
UnitCode = Annotated[str, Meta(min_length=1, max_length=32)]


class BuildingCreate(Input):
    name: Annotated[str, Meta(min_length=1, max_length=100)]
    address: Annotated[str, Meta(max_length=300)] = ""


class BuildingRead(msgspec.Struct):
    id: UUID
    name: str
    address: str


class UnitCreate(Input):
    building_id: UUID
    code: UnitCode
    kind: UnitKind
    area_m2: Decimal
    seats: Annotated[int, Meta(ge=0, le=10_000)] = 0
    monthly_rent: Decimal = Decimal(0)
    free_or_common: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        check_decimals(self, _DECIMALS)


class UnitUpdate(Input):
    code: UnitCode | UnsetType = UNSET
    kind: UnitKind | UnsetType = UNSET
    area_m2: Decimal | UnsetType = UNSET
    seats: Annotated[int, Meta(ge=0, le=10_000)] | UnsetType = UNSET
    monthly_rent: Decimal | UnsetType = UNSET
    free_or_common: bool | UnsetType = UNSET

    def __post_init__(self) -> None:
        super().__post_init__()
        check_decimals(self, _DECIMALS)


class UnitRead(msgspec.Struct):
    id: UUID
    building_id: UUID
    code: str
    kind: UnitKind
    area_m2: Decimal
    seats: int
    monthly_rent: Decimal
    free_or_common: bool


class LeaseCreate(Input):
    unit_id: UUID
    incubatee_id: UUID
    starts_on: datetime.date
    ends_on: datetime.date
    monthly_rent: Decimal
    rent_free_until: datetime.date | None = None
    deposit: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        super().__post_init__()
        check_decimals(self, _DECIMALS)


class LeaseUpdate(Input):
    """Changing a running lease: end it early (or extend it), change the rent terms."""

    ends_on: datetime.date | UnsetType = UNSET
    monthly_rent: Decimal | UnsetType = UNSET
    rent_free_until: datetime.date | None | UnsetType = UNSET
    deposit: Decimal | UnsetType = UNSET

    def __post_init__(self) -> None:
        super().__post_init__()
        check_decimals(self, _DECIMALS)


class LeaseRead(msgspec.Struct):
    id: UUID
    unit_id: UUID
    incubatee_id: UUID
    starts_on: datetime.date
    ends_on: datetime.date
    monthly_rent: Decimal
    rent_free_until: datetime.date | None
    deposit: Decimal


class LeaseFilter(msgspec.Struct):
    unit_id: UUID | None = None
    incubatee_id: UUID | None = None
    active_on: datetime.date | None = None


class Occupancy(msgspec.Struct):
    """Occupied share of the rentable space (free and common-use units left out), over a period:
    day-weighted, so a unit let for half the period counts half."""

    building_id: UUID | None
    building: str
    rentable_area_m2: Decimal
    occupied_area_m2: Decimal
    area_rate: float
    seats: int
    occupied_seats: float
    seat_rate: float
