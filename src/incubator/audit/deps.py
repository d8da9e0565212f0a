import datetime
from typing import Annotated

from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.audit.schemas import AuditFilter
from incubator.audit.services import AuditService


async def provide_audit_service(db_session: NamedDependency[AsyncSession]) -> AuditService:
    return AuditService(session=db_session)


def provide_audit_filter(
    actor: Annotated[str, QueryParameter(max_length=254, description="Part of the actor's e-mail")] = "",
    entity_type: Annotated[str, QueryParameter(max_length=60)] = "",
    entity_id: Annotated[str, QueryParameter(max_length=64)] = "",
    action: Annotated[str, QueryParameter(max_length=40)] = "",
    since: Annotated[datetime.date | None, QueryParameter()] = None,
    until: Annotated[datetime.date | None, QueryParameter()] = None,
) -> AuditFilter:
    return AuditFilter(
        actor=actor, entity_type=entity_type, entity_id=entity_id, action=action, since=since, until=until
    )
