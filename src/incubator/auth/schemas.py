import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, Meta, UnsetType

from incubator.auth.models import CityRole, ParkRole
from incubator.schemas import Input

Email = Annotated[str, Meta(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
DisplayName = Annotated[str, Meta(min_length=1, max_length=100)]
Password = Annotated[str, Meta(min_length=1, max_length=200)]


class TokenRequest(Input):
    email: Email
    password: Password


class TokenResponse(msgspec.Struct):
    access_token: str
    expires_at: datetime.datetime
    token_type: str = "bearer"  # noqa: S105


class LoginForm(msgspec.Struct):
    email: Annotated[str, Meta(max_length=254)] = ""
    password: Annotated[str, Meta(max_length=200)] = ""
    next: Annotated[str, Meta(max_length=500)] = "/"


class MembershipCreate(Input):
    park_id: UUID
    role: ParkRole
    incubatee_id: UUID | None = None
    """For a founder: the firm whose portal they use (required for founders, refused for others)."""


class MembershipRead(msgspec.Struct):
    id: UUID
    park_id: UUID
    role: ParkRole
    incubatee_id: UUID | None = None


class UserCreate(Input):
    email: Email
    display_name: DisplayName
    password: Password
    city_role: CityRole | None = None
    memberships: list[MembershipCreate] = []


class PortalAccountCreate(Input):
    """A founder's login to the portal of their firm, made by the park."""

    email: Email
    display_name: DisplayName
    password: Password


class PortalAccountRead(msgspec.Struct):
    id: UUID
    email: str
    display_name: str
    is_active: bool


class UserUpdate(Input):
    display_name: DisplayName | UnsetType = UNSET
    password: Password | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET
    city_role: CityRole | UnsetType | None = UNSET


class UserRead(msgspec.Struct):
    id: UUID
    email: str
    display_name: str
    is_active: bool
    city_role: CityRole | None
    memberships: list[MembershipRead]
    locked_until: datetime.datetime | None = None
    """Locked after too many wrong passwords, until then; a new password unlocks it."""


class CurrentUser(msgspec.Struct, frozen=True):
    """The authenticated user of a request, detached from the database session."""

    id: UUID
    email: str
    display_name: str
    city_role: CityRole | None
    park_roles: dict[UUID, frozenset[str]]
    token_id: UUID
    founder_of: dict[UUID, UUID] = {}
    """Park → the incubatee whose portal this founder uses there."""

    @property
    def sees_every_park(self) -> bool:
        """Administrators and bureau reviewers read every park."""
        return self.city_role in (CityRole.ADMIN, CityRole.BUREAU)

    def roles_in_park(self, park_id: UUID) -> frozenset[str]:
        """The roles this user holds in a park: its memberships, and the city roles that see every park."""
        roles = set(self.park_roles.get(park_id, ()))
        if self.sees_every_park and self.city_role is not None:
            roles.add(self.city_role.value)
        return frozenset(roles)

    @property
    def roles(self) -> frozenset[str]:
        """Every role this user holds anywhere."""
        held = {role for roles in self.park_roles.values() for role in roles}
        if self.city_role is not None:
            held.add(self.city_role.value)
        return frozenset(held)
