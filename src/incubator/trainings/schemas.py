import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from incubator.incubatees.models import Gender, TargetGroup
from incubator.incubatees.schemas import PersonName, Phone
from incubator.mentors.schemas import Bio, MentorName, OptionalPhone, Organisation, Tags, _Phoned
from incubator.schemas import DecimalRange, Input, check_decimals
from incubator.trainings.models import Attendance, TrainingKind

Title = Annotated[str, Meta(min_length=1, max_length=200)]
Institution = Annotated[str, Meta(max_length=200)]
Location = Annotated[str, Meta(max_length=200)]
Description = Annotated[str, Meta(max_length=2000)]
Capacity = Annotated[int, Meta(ge=1, le=10_000)]
_HOURS = {"hours": DecimalRange(Decimal("0.1"), Decimal(1000), places=1)}


def _check_hours(struct: msgspec.Struct) -> None:
    """Hours in tenths, positive (a half-day forum is 3.5)."""
    check_decimals(struct, _HOURS)
    if isinstance(getattr(struct, "hours", None), Decimal):
        setattr(struct, "hours", getattr(struct, "hours").quantize(Decimal("0.1")))  # noqa: B009, B010


class TrainerCreate(_Phoned):
    name: MentorName
    organisation: Organisation = ""
    specialties: Tags = []
    phone: OptionalPhone = ""
    bio: Bio = ""


class TrainerUpdate(_Phoned):
    name: MentorName | UnsetType = UNSET
    organisation: Organisation | UnsetType = UNSET
    specialties: Tags | UnsetType = UNSET
    phone: OptionalPhone | UnsetType = UNSET
    bio: Bio | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class TrainerRead(msgspec.Struct):
    id: UUID
    name: str
    organisation: str
    specialties: list[str]
    phone: str
    bio: str
    active: bool


class TrainingCreate(Input):
    title: Title
    kind: TrainingKind
    starts_on: datetime.date
    ends_on: datetime.date
    hours: Decimal
    capacity: Capacity
    provider: Institution = ""
    trainer_id: UUID | None = None
    location: Location = ""
    description: Description = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_hours(self)


class TrainingUpdate(Input):
    title: Title | UnsetType = UNSET
    kind: TrainingKind | UnsetType = UNSET
    starts_on: datetime.date | UnsetType = UNSET
    ends_on: datetime.date | UnsetType = UNSET
    hours: Decimal | UnsetType = UNSET
    capacity: Capacity | UnsetType = UNSET
    provider: Institution | UnsetType = UNSET
    trainer_id: UUID | None | UnsetType = UNSET
    location: Location | UnsetType = UNSET
    description: Description | UnsetType = UNSET

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_hours(self)


class TrainingRead(msgspec.Struct):
    id: UUID
    park_id: UUID
    title: str
    kind: TrainingKind
    starts_on: datetime.date
    ends_on: datetime.date
    hours: Decimal
    capacity: int
    enrolled: int
    """Places taken: every enrolment, whatever its attendance."""
    provider: str
    trainer_id: UUID | None
    location: str
    description: str


class TrainingFilter(msgspec.Struct):
    q: str = ""
    kind: TrainingKind | None = None
    first_day: datetime.date | None = None
    last_day: datetime.date | None = None


class TraineeUpdate(_Phoned):
    """``incubatee_id`` links the trainee to the firm they registered in this park (null unlinks)."""

    name: PersonName | UnsetType = UNSET
    phone: Phone | UnsetType = UNSET
    target_group: TargetGroup | UnsetType = UNSET
    gender: Gender | None | UnsetType = UNSET
    incubatee_id: UUID | None | UnsetType = UNSET


class TraineeRead(msgspec.Struct):
    id: UUID
    park_id: UUID
    name: str
    phone: str
    target_group: TargetGroup
    gender: Gender | None
    incubatee_id: UUID | None


class TraineeTraining(msgspec.Struct):
    enrolment_id: UUID
    training_id: UUID
    title: str
    kind: TrainingKind
    starts_on: datetime.date
    ends_on: datetime.date
    attendance: Attendance


class TraineeDetail(msgspec.Struct):
    trainee: TraineeRead
    trainings: list[TraineeTraining]


class TraineeFilter(msgspec.Struct):
    q: str = ""
    linked: bool | None = None
    incubatee_id: UUID | None = None


class EnrolmentCreate(_Phoned):
    """An existing trainee of the park by ``trainee_id``, or a person by name, phone and target group:
    a phone the park already knows enrols that trainee, a new one registers the person."""

    trainee_id: UUID | None = None
    name: PersonName | None = None
    phone: Phone | None = None
    target_group: TargetGroup | None = None
    gender: Gender | None = None
    enrolled_on: datetime.date | None = None
    attendance: Attendance = Attendance.ENROLLED


class EnrolmentUpdate(Input):
    attendance: Attendance


class Roll(Input):
    """The roll call of a training: the enrolments present; every other enrolment is marked absent."""

    attended: Annotated[list[UUID], Meta(max_length=10_000)] = []


class EnrolmentRead(msgspec.Struct):
    id: UUID
    training_id: UUID
    trainee_id: UUID
    name: str
    phone: str
    target_group: TargetGroup
    incubatee_id: UUID | None
    enrolled_on: datetime.date
    attendance: Attendance
