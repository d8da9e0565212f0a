from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from incubator.auth.deps import provide_token_service, provide_user_service
from incubator.auth.guards import ANY_USER, PUBLIC, allow
from incubator.auth.middleware import SESSION_COOKIE
from incubator.auth.models import CityRole, ParkRole, TokenKind
from incubator.auth.schemas import LoginForm, MembershipCreate, UserCreate, UserUpdate
from incubator.auth.services import TokenService, UserService, locks_of
from incubator.config import Settings
from incubator.db.session import request_session
from incubator.errors import TooManyAttempts
from incubator.i18n import _
from incubator.parks.deps import provide_park_service
from incubator.parks.services import ParkService
from incubator.web.forms import parse_form, submit_form
from incubator.web.pages import safe_next
from incubator.web.params import PageParams
from incubator.web.render import render


class LoginPages(Controller):
    dependencies = {"tokens": Provide(provide_token_service)}
    include_in_schema = False

    @get("/login", opt=PUBLIC, name="login")
    async def login_form(self, request: Request, next: FromQuery[str | None] = None) -> Template:
        return await render(request, "auth/login.html", {"form": {"next": safe_next(next)}, "errors": {}})

    @post("/login", opt=PUBLIC)
    async def login(
        self, request: Request, tokens: NamedDependency[TokenService], settings: NamedDependency[Settings]
    ) -> Template | Redirect:
        form, errors = parse_form(await request.form(), LoginForm)
        status_code, headers = 400, {}
        try:
            user = await tokens.authenticate(form.email, form.password) if form else None
        except TooManyAttempts as locked:
            user, errors, status_code, headers = None, {"": locked.message}, locked.status_code, locked.headers
        if form is None or user is None:
            errors = errors or {"": _("The e-mail or password is wrong, or the account is disabled.")}
            shown = {"email": form.email if form else "", "next": safe_next(form.next if form else None)}
            context = {"form": shown, "errors": errors}
            return await render(request, "auth/login.html", context, status_code=status_code, headers=headers)
        secret, _token = await tokens.issue(user, TokenKind.SESSION, settings.session_max_age_seconds)
        response = Redirect(safe_next(form.next), status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            secret,
            max_age=settings.session_max_age_seconds,
            httponly=True,
            samesite="lax",
            secure=settings.environment == "production",
        )
        return response

    @post("/logout", opt=allow(ANY_USER), name="logout")
    async def logout(self, request: Request, tokens: NamedDependency[TokenService]) -> Redirect:
        await tokens.revoke(request.auth)
        response = Redirect("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response


# The create form has one park role; its fields stand for the first membership of UserCreate.
_MEMBERSHIP_FIELDS = {
    "memberships[0]": "park_role",
    "memberships[0].park_id": "park_id",
    "memberships[0].role": "park_role",
}


class UserPages(Controller):
    """Accounts, for the administrator."""

    path = "/users"
    opt = allow("admin")
    include_in_schema = False
    dependencies = {"users": Provide(provide_user_service), "parks": Provide(provide_park_service)}

    @get("", name="users")
    async def list_users(
        self,
        request: Request,
        users: NamedDependency[UserService],
        parks: NamedDependency[ParkService],
        page: NamedDependency[PageParams],
        q: Annotated[str, QueryParameter(max_length=254)] = "",
    ) -> Template:
        items, total = await users.list_users(q, limit=page.limit, offset=page.offset)
        park_ids = {m.park_id for u in items for m in u.memberships}
        context = {
            "users": items,
            "locks": await locks_of(users.repository.session, [user.email for user in items]),
            "total": total,
            "page": page,
            "q": q,
            "park_names": await parks.parks_named(list(park_ids)),
        }
        return await render(request, "auth/users.html", context, partial="auth/_user_rows.html")

    @get("/new", name="user_new")
    async def new_user(self, request: Request, parks: NamedDependency[ParkService]) -> Template:
        return await self._form(request, parks, None, {}, {})

    @post("/new")
    async def create_user(
        self, request: Request, users: NamedDependency[UserService], parks: NamedDependency[ParkService]
    ) -> Template | Redirect:
        submitted = await request.form()
        values: dict[str, Any] = dict(submitted)
        values["city_role"] = values.get("city_role") or None
        if submitted.get("park_id") or submitted.get("park_role"):
            values["memberships"] = [{"park_id": submitted.get("park_id"), "role": submitted.get("park_role")}]

        async def save(data: UserCreate) -> str:
            return f"/users/{(await users.create_user(data)).id}/edit"

        redirect, errors = await submit_form(values, UserCreate, save)
        if redirect:
            return redirect
        errors = {_MEMBERSHIP_FIELDS.get(key, key): message for key, message in errors.items()}
        return await self._form(request, parks, None, dict(submitted), errors, status_code=400)

    @get("/{user_id:uuid}/edit", name="user_edit")
    async def edit_user(
        self,
        request: Request,
        users: NamedDependency[UserService],
        parks: NamedDependency[ParkService],
        user_id: FromPath[UUID],
    ) -> Template:
        return await self._form(request, parks, await users.get_user(user_id), {}, {})

    @post("/{user_id:uuid}/edit")
    async def update_user(
        self,
        request: Request,
        users: NamedDependency[UserService],
        parks: NamedDependency[ParkService],
        user_id: FromPath[UUID],
    ) -> Template | Redirect:
        submitted = await request.form()
        values: dict[str, Any] = dict(submitted)
        values["city_role"] = values.get("city_role") or None
        if not values.get("password"):
            values.pop("password", None)

        async def save(data: UserUpdate) -> str:
            await users.update_user(user_id, data)
            return f"/users/{user_id}/edit"

        redirect, errors = await submit_form(values, UserUpdate, save)
        return redirect or await self._form(
            request, parks, await users.get_user(user_id), dict(submitted), errors, status_code=400
        )

    @post("/{user_id:uuid}/memberships")
    async def add_membership(
        self,
        request: Request,
        users: NamedDependency[UserService],
        parks: NamedDependency[ParkService],
        user_id: FromPath[UUID],
    ) -> Template | Redirect:

        async def save(data: MembershipCreate) -> str:
            await users.add_membership(user_id, data)
            return f"/users/{user_id}/edit"

        redirect, errors = await submit_form(await request.form(), MembershipCreate, save)
        return redirect or await self._form(request, parks, await users.get_user(user_id), {}, errors, status_code=400)

    @post("/{user_id:uuid}/memberships/{membership_id:uuid}/delete")
    async def remove_membership(
        self, users: NamedDependency[UserService], user_id: FromPath[UUID], membership_id: FromPath[UUID]
    ) -> Redirect:
        await users.remove_membership(user_id, membership_id)
        return Redirect(f"/users/{user_id}/edit", status_code=303)

    async def _form(
        self,
        request: Request,
        parks: NamedDependency[ParkService],
        user: Any,
        submitted: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        all_parks = await parks.parks_named(None)
        context = {
            "account": user,
            "locked_until": (await locks_of(request_session(request), [user.email])).get(user.email) if user else None,
            "form": submitted,
            "errors": errors,
            "parks": list(all_parks.items()),
            "park_names": all_parks,
            "city_roles": list(CityRole),
            "park_roles": [ParkRole.OPERATOR],  # founders get their accounts from their firm's page
        }
        return await render(request, "auth/user_form.html", context, status_code=status_code)
