import datetime
import re
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from incubator.mentors.models import SessionMode, SessionStatus
from incubator.schemas import Input

Tag = Annotated[str, Meta(min_length=1, max_length=30)]
Tags = Annotated[list[Tag], Meta(max_length=20)]
MentorName = Annotated[str, Meta(min_length=1, max_length=50)]
Organisation = Annotated[str, Meta(max_length=200)]
Bio = Annotated[str, Meta(max_length=2000)]
Capacity = Annotated[int, Meta(ge=1, le=100)]
Availability = Annotated[str, Meta(max_length=200)]
Minutes = Annotated[int, Meta(ge=1, le=720)]
Topics = Annotated[str, Meta(min_length=1, max_length=200)]
Notes = Annotated[str, Meta(max_length=4000)]
FollowUps = Annotated[str, Meta(max_length=1000)]


OptionalPhone = Annotated[str, Meta(pattern=r"^(\+?[0-9][0-9 -]{4,18})?$", max_length=20)]


def normalise_phone(phone: str) -> str:
    """One spelling per number, so that the phone can be the trainee's key: no spaces or dashes, no +86."""
    digits = re.sub(r"[\s-]", "", phone)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix) and len(digits) > len(prefix) + 5:
            return digits[len(prefix) :]
    return digits


class _Phoned(Input):
    def __post_init__(self) -> None:
        super().__post_init__()
        phone = getattr(self, "phone", None)
        if isinstance(phone, str):
            setattr(self, "phone", normalise_phone(phone))  # noqa: B010  (every subclass has the field)


class MentorCreate(_Phoned):
    name: MentorName
    organisation: Organisation = ""
    phone: OptionalPhone = ""
    expertise: Tags = []
    bio: Bio = ""
    max_mentees: Capacity = 5
    availability: Availability = ""
    user_id: UUID | None = None


class MentorUpdate(_Phoned):
    name: MentorName | UnsetType = UNSET
    organisation: Organisation | UnsetType = UNSET
    phone: OptionalPhone | UnsetType = UNSET
    expertise: Tags | UnsetType = UNSET
    bio: Bio | UnsetType = UNSET
    max_mentees: Capacity | UnsetType = UNSET
    availability: Availability | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class MentorRead(msgspec.Struct):
    id: UUID
    user_id: UUID | None
    name: str
    organisation: str
    phone: str
    expertise: list[str]
    bio: str
    max_mentees: int
    availability: str
    active: bool


class AssignmentCreate(Input):
    mentor_id: UUID
    incubatee_id: UUID
    starts_on: datetime.date
    ends_on: datetime.date | None = None


class AssignmentEnd(Input):
    ends_on: datetime.date


class AssignmentRead(msgspec.Struct):
    id: UUID
    park_id: UUID
    mentor_id: UUID
    incubatee_id: UUID
    starts_on: datetime.date
    ends_on: datetime.date | None


class Mentee(msgspec.Struct):
    """An incubatee assigned to the mentor, in whichever park."""

    assignment_id: UUID
    park_id: UUID
    park: str
    incubatee_id: UUID
    incubatee: str
    starts_on: datetime.date
    ends_on: datetime.date | None


class SessionCreate(Input):
    assignment_id: UUID
    held_on: datetime.date
    minutes: Minutes
    mode: SessionMode
    topics: Topics
    notes: Notes = ""
    follow_ups: FollowUps = ""


class SessionUpdate(Input):
    held_on: datetime.date | UnsetType = UNSET
    minutes: Minutes | UnsetType = UNSET
    mode: SessionMode | UnsetType = UNSET
    topics: Topics | UnsetType = UNSET
    notes: Notes | UnsetType = UNSET
    follow_ups: FollowUps | UnsetType = UNSET


class SessionReturn(Input):
    reason: Annotated[str, Meta(min_length=1, max_length=500)]


class SessionRead(msgspec.Struct):
    id: UUID
    park_id: UUID
    assignment_id: UUID
    mentor_id: UUID
    incubatee_id: UUID
    held_on: datetime.date
    minutes: int
    mode: SessionMode
    topics: str
    notes: str
    follow_ups: str
    status: SessionStatus
    return_reason: str


class HoursInPark(msgspec.Struct):
    park_id: UUID
    park: str
    sessions: int
    minutes: int


class MentorHours(msgspec.Struct):
    year: int
    sessions: int
    minutes: int
    hours: float
    by_park: list[HoursInPark]
