from typing import Annotated

from litestar import Controller, get, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.guards import allow
from incubator.city.schemas import CityDashboard, TargetRead, TargetsUpdate
from incubator.city.services import FIRST_YEAR, LAST_YEAR, CityTargetService, city_dashboard_across_parks
from incubator.clock import today

BUREAU = ("admin", "bureau")
Period = Annotated[str | None, QueryParameter(max_length=20, description="e.g. 2017; the latest by default")]
District = Annotated[str | None, QueryParameter(max_length=50, description="One district, as the parks name it")]
Year = Annotated[int | None, QueryParameter(ge=FIRST_YEAR, le=LAST_YEAR, description="This year by default")]


async def provide_targets(db_session: NamedDependency[AsyncSession]) -> CityTargetService:
    return CityTargetService(session=db_session)


class CityController(Controller):
    """The bureau's view of the whole city: targets, progress, and the parks' ratings of a period."""

    path = "/api/city"
    tags = ["city"]
    dependencies = {"targets": Provide(provide_targets)}

    @get("/dashboard", opt=allow(*BUREAU), summary="Targets with progress, parks by stars, funding, exits, outcomes")
    async def dashboard(
        self, db_session: NamedDependency[AsyncSession], period: Period = None, district: District = None
    ) -> CityDashboard:
        return await city_dashboard_across_parks(db_session, period, district or None)

    @get("/targets", opt=allow(*BUREAU), summary="The year's targets (the policy's defaults where none is set)")
    async def list_targets(self, targets: NamedDependency[CityTargetService], year: Year = None) -> list[TargetRead]:
        return await targets.targets_of(year or today().year)

    @put("/targets/{year:int}", opt=allow(*BUREAU), summary="Set targets of a year (a null value removes one)")
    async def set_targets(
        self, targets: NamedDependency[CityTargetService], year: FromPath[int], data: JSONBody[TargetsUpdate]
    ) -> list[TargetRead]:
        return await targets.set_targets(year, data)
