from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Stream, Template
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.guards import allow
from incubator.clock import today
from incubator.exchange.exports import Export, ExportFormat, download
from incubator.exchange.layouts import LEASES, UNITS
from incubator.incubatees.models import IncubateeStatus
from incubator.incubatees.schemas import IncubateeFilter
from incubator.incubatees.services import IncubateeService
from incubator.space.controllers import READERS, SPACE_DEPENDENCIES, WRITERS, BuildingParameter
from incubator.space.models import UnitKind
from incubator.space.schemas import BuildingCreate, LeaseCreate, LeaseFilter, UnitCreate
from incubator.space.services import BuildingService, LeaseService, UnitService
from incubator.web.forms import submit_form
from incubator.web.render import render

MAX_UNITS_ON_PAGE = 500


class SpacePages(Controller):
    path = "/parks/{park_id:uuid}/space"
    include_in_schema = False
    dependencies = SPACE_DEPENDENCIES

    @get("", opt=allow(*READERS), name="space")
    async def overview(
        self,
        request: Request,
        buildings: NamedDependency[BuildingService],
        units: NamedDependency[UnitService],
        leases: NamedDependency[LeaseService],
        park_id: FromPath[UUID],
    ) -> Template:
        return await _overview(request, park_id, buildings, units, leases, {}, {})

    @get("/units/export", opt=allow(*READERS))
    async def export_units(
        self,
        request: Request,
        units: NamedDependency[UnitService],
        export_format: NamedDependency[ExportFormat],
        park_id: FromPath[UUID],
        building_id: BuildingParameter = None,
    ) -> Stream:
        return await download(request, Export(UNITS, units.with_buildings(building_id), park_id=park_id), export_format)

    @get("/leases/export", opt=allow(*READERS))
    async def export_leases(
        self,
        request: Request,
        leases: NamedDependency[LeaseService],
        lease_filter: NamedDependency[LeaseFilter],
        export_format: NamedDependency[ExportFormat],
        park_id: FromPath[UUID],
    ) -> Stream:
        return await download(request, Export(LEASES, leases.with_names(lease_filter), park_id=park_id), export_format)

    @post("/buildings", opt=allow(*WRITERS))
    async def add_building(
        self,
        request: Request,
        buildings: NamedDependency[BuildingService],
        units: NamedDependency[UnitService],
        leases: NamedDependency[LeaseService],
        park_id: FromPath[UUID],
    ) -> Template | Redirect:
        space = (buildings, units, leases)
        return await _add(request, park_id, space, "building", BuildingCreate, buildings.create_building)

    @post("/units", opt=allow(*WRITERS))
    async def add_unit(
        self,
        request: Request,
        buildings: NamedDependency[BuildingService],
        units: NamedDependency[UnitService],
        leases: NamedDependency[LeaseService],
        park_id: FromPath[UUID],
    ) -> Template | Redirect:
        return await _add(request, park_id, (buildings, units, leases), "unit", UnitCreate, units.create_unit)

    @get("/units/{unit_id:uuid}", opt=allow(*READERS), name="unit")
    async def show_unit(
        self,
        request: Request,
        units: NamedDependency[UnitService],
        leases: NamedDependency[LeaseService],
        db_session: NamedDependency[AsyncSession],
        park_id: FromPath[UUID],
        unit_id: FromPath[UUID],
    ) -> Template:
        return await _unit_page(request, park_id, unit_id, units, leases, db_session, {}, {})

    @post("/units/{unit_id:uuid}/leases", opt=allow(*WRITERS))
    async def add_lease(
        self,
        request: Request,
        units: NamedDependency[UnitService],
        leases: NamedDependency[LeaseService],
        db_session: NamedDependency[AsyncSession],
        park_id: FromPath[UUID],
        unit_id: FromPath[UUID],
    ) -> Template | Redirect:
        submitted = {**dict(await request.form()), "unit_id": str(unit_id)}

        async def save(data: LeaseCreate) -> str:
            await leases.create_lease(data)
            return f"/parks/{park_id}/space/units/{unit_id}"

        redirect, errors = await submit_form(submitted, LeaseCreate, save)
        return redirect or await _unit_page(
            request, park_id, unit_id, units, leases, db_session, submitted, errors, 400
        )


async def _add(
    request: Request,
    park_id: UUID,
    space: tuple[BuildingService, UnitService, LeaseService],
    form_name: str,
    schema: Any,
    create: Callable[[Any], Awaitable[Any]],
) -> Template | Redirect:
    """One of the overview's forms: create and come back, or show the overview with the form's messages."""
    submitted = dict(await request.form())

    async def save(data: Any) -> str:
        await create(data)
        return f"/parks/{park_id}/space"

    redirect, errors = await submit_form(submitted, schema, save)
    forms, messages = {form_name: submitted}, {form_name: errors}
    return redirect or await _overview(request, park_id, *space, forms, messages, 400)


async def _overview(
    request: Request,
    park_id: UUID,
    buildings: BuildingService,
    units: UnitService,
    leases: LeaseService,
    forms: dict[str, dict[str, Any]],
    errors: dict[str, dict[str, str]],
    status_code: int = 200,
) -> Template:
    day = today()
    year_start = day.replace(month=1, day=1)
    all_units, _total = await units.list_units(None, limit=MAX_UNITS_ON_PAGE, offset=0)
    all_buildings = await buildings.list_buildings()
    context = {
        "park_id": park_id,
        "buildings": all_buildings,
        "building_names": {building.id: building.name for building in all_buildings},
        "units": all_units,
        "tenants": await leases.tenants_on(day),
        "occupancy_today": (await leases.occupancy(day, day))[-1],
        "occupancy_year": await leases.occupancy(year_start, day),
        "unit_kinds": UnitKind,
        "forms": forms,
        "errors": errors,
        "can_write": bool(request.user.roles_in_park(park_id) & set(WRITERS)),
    }
    return await render(request, "space/overview.html", context, status_code=status_code)


async def _unit_page(
    request: Request,
    park_id: UUID,
    unit_id: UUID,
    units: UnitService,
    leases: LeaseService,
    db_session: AsyncSession,
    submitted: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    unit = await units.get_in_park(unit_id, field="unit_id")
    unit_leases, _total = await leases.list_leases(LeaseFilter(unit_id=unit_id), limit=100, offset=0)
    firms = IncubateeService(db_session, park_id)
    incubating, _count = await firms.list_incubatees(
        IncubateeFilter(status=IncubateeStatus.INCUBATING), limit=MAX_UNITS_ON_PAGE, offset=0
    )
    context = {
        "park_id": park_id,
        "unit": unit,
        "leases": unit_leases,
        "firm_names": await firms.names_of([lease.incubatee_id for lease in unit_leases]),
        "firms": [(firm.id, firm.name) for firm in incubating],
        "form": submitted,
        "errors": errors,
        "today": today(),
        "can_write": bool(request.user.roles_in_park(park_id) & set(WRITERS)),
    }
    return await render(request, "space/unit.html", context, status_code=status_code)
