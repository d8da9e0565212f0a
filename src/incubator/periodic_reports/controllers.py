from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter

from incubator.auth.guards import allow
from incubator.paging import Page
from incubator.periodic_reports.deps import provide_by_park, provide_report_service
from incubator.periodic_reports.schemas import Compliance, ReportCreate, ReportRead, ReportUpdate, Schedule
from incubator.periodic_reports.services import ReportService, report_read
from incubator.web.params import PageParams

READERS = ("admin", "bureau", "operator", "founder")
FILERS = ("admin", "operator", "founder")
REPORTS = "/{incubatee_id:uuid}/reports"


class ReportController(Controller):
    """Founders file their firm's reports (the guard keeps them to their own firm); the park may file and
    correct them on the founder's behalf."""

    path = "/api/parks/{park_id:uuid}/incubatees"
    tags = ["periodic reports"]
    dependencies = {
        "reports": Provide(provide_report_service),
        "by_park": Provide(provide_by_park, sync_to_thread=False),
    }

    @get(REPORTS, opt=allow(*READERS), summary="The firm's reporting periods and what became of each")
    async def schedule(self, reports: NamedDependency[ReportService], incubatee_id: FromPath[UUID]) -> Schedule:
        return await reports.schedule(incubatee_id)

    @post(REPORTS, opt=allow(*FILERS), summary="File the report of a period that has ended")
    async def submit(
        self,
        request: Request[Any, Any, Any],
        reports: NamedDependency[ReportService],
        by_park: NamedDependency[bool],
        incubatee_id: FromPath[UUID],
        data: JSONBody[ReportCreate],
    ) -> ReportRead:
        return report_read(await reports.submit(incubatee_id, data, by_park=by_park, user_id=request.user.id))

    @get(REPORTS + "/{report_id:uuid}", opt=allow(*READERS), summary="One report")
    async def get_report(
        self, reports: NamedDependency[ReportService], incubatee_id: FromPath[UUID], report_id: FromPath[UUID]
    ) -> ReportRead:
        return report_read(await reports.get_report(incubatee_id, report_id))

    @patch(REPORTS + "/{report_id:uuid}", opt=allow(*FILERS), summary="Correct a report (founders until due)")
    async def correct(
        self,
        reports: NamedDependency[ReportService],
        by_park: NamedDependency[bool],
        incubatee_id: FromPath[UUID],
        report_id: FromPath[UUID],
        data: JSONBody[ReportUpdate],
    ) -> ReportRead:
        return report_read(await reports.correct(incubatee_id, report_id, data, by_park=by_park))


class ComplianceController(Controller):
    path = "/api/parks/{park_id:uuid}/reports"
    tags = ["periodic reports"]
    dependencies = {"reports": Provide(provide_report_service)}

    @get("", opt=allow("admin", "bureau", "operator"), summary="How each firm in incubation keeps up with its reports")
    async def compliance(
        self,
        reports: NamedDependency[ReportService],
        page: NamedDependency[PageParams],
        overdue: Annotated[bool, QueryParameter(description="Only firms with a report overdue")] = False,
    ) -> Page[Compliance]:
        rows = await reports.compliance(overdue_only=overdue)
        return Page(rows[page.offset : page.offset + page.limit], len(rows), page.limit, page.offset)
