from typing import Annotated
from uuid import UUID

from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.config import Settings
from incubator.incubatees.models import IncubateeStatus, IncubateeType
from incubator.incubatees.schemas import IncubateeFilter
from incubator.incubatees.services import SORTS, IncubateeService
from incubator.protection import PersonalData


async def provide_incubatee_service(
    db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings], park_id: FromPath[UUID]
) -> IncubateeService:
    return IncubateeService(db_session, park_id, PersonalData(settings.personal_data_key))


def provide_incubatee_filter(
    q: Annotated[str, QueryParameter(max_length=100, description="Search in name, credit code, industry")] = "",
    status: Annotated[IncubateeStatus | None, QueryParameter()] = None,
    kind: Annotated[IncubateeType | None, QueryParameter()] = None,
    sort: Annotated[str, QueryParameter(pattern="^(" + "|".join(SORTS) + ")$")] = "name",
) -> IncubateeFilter:
    return IncubateeFilter(q=q, status=status, kind=kind, sort=sort)
