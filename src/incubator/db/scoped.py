"""The first tenancy layer: a service bound to one park builds every query from
``select(Model).where(Model.park_id == park_id)`` and stamps ``park_id`` on what it creates."""

from typing import Any, Generic, TypeVar
from uuid import UUID

import sqlalchemy as sa
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.db.base import ParkScoped
from incubator.db.tenancy import bind_park
from incubator.errors import NotFound
from incubator.i18n import N_, gettext

ModelT = TypeVar("ModelT", bound=Any)


class ParkScopedService(SQLAlchemyAsyncRepositoryService[ModelT], Generic[ModelT]):
    not_found_message: str = N_("No such record.")

    def __init__(self, session: AsyncSession, park_id: UUID, **kwargs: Any) -> None:
        model = self.repository_type.model_type
        assert issubclass(model, ParkScoped)
        bind_park(session, park_id)
        super().__init__(session, statement=sa.select(model).where(model.park_id == park_id), **kwargs)
        self.park_id = park_id

    async def get_in_park(self, item_id: UUID, *, field: str = "id") -> ModelT:
        """The record of this park, or 404 as if it did not exist (another park's id included)."""
        item = await self.get_one_or_none(id=item_id)
        if item is None:
            raise NotFound(gettext(self.not_found_message), field=field)
        return item
