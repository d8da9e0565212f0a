from collections.abc import Sequence
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotAuthorizedException
from litestar.params import FromPath, JSONBody, QueryParameter

from incubator.auth.deps import provide_token_service, provide_user_service
from incubator.auth.guards import ANY_USER, PUBLIC, allow
from incubator.auth.models import TokenKind, User
from incubator.auth.schemas import (
    CurrentUser,
    MembershipCreate,
    MembershipRead,
    PortalAccountCreate,
    PortalAccountRead,
    TokenRequest,
    TokenResponse,
    UserCreate,
    UserRead,
    UserUpdate,
)
from incubator.auth.services import TokenService, UserService, locks_of
from incubator.config import Settings
from incubator.i18n import _
from incubator.paging import Page
from incubator.web.params import PageParams


async def user_reads(users: UserService, accounts: Sequence[User]) -> list[UserRead]:
    """The accounts as read, each with its login lock if one holds now."""
    locks = await locks_of(users.repository.session, [user.email for user in accounts])
    return [
        UserRead(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            is_active=user.is_active,
            city_role=user.city_role,
            locked_until=locks.get(user.email),
            memberships=[
                MembershipRead(id=m.id, park_id=m.park_id, role=m.role, incubatee_id=m.incubatee_id)
                for m in user.memberships
            ],
        )
        for user in accounts
    ]


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]
    dependencies = {"tokens": Provide(provide_token_service)}

    @post("/token", opt=PUBLIC, summary="Log in and receive a bearer token")
    async def issue_token(
        self, data: JSONBody[TokenRequest], tokens: NamedDependency[TokenService], settings: NamedDependency[Settings]
    ) -> TokenResponse:
        user = await tokens.authenticate(data.email, data.password)
        if user is None:
            raise NotAuthorizedException(_("The e-mail or password is wrong, or the account is disabled."))
        secret, token = await tokens.issue(user, TokenKind.API, settings.token_max_age_seconds)
        return TokenResponse(access_token=secret, expires_at=token.expires_at)

    @delete("/token", opt=allow(ANY_USER), summary="Revoke the token of this request")
    async def revoke_token(self, request: Request, tokens: NamedDependency[TokenService]) -> None:
        await tokens.revoke(request.auth)

    @get("/me", opt=allow(ANY_USER), summary="The caller's account and roles")
    async def me(self, request: Request) -> CurrentUser:
        return request.user


class UserController(Controller):
    path = "/api/users"
    tags = ["users"]
    opt = allow("admin")
    dependencies = {"users": Provide(provide_user_service)}

    @get("", summary="List accounts")
    async def list_users(
        self,
        users: NamedDependency[UserService],
        page: NamedDependency[PageParams],
        q: Annotated[str, QueryParameter(max_length=254, description="Part of the e-mail or name")] = "",
    ) -> Page[UserRead]:
        items, total = await users.list_users(q, limit=page.limit, offset=page.offset)
        return Page(await user_reads(users, items), total, page.limit, page.offset)

    @post("", summary="Create an account")
    async def create_user(self, users: NamedDependency[UserService], data: JSONBody[UserCreate]) -> UserRead:
        [read] = await user_reads(users, [await users.create_user(data)])
        return read

    @get("/{user_id:uuid}", summary="One account")
    async def get_user(self, users: NamedDependency[UserService], user_id: FromPath[UUID]) -> UserRead:
        [read] = await user_reads(users, [await users.get_user(user_id)])
        return read

    @patch("/{user_id:uuid}", summary="Edit an account; deactivating it ends its logins")
    async def update_user(
        self, users: NamedDependency[UserService], user_id: FromPath[UUID], data: JSONBody[UserUpdate]
    ) -> UserRead:
        [read] = await user_reads(users, [await users.update_user(user_id, data)])
        return read

    @post("/{user_id:uuid}/memberships", summary="Give the account a role in a park")
    async def add_membership(
        self, users: NamedDependency[UserService], user_id: FromPath[UUID], data: JSONBody[MembershipCreate]
    ) -> MembershipRead:
        membership = await users.add_membership(user_id, data)
        return MembershipRead(id=membership.id, park_id=membership.park_id, role=membership.role)

    @delete("/{user_id:uuid}/memberships/{membership_id:uuid}", summary="Take a park role away")
    async def remove_membership(
        self, users: NamedDependency[UserService], user_id: FromPath[UUID], membership_id: FromPath[UUID]
    ) -> None:
        await users.remove_membership(user_id, membership_id)


def portal_account_read(user: User) -> PortalAccountRead:
    return PortalAccountRead(id=user.id, email=user.email, display_name=user.display_name, is_active=user.is_active)


class PortalAccountController(Controller):
    """Founders' logins, given by their park and tied to their firm."""

    path = "/api/parks/{park_id:uuid}/incubatees/{incubatee_id:uuid}/portal-accounts"
    tags = ["accounts"]
    dependencies = {"users": Provide(provide_user_service)}

    @get("", opt=allow("admin", "bureau", "operator"), summary="The firm's founders who can log in to the portal")
    async def list_portal_accounts(
        self, users: NamedDependency[UserService], park_id: FromPath[UUID], incubatee_id: FromPath[UUID]
    ) -> list[PortalAccountRead]:
        return [portal_account_read(u) for u in await users.portal_accounts(park_id, incubatee_id)]

    @post("", opt=allow("admin", "operator"), summary="Give a founder of the firm a portal login")
    async def create_portal_account(
        self,
        users: NamedDependency[UserService],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
        data: JSONBody[PortalAccountCreate],
    ) -> PortalAccountRead:
        return portal_account_read(await users.create_portal_account(park_id, incubatee_id, data))
