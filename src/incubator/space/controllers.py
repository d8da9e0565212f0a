import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.guards import allow
from incubator.clock import today
from incubator.exchange.exports import Export, ExportFormat, download
from incubator.exchange.layouts import LEASES, UNITS
from incubator.paging import Page
from incubator.space.schemas import (
    BuildingCreate,
    BuildingRead,
    LeaseCreate,
    LeaseFilter,
    LeaseRead,
    LeaseUpdate,
    Occupancy,
    UnitCreate,
    UnitRead,
    UnitUpdate,
)
from incubator.space.services import BuildingService, LeaseService, UnitService
from incubator.web.params import PageParams

READERS = ("admin", "bureau", "operator")
WRITERS = ("admin", "operator")


async def provide_buildings(db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID]) -> BuildingService:
    return BuildingService(db_session, park_id)


async def provide_units(db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID]) -> UnitService:
    return UnitService(db_session, park_id)


async def provide_leases(db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID]) -> LeaseService:
    return LeaseService(db_session, park_id)


def provide_lease_filter(
    unit_id: Annotated[UUID | None, QueryParameter()] = None,
    incubatee_id: Annotated[UUID | None, QueryParameter()] = None,
    active_on: Annotated[datetime.date | None, QueryParameter(description="Leases running on this day")] = None,
) -> LeaseFilter:
    return LeaseFilter(unit_id, incubatee_id, active_on)


BuildingParameter = Annotated[UUID | None, QueryParameter(description="The units of this building")]
SPACE_DEPENDENCIES = {
    "buildings": Provide(provide_buildings),
    "units": Provide(provide_units),
    "leases": Provide(provide_leases),
    "lease_filter": Provide(provide_lease_filter, sync_to_thread=False),
}


class SpaceController(Controller):
    path = "/api/parks/{park_id:uuid}"
    tags = ["space"]
    dependencies = SPACE_DEPENDENCIES

    @get("/buildings", opt=allow(*READERS), summary="A park's buildings")
    async def list_buildings(self, buildings: NamedDependency[BuildingService]) -> list[BuildingRead]:
        return [msgspec.convert(b, BuildingRead, from_attributes=True) for b in await buildings.list_buildings()]

    @post("/buildings", opt=allow(*WRITERS), summary="Add a building")
    async def create_building(
        self, buildings: NamedDependency[BuildingService], data: JSONBody[BuildingCreate]
    ) -> BuildingRead:
        return msgspec.convert(await buildings.create_building(data), BuildingRead, from_attributes=True)

    @get("/units", opt=allow(*READERS), summary="A park's units, by code")
    async def list_units(
        self,
        units: NamedDependency[UnitService],
        page: NamedDependency[PageParams],
        building_id: BuildingParameter = None,
    ) -> Page[UnitRead]:
        items, total = await units.list_units(building_id, limit=page.limit, offset=page.offset)
        return Page([msgspec.convert(u, UnitRead, from_attributes=True) for u in items], total, page.limit, page.offset)

    @get("/units/export", opt=allow(*READERS), summary="The units as CSV or XLSX (building, code, kind, area, rent)")
    async def export_units(
        self,
        request: Request,
        units: NamedDependency[UnitService],
        export_format: NamedDependency[ExportFormat],
        park_id: FromPath[UUID],
        building_id: BuildingParameter = None,
    ) -> Stream:
        return await download(request, Export(UNITS, units.with_buildings(building_id), park_id=park_id), export_format)

    @post("/units", opt=allow(*WRITERS), summary="Add a unit")
    async def create_unit(self, units: NamedDependency[UnitService], data: JSONBody[UnitCreate]) -> UnitRead:
        return msgspec.convert(await units.create_unit(data), UnitRead, from_attributes=True)

    @get("/units/{unit_id:uuid}", opt=allow(*READERS), summary="One unit")
    async def get_unit(self, units: NamedDependency[UnitService], unit_id: FromPath[UUID]) -> UnitRead:
        return msgspec.convert(await units.get_in_park(unit_id, field="unit_id"), UnitRead, from_attributes=True)

    @patch("/units/{unit_id:uuid}", opt=allow(*WRITERS), summary="Edit a unit")
    async def update_unit(
        self, units: NamedDependency[UnitService], unit_id: FromPath[UUID], data: JSONBody[UnitUpdate]
    ) -> UnitRead:
        return msgspec.convert(await units.update_unit(unit_id, data), UnitRead, from_attributes=True)

    @get("/leases", opt=allow(*READERS), summary="A park's leases, newest first")
    async def list_leases(
        self,
        leases: NamedDependency[LeaseService],
        lease_filter: NamedDependency[LeaseFilter],
        page: NamedDependency[PageParams],
    ) -> Page[LeaseRead]:
        items, total = await leases.list_leases(lease_filter, limit=page.limit, offset=page.offset)
        return Page(
            [msgspec.convert(x, LeaseRead, from_attributes=True) for x in items], total, page.limit, page.offset
        )

    @get("/leases/export", opt=allow(*READERS), summary="The leases as CSV or XLSX, with the list's filters")
    async def export_leases(
        self,
        request: Request,
        leases: NamedDependency[LeaseService],
        lease_filter: NamedDependency[LeaseFilter],
        export_format: NamedDependency[ExportFormat],
        park_id: FromPath[UUID],
    ) -> Stream:
        return await download(request, Export(LEASES, leases.with_names(lease_filter), park_id=park_id), export_format)

    @post("/leases", opt=allow(*WRITERS), summary="Let a unit to an incubatee (409 if it overlaps another lease)")
    async def create_lease(self, leases: NamedDependency[LeaseService], data: JSONBody[LeaseCreate]) -> LeaseRead:
        return msgspec.convert(await leases.create_lease(data), LeaseRead, from_attributes=True)

    @get("/leases/{lease_id:uuid}", opt=allow(*READERS), summary="One lease")
    async def get_lease(self, leases: NamedDependency[LeaseService], lease_id: FromPath[UUID]) -> LeaseRead:
        return msgspec.convert(await leases.get_in_park(lease_id, field="lease_id"), LeaseRead, from_attributes=True)

    @patch("/leases/{lease_id:uuid}", opt=allow(*WRITERS), summary="End a lease early, extend it, change its terms")
    async def update_lease(
        self, leases: NamedDependency[LeaseService], lease_id: FromPath[UUID], data: JSONBody[LeaseUpdate]
    ) -> LeaseRead:
        return msgspec.convert(await leases.update_lease(lease_id, data), LeaseRead, from_attributes=True)

    @get("/occupancy", opt=allow(*READERS), summary="Occupancy by area and by seat, per building and park")
    async def occupancy(
        self,
        leases: NamedDependency[LeaseService],
        first_day: Annotated[datetime.date | None, QueryParameter(name="from")] = None,
        last_day: Annotated[datetime.date | None, QueryParameter(name="to")] = None,
    ) -> list[Occupancy]:
        first_day = first_day or today()
        return await leases.occupancy(first_day, last_day or first_day)
