import datetime
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService

from incubator.audit.models import AuditEntry
from incubator.audit.schemas import AuditFilter
from incubator.clock import SHANGHAI


class AuditService(SQLAlchemyAsyncRepositoryService[AuditEntry]):
    """Reading the audit trail; writing it is :mod:`incubator.audit.trail`'s job."""

    class Repo(SQLAlchemyAsyncRepository[AuditEntry]):
        model_type = AuditEntry

    repository_type = Repo

    async def list_entries(
        self, filters: AuditFilter, *, park_id: UUID | None, limit: int, offset: int
    ) -> tuple[Sequence[AuditEntry], int]:
        """Entries of one park, or of the whole city when ``park_id`` is None."""
        conditions: list[Any] = []
        if park_id is not None:
            conditions.append(AuditEntry.park_id == park_id)
        if filters.actor:
            conditions.append(AuditEntry.actor_email.ilike(f"%{filters.actor.strip()}%"))
        if filters.entity_type:
            conditions.append(AuditEntry.entity_type == filters.entity_type)
        if filters.entity_id:
            conditions.append(AuditEntry.entity_id == filters.entity_id)
        if filters.action:
            conditions.append(AuditEntry.action == filters.action)
        if filters.since:
            conditions.append(AuditEntry.occurred_at >= _start_of(filters.since))
        if filters.until:
            conditions.append(AuditEntry.occurred_at < _start_of(filters.until + datetime.timedelta(days=1)))
        return await self.get_many_and_count(
            *conditions,
            LimitOffset(limit=limit, offset=offset),
            order_by=[(AuditEntry.occurred_at, True), (AuditEntry.id, True)],
        )


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight in Asia/Shanghai, where the users are, as UTC."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=SHANGHAI).astimezone(datetime.UTC)
