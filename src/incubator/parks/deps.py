from typing import Annotated

from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.parks.models import ParkKind, ParkLevel
from incubator.parks.schemas import ParkFilter
from incubator.parks.services import ParkService


async def provide_park_service(db_session: NamedDependency[AsyncSession]) -> ParkService:
    return ParkService(session=db_session)


def provide_park_filter(
    q: Annotated[str, QueryParameter(max_length=100, description="Search in name and code")] = "",
    district: Annotated[str, QueryParameter(max_length=50)] = "",
    kind: Annotated[ParkKind | None, QueryParameter()] = None,
    level: Annotated[ParkLevel | None, QueryParameter()] = None,
) -> ParkFilter:
    return ParkFilter(q=q, district=district, kind=kind, level=level)
