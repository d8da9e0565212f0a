"""Who may call what: one guard for every route, driven by the route's ``roles`` option.

Every route declares ``opt={"roles": ...}`` (or ``exclude_from_auth``); a route that declares
nothing is refused. On a city-wide route only city roles count (``admin``, ``bureau``, ``mentor``;
``any`` lets every logged-in user in). On a route under ``/parks/{park_id}`` the roles are the
user's roles in that park: a user with no standing in the park gets 404, as if the park did not
exist, and one with the wrong role gets 403. A founder reaches only their own firm: under
``/parks/{park_id}/incubatees/{incubatee_id}`` any other firm is 404 to them. The guard also binds
the request's database session to the user (for the audit trail) and to the park (for the tenancy
safety net).
"""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from incubator.audit.trail import bind_actor
from incubator.auth.models import ParkRole
from incubator.auth.schemas import CurrentUser
from incubator.db.session import request_session
from incubator.db.tenancy import bind_park
from incubator.i18n import _

ROLES = "roles"
ANY_USER = "any"
"""Any authenticated user."""
PUBLIC = {"exclude_from_auth": True}


def allow(*roles: str) -> dict[str, Any]:
    """The ``opt`` of a route that the given roles may call."""
    return {ROLES: frozenset(roles)}


def allowed_roles(handler: BaseRouteHandler) -> frozenset[str] | None:
    return handler.opt.get(ROLES)


async def authorize(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    if handler.opt.get("exclude_from_auth") or connection.scope.get("method") == "OPTIONS":
        return
    user: CurrentUser = connection.user
    allowed: Iterable[str] | None = allowed_roles(handler)
    if allowed is None:
        raise PermissionDeniedException(_("This route declares no roles."))
    session = request_session(connection)
    bind_actor(session, user.id, user.email)
    park_id: UUID | None = connection.path_params.get("park_id")
    if park_id is not None:
        held = user.roles_in_park(park_id)
        if not held:
            raise NotFoundException(_("No such park."))
        bind_park(session, park_id)
    else:
        held = frozenset({user.city_role.value}) if user.city_role else frozenset()
    if ANY_USER not in allowed and not held & set(allowed):
        raise PermissionDeniedException(_("Your role does not allow this."))
    if park_id is not None and held & set(allowed) == {ParkRole.FOUNDER}:
        incubatee_id: UUID | None = connection.path_params.get("incubatee_id")
        if incubatee_id is not None and user.founder_of.get(park_id) != incubatee_id:
            raise NotFoundException(_("No such incubatee."))
