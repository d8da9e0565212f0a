"""The city's pools of people whom every park draws on (the mentor pool, the trainer pool): not
park-scoped, kept by admin and the bureau, searched by name, organisation and tags. Members retire
(``active`` false) and are never deleted, so what parks recorded with them keeps its name."""

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar
from uuid import UUID

import msgspec
import sqlalchemy as sa
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService

from incubator.db.portable import pinyin_order
from incubator.errors import NotFound
from incubator.i18n import gettext

MemberT = TypeVar("MemberT", bound=Any)


class PoolService(SQLAlchemyAsyncRepositoryService[MemberT], Generic[MemberT]):
    """A subclass names its model's tag column, the path field of a member's id and the message for a
    missing one. The model has ``name``, ``organisation``, the tag column (a JSON list) and ``active``."""

    tags_column: ClassVar[str]
    id_field: ClassVar[str]
    not_found_message: ClassVar[str]

    async def search(self, q: str, *, limit: int, offset: int) -> tuple[Sequence[MemberT], int]:
        return await self.get_many_and_count(LimitOffset(limit=limit, offset=offset), statement=self.matching(q))

    def matching(self, q: str) -> sa.Select[Any]:
        """Active members by pinyin; ``q`` matches name, organisation or a tag."""
        model = self.repository.model_type
        conditions: list[Any] = [model.active.is_(True)]
        if q.strip():
            pattern = f"%{q.strip()}%"
            tags = sa.cast(getattr(model, self.tags_column), sa.String)
            conditions.append(sa.or_(model.name.ilike(pattern), model.organisation.ilike(pattern), tags.ilike(pattern)))
        return self.repository.statement.where(*conditions).order_by(pinyin_order(model.name), model.id)

    async def names_of(self, member_ids: Sequence[UUID]) -> dict[UUID, str]:
        model = self.repository.model_type
        rows = await self.repository.session.execute(
            sa.select(model.id, model.name).where(model.id.in_(list(member_ids)))
        )
        return {member_id: name for member_id, name in rows}

    async def get_member(self, member_id: UUID) -> MemberT:
        member = await self.get_one_or_none(id=member_id)
        if member is None:
            raise NotFound(gettext(self.not_found_message), field=self.id_field)
        return member

    async def add_member(self, data: msgspec.Struct) -> MemberT:
        model = self.repository.model_type
        return await self.create(model(**msgspec.structs.asdict(data)), auto_refresh=False)

    async def update_member(self, member_id: UUID, data: msgspec.Struct) -> MemberT:
        member = await self.get_member(member_id)
        for key, value in msgspec.structs.asdict(data).items():
            if value is not msgspec.UNSET:
                setattr(member, key, value)
        await self.repository.session.flush()
        return member
