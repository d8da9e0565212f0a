"""Query parameters shared by every list: paging, as a dependency so OpenAPI documents it."""

from typing import Annotated

from litestar.params import QueryParameter

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
