from collections.abc import Sequence
from typing import Any
from uuid import UUID

from dateutil.relativedelta import relativedelta
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.audit.deps import provide_audit_service
from incubator.audit.schemas import AuditFilter
from incubator.audit.services import AuditService
from incubator.auth.guards import ANY_USER, allow
from incubator.clock import today
from incubator.db.session import request_session
from incubator.incubatees.recommendations import RecommendationService
from incubator.incubatees.services import IncubateeService
from incubator.mentors.services import SessionReviewService
from incubator.parks.dashboard import dashboard_charts, park_dashboard
from incubator.parks.deps import provide_park_filter, provide_park_service
from incubator.parks.models import Park, ParkKind, ParkLevel, ReportFrequency
from incubator.parks.schemas import ParkCreate, ParkFilter, ParkUpdate
from incubator.parks.services import ParkService
from incubator.periodic_reports.services import ReportService, firms_behind
from incubator.space.services import LeaseService
from incubator.support.services import RequestService
from incubator.web.forms import submit_form
from incubator.web.params import PageParams
from incubator.web.render import render


class ParkPages(Controller):
    path = "/parks"
    include_in_schema = False
    dependencies = {
        "parks": Provide(provide_park_service),
        "audit": Provide(provide_audit_service),
        "filters": Provide(provide_park_filter, sync_to_thread=False),
    }

    @get("", opt=allow(ANY_USER), name="parks")
    async def list_parks(
        self,
        request: Request,
        parks: NamedDependency[ParkService],
        filters: NamedDependency[ParkFilter],
        page: NamedDependency[PageParams],
    ) -> Template:
        items, total = await parks.list_parks(filters, request.user, limit=page.limit, offset=page.offset)
        context = {"parks": items, "total": total, "page": page, "filters": filters, **_choices()}
        return await render(request, "parks/list.html", context, partial="parks/_rows.html")

    @get("/new", opt=allow("admin"), name="park_new")
    async def new_park(self, request: Request) -> Template:
        return await _park_form(request, None, {}, {})

    @post("/new", opt=allow("admin"))
    async def create_park(self, request: Request, parks: NamedDependency[ParkService]) -> Template | Redirect:
        submitted = await request.form()

        async def save(data: ParkCreate) -> str:
            return f"/parks/{(await parks.create_park(data)).id}"

        redirect, errors = await submit_form(submitted, ParkCreate, save)
        return redirect or await _park_form(request, None, dict(submitted), errors, status_code=400)

    @get("/{park_id:uuid}", opt=allow("admin", "bureau", "operator", "founder"), name="park_home")
    async def park_home(
        self,
        request: Request,
        parks: NamedDependency[ParkService],
        audit: NamedDependency[AuditService],
        park_id: FromPath[UUID],
    ) -> Template:
        park = await parks.get_park(park_id)
        roles_here = request.user.roles_in_park(park_id)
        recent: Sequence[Any] | None = None
        attention: dict[str, Any] | None = None
        if roles_here & {"admin", "bureau", "operator"}:
            recent, _total = await audit.list_entries(AuditFilter(), park_id=park_id, limit=5, offset=0)
            attention = await _needs_attention(request_session(request), park_id)
        context = {
            "park": park,
            "members": await parks.member_counts(park_id),
            "recent": recent,
            "attention": attention,
            "roles_here": roles_here,
        }
        return await render(request, "parks/home.html", context)

    @get("/{park_id:uuid}/dashboard", opt=allow("admin", "bureau", "operator"), name="park_dashboard")
    async def dashboard(
        self, request: Request, parks: NamedDependency[ParkService], park_id: FromPath[UUID]
    ) -> Template:
        figures = await park_dashboard(request_session(request), park_id)
        context = {"park": await parks.get_park(park_id), "figures": figures, "charts": dashboard_charts(figures)}
        return await render(request, "parks/dashboard.html", context)

    @get("/{park_id:uuid}/edit", opt=allow("admin"), name="park_edit")
    async def edit_park(
        self, request: Request, parks: NamedDependency[ParkService], park_id: FromPath[UUID]
    ) -> Template:
        return await _park_form(request, await parks.get_park(park_id), {}, {})

    @post("/{park_id:uuid}/edit", opt=allow("admin"))
    async def update_park(
        self, request: Request, parks: NamedDependency[ParkService], park_id: FromPath[UUID]
    ) -> Template | Redirect:
        submitted = await request.form()

        async def save(data: ParkUpdate) -> str:
            await parks.update_park(park_id, data)
            return f"/parks/{park_id}"

        redirect, errors = await submit_form(submitted, ParkUpdate, save)
        return redirect or await _park_form(
            request, await parks.get_park(park_id), dict(submitted), errors, status_code=400
        )


def _choices() -> dict[str, Any]:
    return {"kinds": ParkKind, "levels": ParkLevel, "frequencies": ReportFrequency}


async def _park_form(
    request: Request, park: Park | None, submitted: dict[str, Any], errors: dict[str, str], status_code: int = 200
) -> Template:
    values = submitted or {"report_frequency": ReportFrequency.QUARTERLY.value, "report_due_days": 15}
    if park is not None and not submitted:
        values = {f: getattr(park, f) for f in ParkCreate.__struct_fields__}
    context = {"park": park, "form": values, "errors": errors, **_choices()}
    return await render(request, "parks/form.html", context, status_code=status_code)


async def _needs_attention(session: AsyncSession, park_id: UUID) -> dict[str, Any]:
    """What an operator should act on this morning."""
    day = today()
    month_end = day + relativedelta(day=31)
    firms = await ReportService(session, park_id).in_incubation()  # reports and recommendations read the same
    return {
        "sessions_waiting": await SessionReviewService(session, park_id).count_waiting(),
        "leases_ending": await LeaseService(session, park_id).ending_between(day, month_end),
        "past_term": await IncubateeService(session, park_id).past_their_term(day),
        "reports_behind": firms_behind(firms),
        "recommendations": len(await RecommendationService(session, park_id).standing(firms=firms)),
        "service_requests_open": await RequestService(session, park_id).count_open(),
    }
