from uuid import UUID

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody

from incubator.auth.guards import ANY_USER, allow
from incubator.db.session import request_session
from incubator.paging import Page
from incubator.parks.dashboard import ParkDashboard, park_dashboard
from incubator.parks.deps import provide_park_filter, provide_park_service
from incubator.parks.models import Park
from incubator.parks.schemas import ParkCreate, ParkFilter, ParkRead, ParkUpdate
from incubator.parks.services import ParkService
from incubator.web.params import PageParams


def park_read(park: Park) -> ParkRead:
    return msgspec.convert(park, ParkRead, from_attributes=True)


class ParkController(Controller):
    path = "/api/parks"
    tags = ["parks"]
    dependencies = {
        "parks": Provide(provide_park_service),
        "filters": Provide(provide_park_filter, sync_to_thread=False),
    }

    @get("", opt=allow(ANY_USER), summary="List the parks the caller may see")
    async def list_parks(
        self,
        request: Request,
        parks: NamedDependency[ParkService],
        filters: NamedDependency[ParkFilter],
        page: NamedDependency[PageParams],
    ) -> Page[ParkRead]:
        items, total = await parks.list_parks(filters, request.user, limit=page.limit, offset=page.offset)
        return Page([park_read(p) for p in items], total, page.limit, page.offset)

    @post("", opt=allow("admin"), summary="Create a park")
    async def create_park(self, parks: NamedDependency[ParkService], data: JSONBody[ParkCreate]) -> ParkRead:
        return park_read(await parks.create_park(data))

    @get("/{park_id:uuid}", opt=allow("admin", "bureau", "operator", "founder"), summary="One park")
    async def get_park(self, parks: NamedDependency[ParkService], park_id: FromPath[UUID]) -> ParkRead:
        return park_read(await parks.get_park(park_id))

    @get("/{park_id:uuid}/dashboard", opt=allow("admin", "bureau", "operator"), summary="The park's dashboard figures")
    async def dashboard(self, request: Request, park_id: FromPath[UUID]) -> ParkDashboard:
        return await park_dashboard(request_session(request), park_id)

    @patch("/{park_id:uuid}", opt=allow("admin"), summary="Edit a park")
    async def update_park(
        self, parks: NamedDependency[ParkService], park_id: FromPath[UUID], data: JSONBody[ParkUpdate]
    ) -> ParkRead:
        return park_read(await parks.update_park(park_id, data))
