import datetime
import enum
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType
from stdnum.cn import ric, uscc

from incubator.incubatees.models import (
    DecisionOutcome,
    Education,
    ExitReason,
    Gender,
    IncubateeStatus,
    IncubateeType,
    RecommendationKind,
    TargetGroup,
)
from incubator.schemas import Input

IncubateeName = Annotated[str, Meta(min_length=1, max_length=200)]
CreditCode = Annotated[str, Meta(pattern=r"^[0-9A-Z]{18}$", description="GB 32100 unified social credit code")]
Industry = Annotated[str, Meta(max_length=100)]
PersonName = Annotated[str, Meta(min_length=1, max_length=50)]
Phone = Annotated[str, Meta(pattern=r"^\+?[0-9][0-9 -]{4,18}$", max_length=20)]
IdNumber = Annotated[str, Meta(pattern=r"^[0-9]{17}[0-9X]$", description="GB 11643 resident ID number")]
BirthYear = Annotated[int, Meta(ge=1900, le=2100)]
Note = Annotated[str, Meta(max_length=500)]


def check_credit_code(value: str | None | UnsetType) -> None:
    if isinstance(value, str) and not uscc.is_valid(value):
        raise ValueError("Invalid check digit - at `$.credit_code`")


def check_id_number(value: str | None | UnsetType) -> None:
    """GB 11643: the check digit and a real birth date. The region is not checked against python-stdnum's
    table, which lacks current codes (濮阳县 410928, for one) and would refuse real people."""
    if not isinstance(value, str):
        return
    if value[-1] != ric.calc_check_digit(value):
        raise ValueError("Invalid check digit - at `$.id_number`")
    try:
        ric.get_birth_date(value)
    except ValueError:
        raise ValueError("Invalid birth date - at `$.id_number`") from None


class IncubateeCreate(Input):
    name: IncubateeName
    kind: IncubateeType
    credit_code: CreditCode | None = None
    registered_on: datetime.date | None = None
    industry: Industry = ""
    applied_on: datetime.date | None = None
    admitted_on: datetime.date | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        check_credit_code(self.credit_code)


class IncubateeUpdate(Input):
    name: IncubateeName | UnsetType = UNSET
    kind: IncubateeType | UnsetType = UNSET
    credit_code: CreditCode | None | UnsetType = UNSET
    registered_on: datetime.date | None | UnsetType = UNSET
    industry: Industry | UnsetType = UNSET

    def __post_init__(self) -> None:
        super().__post_init__()
        check_credit_code(self.credit_code)


class Admission(Input):
    admitted_on: datetime.date


class Departure(Input):
    """An incubatee leaves: graduated (reason: graduation criteria) or exited (any other reason)."""

    left_on: datetime.date
    reason: ExitReason
    note: Note = ""


class FollowUpCreate(Input):
    year_after: Annotated[int, Meta(ge=1, le=5)]
    followed_on: datetime.date
    operating: bool
    employees: Annotated[int, Meta(ge=0, le=100_000)] = 0
    note: Note = ""


class FollowUpRead(msgspec.Struct):
    id: UUID
    incubatee_id: UUID
    year_after: int
    followed_on: datetime.date
    operating: bool
    employees: int
    note: str


class FounderCreate(Input):
    name: PersonName
    target_group: TargetGroup
    phone: Phone | None = None
    id_number: IdNumber | None = None
    gender: Gender | None = None
    birth_year: BirthYear | None = None
    education: Education | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        check_id_number(self.id_number)


class FounderUpdate(Input):
    name: PersonName | UnsetType = UNSET
    target_group: TargetGroup | UnsetType = UNSET
    phone: Phone | None | UnsetType = UNSET
    id_number: IdNumber | None | UnsetType = UNSET
    gender: Gender | None | UnsetType = UNSET
    birth_year: BirthYear | None | UnsetType = UNSET
    education: Education | None | UnsetType = UNSET

    def __post_init__(self) -> None:
        super().__post_init__()
        check_id_number(self.id_number)


class FounderRead(msgspec.Struct):
    id: UUID
    incubatee_id: UUID
    name: str
    phone: str
    id_number_masked: str
    target_group: TargetGroup
    gender: Gender | None
    birth_year: int | None
    education: Education | None


class IdNumberRead(msgspec.Struct):
    founder_id: UUID
    id_number: str


class IncubateeRead(msgspec.Struct):
    id: UUID
    park_id: UUID
    name: str
    credit_code: str | None
    registered_on: datetime.date | None
    industry: str
    kind: IncubateeType
    status: IncubateeStatus
    applied_on: datetime.date
    admitted_on: datetime.date | None
    term_ends_on: datetime.date | None
    left_on: datetime.date | None
    exit_reason: ExitReason | None
    exit_note: str
    founders: list[FounderRead]


class IdNumbers(enum.StrEnum):
    """How an export shows founders' ID numbers: masked, or in full (for those who may reveal them; audited)."""

    MASKED = "masked"
    FULL = "full"


class IncubateeFilter(msgspec.Struct):
    q: str = ""
    status: IncubateeStatus | None = None
    kind: IncubateeType | None = None
    sort: str = "name"


class DecisionCreate(Input):
    """An operator's answer to a standing recommendation."""

    kind: RecommendationKind
    outcome: DecisionOutcome
    reason: Annotated[str, Meta(min_length=1, max_length=500)]


class DecisionRead(msgspec.Struct):
    id: UUID
    incubatee_id: UUID
    kind: RecommendationKind
    basis: str
    outcome: DecisionOutcome
    reason: str
    decided_on: datetime.date


class RecommendationRead(msgspec.Struct):
    incubatee_id: UUID
    name: str
    kind: RecommendationKind
    basis: str
    """What it rests on: the graduation criteria met, the term's end, or the periods whose reports are missing."""
