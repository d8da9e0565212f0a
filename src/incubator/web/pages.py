"""The shell: home page per role, language switch, health."""

from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.guards import ANY_USER, PUBLIC, allow
from incubator.auth.models import CityRole
from incubator.auth.schemas import CurrentUser
from incubator.i18n import LOCALE_COOKIE, LOCALES
from incubator.parks.services import ParkService
from incubator.web.render import render


def safe_next(target: str | None) -> str:
    """A redirect target on this site only."""
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return "/"
    return target


@get("/", opt=allow(ANY_USER), name="home", include_in_schema=False)
async def home(
    request: Request[CurrentUser, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Template | Redirect:
    user = request.user
    if user.sees_every_park:
        by_district = await ParkService(session=db_session).counts_by_district_across_parks()
        return await render(request, "home/city.html", {"by_district": by_district})
    if user.city_role == CityRole.MENTOR:
        return Redirect("/my/mentees", status_code=303)
    if len(user.park_roles) == 1 and user.city_role is None:
        park_id, roles = next(iter(user.park_roles.items()))
        landing = f"/parks/{park_id}/portal" if roles == {"founder"} else f"/parks/{park_id}"
        return Redirect(landing, status_code=303)
    return await render(request, "home/member.html")


@get("/locale/{code:str}", opt=PUBLIC, name="set_locale", include_in_schema=False)
async def set_locale(code: FromPath[str], next: FromQuery[str | None] = None) -> Redirect:
    response = Redirect(safe_next(next), status_code=303)
    if code in LOCALES:
        response.set_cookie(LOCALE_COOKIE, code, max_age=365 * 24 * 3600, httponly=True, samesite="lax")
    return response


@get("/health", opt=PUBLIC, tags=["system"], summary="200 when the database answers, 503 when it does not")
async def health(db_session: NamedDependency[AsyncSession]) -> Response[dict[str, str]]:
    try:
        await db_session.execute(sa.text("select 1"))
    except Exception:
        return Response({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return Response({"status": "ok", "database": "ok"})
