from typing import Any

from litestar import Request
from litestar.response import Template

from incubator.auth.schemas import CurrentUser
from incubator.db.session import request_session
from incubator.i18n import LOCALES, current_locale
from incubator.parks.services import ParkService


async def render(
    request: Request[Any, Any, Any],
    template: str,
    context: dict[str, Any] | None = None,
    *,
    partial: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Template:
    """A full page, or for an htmx request the ``partial`` template when the page has one."""
    user: CurrentUser | None = request.scope.get("user")
    headers = {**({"Vary": "HX-Request"} if partial else {}), **(headers or {})}
    wants_fragment = request.headers.get("hx-request") == "true" and not request.headers.get(
        "hx-history-restore-request"
    )
    if partial and wants_fragment:
        return Template(partial, context=context or {}, status_code=status_code, headers=headers)
    switcher: dict[Any, str] = {}
    if user is not None and user.park_roles:
        switcher = await ParkService(session=request_session(request)).parks_named(list(user.park_roles))
    full = {**shell_context(request), "park_switcher": list(switcher.items())}  # parks_named: by pinyin
    return Template(template, context={**full, **(context or {})}, status_code=status_code, headers=headers)


def shell_context(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """What the base layout needs on every page, error pages included."""
    return {"user": request.scope.get("user"), "park_switcher": [], "locale": current_locale(), "locales": LOCALES}
