from collections.abc import Sequence
from typing import Any
from uuid import UUID

import msgspec
import sqlalchemy as sa
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService

from incubator.auth.models import Membership
from incubator.auth.schemas import CurrentUser
from incubator.db.portable import pinyin_order
from incubator.errors import Conflict, NotFound
from incubator.i18n import _
from incubator.parks.models import Park
from incubator.parks.schemas import ParkCreate, ParkFilter, ParkUpdate


class ParkService(SQLAlchemyAsyncRepositoryService[Park]):
    """The parks themselves. Parks are the tenants, so this service is city-wide."""

    class Repo(SQLAlchemyAsyncRepository[Park]):
        model_type = Park

    repository_type = Repo

    async def get_park(self, park_id: UUID) -> Park:
        park = await self.get_one_or_none(id=park_id)
        if park is None:
            raise NotFound(_("No such park."), field="park_id")
        return park

    async def create_park(self, data: ParkCreate) -> Park:
        values = msgspec.structs.asdict(data)
        values["code"] = values["code"].upper()
        await self._check_unique(values)
        return await self.create(Park(**values))

    async def update_park(self, park_id: UUID, data: ParkUpdate) -> Park:
        park = await self.get_park(park_id)
        values = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        if "code" in values:
            values["code"] = values["code"].upper()
        await self._check_unique(values, exclude=park_id)
        for key, value in values.items():
            setattr(park, key, value)
        return await self.update(park)

    async def list_parks(
        self, filters: ParkFilter, visible_to: CurrentUser, *, limit: int, offset: int
    ) -> tuple[Sequence[Park], int]:
        conditions: list[Any] = []
        if not visible_to.sees_every_park:
            conditions.append(Park.id.in_(list(visible_to.park_roles) or [None]))
        if filters.q:
            pattern = f"%{filters.q.strip()}%"
            conditions.append(sa.or_(Park.name.ilike(pattern), Park.code.ilike(pattern)))
        if filters.district:
            conditions.append(Park.district == filters.district)
        if filters.kind:
            conditions.append(Park.kind == filters.kind)
        if filters.level:
            conditions.append(Park.level == filters.level)
        return await self.get_many_and_count(
            *conditions, LimitOffset(limit=limit, offset=offset), order_by=[(Park.code, False)]
        )

    async def parks_named(self, park_ids: Sequence[UUID] | None) -> dict[UUID, str]:
        """Names by id, of the given parks or of all, in the order of the names (the Chinese way)."""
        statement = sa.select(Park.id, Park.name).order_by(pinyin_order(Park.name))
        if park_ids is not None:
            statement = statement.where(Park.id.in_(park_ids))
        rows = await self.repository.session.execute(statement)
        return {park_id: name for park_id, name in rows}

    async def counts_by_district_across_parks(self) -> dict[str, dict[str, int]]:
        """How many parks and demonstration points each district has (the city overview)."""
        rows = await self.repository.session.execute(
            sa.select(Park.district, Park.kind, sa.func.count())
            .group_by(Park.district, Park.kind)
            .order_by(pinyin_order(Park.district))
        )
        by_district: dict[str, dict[str, int]] = {}
        for district, kind, count in rows:
            by_district.setdefault(district, {})[kind.value] = count
        return by_district

    async def member_counts(self, park_id: UUID) -> dict[str, int]:
        """People of a park by role."""
        rows = await self.repository.session.execute(
            sa.select(Membership.role, sa.func.count())
            .where(Membership.park_id == park_id)
            .group_by(Membership.role)
            .execution_options(all_parks=True)
        )
        return {role.value: count for role, count in rows}

    async def _check_unique(self, values: dict[str, Any], exclude: UUID | None = None) -> None:
        for field in ("code", "name"):
            if field not in values:
                continue
            clash = await self.get_one_or_none(getattr(Park, field) == values[field])
            if clash is not None and clash.id != exclude:
                message = (
                    _("A park with this code already exists.")
                    if field == "code"
                    else _("A park with this name already exists.")
                )
                raise Conflict(message, field=field)
