from typing import Any
from uuid import UUID

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.periodic_reports.services import ReportService

PARK_SIDE = frozenset({"admin", "operator"})


async def provide_report_service(db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID]) -> ReportService:
    return ReportService(db_session, park_id)


def provide_by_park(request: Request[Any, Any, Any], park_id: FromPath[UUID]) -> bool:
    """Whether the caller files for the park (on the founder's behalf) rather than as the founder."""
    return bool(request.user.roles_in_park(park_id) & PARK_SIDE)
