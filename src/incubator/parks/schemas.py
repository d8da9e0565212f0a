import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from incubator.parks.models import ParkKind, ParkLevel, ReportFrequency
from incubator.schemas import DecimalRange, Input, check_decimals

ParkName = Annotated[str, Meta(min_length=1, max_length=200)]
ParkCode = Annotated[str, Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{1,31}$", max_length=32)]
District = Annotated[str, Meta(min_length=1, max_length=50)]
Township = Annotated[str, Meta(max_length=100)]
Address = Annotated[str, Meta(max_length=300)]
Organisation = Annotated[str, Meta(max_length=200)]
DueDays = Annotated[int, Meta(ge=0, le=90)]
_DECIMALS = {"incubation_area_m2": DecimalRange(Decimal(0), Decimal(10_000_000))}


class ParkCreate(Input):
    name: ParkName
    code: ParkCode
    kind: ParkKind
    level: ParkLevel
    district: District
    township: Township = ""
    address: Address = ""
    incubation_area_m2: Decimal = Decimal(0)
    operating_organisation: Organisation = ""
    recognised_on: datetime.date | None = None
    report_frequency: ReportFrequency = ReportFrequency.QUARTERLY
    report_due_days: DueDays = 15

    def __post_init__(self) -> None:
        super().__post_init__()
        check_decimals(self, _DECIMALS)


class ParkUpdate(Input):
    name: ParkName | UnsetType = UNSET
    code: ParkCode | UnsetType = UNSET
    kind: ParkKind | UnsetType = UNSET
    level: ParkLevel | UnsetType = UNSET
    district: District | UnsetType = UNSET
    township: Township | UnsetType = UNSET
    address: Address | UnsetType = UNSET
    incubation_area_m2: Decimal | UnsetType = UNSET
    operating_organisation: Organisation | UnsetType = UNSET
    recognised_on: datetime.date | UnsetType | None = UNSET
    report_frequency: ReportFrequency | UnsetType = UNSET
    report_due_days: DueDays | UnsetType = UNSET

    def __post_init__(self) -> None:
        super().__post_init__()
        check_decimals(self, _DECIMALS)


class ParkRead(msgspec.Struct):
    id: UUID
    name: str
    code: str
    kind: ParkKind
    level: ParkLevel
    district: str
    township: str
    address: str
    incubation_area_m2: Decimal
    operating_organisation: str
    recognised_on: datetime.date | None
    report_frequency: ReportFrequency
    report_due_days: int


class ParkFilter(msgspec.Struct):
    q: str = ""
    district: str = ""
    kind: ParkKind | None = None
    level: ParkLevel | None = None
