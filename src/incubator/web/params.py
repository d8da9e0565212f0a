"""Query parameters shared by every list: paging, as a dependency so OpenAPI documents it."""

from typing import Annotated

from litestar.params import QueryParameter
from litestar.types import ASGIApp, Receive, Scope, Send

from incubator.paging import DEFAULT_LIMIT, MAX_LIMIT


class PageParams:
    __slots__ = ("limit", "offset")

    def __init__(self, limit: int, offset: int) -> None:
        self.limit = limit
        self.offset = offset


def provide_page_params(
    limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    offset: Annotated[int, QueryParameter(ge=0, le=10_000_000)] = 0,
) -> PageParams:
    return PageParams(limit, offset)


class EmptyFiltersMiddleware:
    """A page's filter form sends every field, chosen or not (``?status=&kind=``); on pages an empty
    query value means "no filter", so it is dropped before the parameters are parsed. The API keeps
    its strict parsing: a client omits what it does not filter on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("query_string") and not scope["path"].startswith("/api/"):
            pairs = scope["query_string"].split(b"&")
            kept = [pair for pair in pairs if pair.partition(b"=")[2]]
            if len(kept) != len(pairs):
                # In place: a copy of the scope would hide from the app what is stored in it on the way (the
                # request's database session, which then is never closed and leaks its connection).
                scope["query_string"] = b"&".join(kept)
        await self.app(scope, receive, send)
