"""Report pages: the park's compliance list and filing on the founder's behalf, and the founders' portal."""

import datetime
from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from incubator.auth.guards import allow
from incubator.db.session import request_session
from incubator.i18n import _
from incubator.incubatees.models import Incubatee
from incubator.incubatees.services import IncubateeService
from incubator.periodic_reports.deps import provide_by_park, provide_report_service
from incubator.periodic_reports.models import PeriodicReport
from incubator.periodic_reports.periods import ReportState
from incubator.periodic_reports.schemas import CORE_FIGURES, ReportCreate, ReportUpdate
from incubator.periodic_reports.services import ReportService
from incubator.web.forms import submit_form
from incubator.web.params import PageParams
from incubator.web.render import render

STAFF = ("admin", "bureau", "operator")
PARK_FILERS = ("admin", "operator")
FIGURES = [name for name in ReportUpdate.__struct_fields__]


class ReportPages(Controller):
    path = "/parks/{park_id:uuid}"
    include_in_schema = False
    dependencies = {
        "reports": Provide(provide_report_service),
        "by_park": Provide(provide_by_park, sync_to_thread=False),
    }

    @get("/reports", opt=allow(*STAFF), name="report_compliance")
    async def compliance(
        self,
        request: Request,
        reports: NamedDependency[ReportService],
        page: NamedDependency[PageParams],
        park_id: FromPath[UUID],
        overdue: FromQuery[bool] = False,
    ) -> Template:
        rows = await reports.compliance(overdue_only=overdue)
        park = await reports.park()
        context = {
            "park_id": park_id,
            "park": park,
            "rows": rows[page.offset : page.offset + page.limit],
            "total": len(rows),
            "page": page,
            "overdue": overdue,
        }
        return await render(request, "periodic_reports/compliance.html", context)

    @get("/incubatees/{incubatee_id:uuid}/reports/new", opt=allow(*PARK_FILERS), name="report_new")
    async def new_report(
        self,
        request: Request,
        reports: NamedDependency[ReportService],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
        period: FromQuery[datetime.date | None] = None,
    ) -> Template:
        return await _report_form(request, reports, incubatee_id, _urls(park_id, incubatee_id), period=period)

    @post("/incubatees/{incubatee_id:uuid}/reports/new", opt=allow(*PARK_FILERS))
    async def submit_report(
        self,
        request: Request,
        reports: NamedDependency[ReportService],
        by_park: NamedDependency[bool],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
    ) -> Template | Redirect:
        return await _file(request, reports, incubatee_id, None, by_park, _urls(park_id, incubatee_id))

    @get("/incubatees/{incubatee_id:uuid}/reports/{report_id:uuid}/edit", opt=allow(*PARK_FILERS))
    async def edit_report(
        self,
        request: Request,
        reports: NamedDependency[ReportService],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
        report_id: FromPath[UUID],
    ) -> Template:
        report = await reports.get_report(incubatee_id, report_id)
        return await _report_form(request, reports, incubatee_id, _urls(park_id, incubatee_id), report=report)

    @post("/incubatees/{incubatee_id:uuid}/reports/{report_id:uuid}/edit", opt=allow(*PARK_FILERS))
    async def correct_report(
        self,
        request: Request,
        reports: NamedDependency[ReportService],
        by_park: NamedDependency[bool],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
        report_id: FromPath[UUID],
    ) -> Template | Redirect:
        return await _file(request, reports, incubatee_id, report_id, by_park, _urls(park_id, incubatee_id))


class PortalPages(Controller):
    """The founders' portal: their own firm, its reports, and (in the support pages) its services."""

    path = "/parks/{park_id:uuid}/portal"
    include_in_schema = False
    dependencies = {"reports": Provide(provide_report_service)}

    @get("", opt=allow("founder"), name="portal")
    async def portal(
        self, request: Request, reports: NamedDependency[ReportService], park_id: FromPath[UUID]
    ) -> Template:
        firm = await _own_firm(request, park_id)
        schedule = await reports.schedule(firm.id)
        to_file = [e for e in schedule.entries if e.state in (ReportState.OVERDUE, ReportState.DUE)]
        context = {
            "park_id": park_id,
            "park": await reports.park(),
            "firm": firm,
            "schedule": schedule,
            "to_file": to_file,
        }
        return await render(request, "periodic_reports/portal.html", context)

    @get("/reports/new", opt=allow("founder"), name="portal_report_new")
    async def new_report(
        self,
        request: Request,
        reports: NamedDependency[ReportService],
        park_id: FromPath[UUID],
        period: FromQuery[datetime.date | None] = None,
    ) -> Template:
        firm = await _own_firm(request, park_id)
        return await _report_form(request, reports, firm.id, _portal_urls(park_id), period=period)

    @post("/reports/new", opt=allow("founder"))
    async def submit_report(
        self, request: Request, reports: NamedDependency[ReportService], park_id: FromPath[UUID]
    ) -> Template | Redirect:
        firm = await _own_firm(request, park_id)
        return await _file(request, reports, firm.id, None, False, _portal_urls(park_id))

    @get("/reports/{report_id:uuid}/edit", opt=allow("founder"))
    async def edit_report(
        self,
        request: Request,
        reports: NamedDependency[ReportService],
        park_id: FromPath[UUID],
        report_id: FromPath[UUID],
    ) -> Template:
        firm = await _own_firm(request, park_id)
        report = await reports.get_report(firm.id, report_id)
        return await _report_form(request, reports, firm.id, _portal_urls(park_id), report=report)

    @post("/reports/{report_id:uuid}/edit", opt=allow("founder"))
    async def correct_report(
        self,
        request: Request,
        reports: NamedDependency[ReportService],
        park_id: FromPath[UUID],
        report_id: FromPath[UUID],
    ) -> Template | Redirect:
        firm = await _own_firm(request, park_id)
        return await _file(request, reports, firm.id, report_id, False, _portal_urls(park_id))


def _urls(park_id: UUID, incubatee_id: UUID) -> dict[str, str]:
    base = f"/parks/{park_id}/incubatees/{incubatee_id}"
    return {"base": f"{base}/reports", "back": base}


def _portal_urls(park_id: UUID) -> dict[str, str]:
    return {"base": f"/parks/{park_id}/portal/reports", "back": f"/parks/{park_id}/portal"}


async def _own_firm(request: Request, park_id: UUID) -> Incubatee:
    incubatee_id = request.user.founder_of.get(park_id)
    if incubatee_id is None:
        raise NotFoundException(_("No such incubatee."))
    return await IncubateeService(request_session(request), park_id).get_in_park(incubatee_id, field="incubatee_id")


async def _report_form(
    request: Request,
    reports: ReportService,
    incubatee_id: UUID,
    urls: dict[str, str],
    *,
    report: PeriodicReport | None = None,
    period: datetime.date | None = None,
    submitted: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    schedule = await reports.schedule(incubatee_id)
    fileable = [e for e in schedule.entries if e.report is None and e.state in (ReportState.DUE, ReportState.OVERDUE)]
    values = submitted
    if values is None:
        values = {name: getattr(report, name) for name in FIGURES} if report else {}
        if period is not None:
            values["period_start"] = period.isoformat()
        elif fileable:
            values["period_start"] = fileable[0].period_start.isoformat()
    context = {
        "report": report,
        "form": values,
        "errors": errors or {},
        "periods": [(e.period_start.isoformat(), f"{e.period_start} – {e.period_end}") for e in fileable],
        "action": f"{urls['base']}/{report.id}/edit" if report else f"{urls['base']}/new",
        "back": urls["back"],
        "core_figures": CORE_FIGURES,
    }
    return await render(request, "periodic_reports/form.html", context, status_code=status_code)


async def _file(
    request: Request,
    reports: ReportService,
    incubatee_id: UUID,
    report_id: UUID | None,
    by_park: bool,
    urls: dict[str, str],
) -> Template | Redirect:
    submitted = dict(await request.form())

    async def create(data: ReportCreate) -> str:
        await reports.submit(incubatee_id, data, by_park=by_park, user_id=request.user.id)
        return urls["back"]

    async def correct(data: ReportUpdate) -> str:
        assert report_id is not None
        await reports.correct(incubatee_id, report_id, data, by_park=by_park)
        return urls["back"]

    if report_id is None:
        redirect, errors = await submit_form(submitted, ReportCreate, create)
    else:
        redirect, errors = await submit_form(submitted, ReportUpdate, correct)
    if redirect:
        return redirect
    report = await reports.get_report(incubatee_id, report_id) if report_id else None
    return await _report_form(
        request, reports, incubatee_id, urls, report=report, submitted=submitted, errors=errors, status_code=400
    )
