from collections.abc import Sequence
from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Stream, Template

from incubator.auth.guards import allow
from incubator.auth.schemas import PortalAccountCreate
from incubator.auth.services import UserService
from incubator.clock import today
from incubator.config import Settings
from incubator.db.session import request_session
from incubator.exchange.exports import ExportFormat, download
from incubator.incubatees.controllers import READERS, WRITERS, IdNumbersParameter, incubatee_export
from incubator.incubatees.deps import provide_incubatee_filter, provide_incubatee_service
from incubator.incubatees.models import (
    DecisionOutcome,
    Education,
    ExitReason,
    Gender,
    Incubatee,
    IncubateeStatus,
    IncubateeType,
    TargetGroup,
)
from incubator.incubatees.recommendations import RecommendationService
from incubator.incubatees.schemas import (
    Admission,
    DecisionCreate,
    Departure,
    FollowUpCreate,
    FounderCreate,
    IdNumbers,
    IncubateeCreate,
    IncubateeFilter,
    IncubateeUpdate,
)
from incubator.incubatees.services import SORTS, IncubateeService
from incubator.mentors.schemas import AssignmentCreate, AssignmentEnd
from incubator.mentors.services import AssignmentService, MentorService
from incubator.periodic_reports.services import ReportService
from incubator.support.services import DeliveryService
from incubator.web.forms import submit_form
from incubator.web.params import PageParams
from incubator.web.render import render

MAX_LISTED = 100
CHOICES = {
    "kinds": IncubateeType,
    "statuses": IncubateeStatus,
    "reasons": ExitReason,
    "target_groups": TargetGroup,
    "genders": Gender,
    "educations": Education,
    "sorts": list(SORTS),
}


class IncubateePages(Controller):
    path = "/parks/{park_id:uuid}/incubatees"
    include_in_schema = False
    dependencies = {
        "incubatees": Provide(provide_incubatee_service),
        "filters": Provide(provide_incubatee_filter, sync_to_thread=False),
    }

    @get("", opt=allow(*READERS), name="incubatees")
    async def list_incubatees(
        self,
        request: Request,
        incubatees: NamedDependency[IncubateeService],
        filters: NamedDependency[IncubateeFilter],
        page: NamedDependency[PageParams],
        park_id: FromPath[UUID],
    ) -> Template:
        items, total = await incubatees.list_incubatees(filters, limit=page.limit, offset=page.offset)
        context = {"incubatees": items, "total": total, "page": page, "filters": filters, "park_id": park_id}
        return await render(
            request,
            "incubatees/list.html",
            {**context, **CHOICES, **_can_write(request, park_id)},
            partial="incubatees/_rows.html",
        )

    @get("/export", opt=allow(*READERS))
    async def export_incubatees(
        self,
        request: Request,
        incubatees: NamedDependency[IncubateeService],
        filters: NamedDependency[IncubateeFilter],
        export_format: NamedDependency[ExportFormat],
        park_id: FromPath[UUID],
        id_numbers: IdNumbersParameter = IdNumbers.MASKED,
    ) -> Stream:
        export = await incubatee_export(request, incubatees, filters, id_numbers, park_id)
        return await download(request, export, export_format)

    @get("/new", opt=allow(*WRITERS), name="incubatee_new")
    async def new_incubatee(self, request: Request, park_id: FromPath[UUID]) -> Template:
        return await _form(request, park_id, None, {}, {})

    @post("/new", opt=allow(*WRITERS))
    async def create_incubatee(
        self, request: Request, incubatees: NamedDependency[IncubateeService], park_id: FromPath[UUID]
    ) -> Template | Redirect:
        submitted = dict(await request.form())

        async def save(data: IncubateeCreate) -> str:
            return f"/parks/{park_id}/incubatees/{(await incubatees.create_incubatee(data)).id}"

        redirect, errors = await submit_form(submitted, IncubateeCreate, save)
        return redirect or await _form(request, park_id, None, submitted, errors, status_code=400)

    @get("/{incubatee_id:uuid}", opt=allow(*READERS), name="incubatee")
    async def show_incubatee(
        self,
        request: Request,
        incubatees: NamedDependency[IncubateeService],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
    ) -> Template:
        incubatee = await incubatees.get_in_park(incubatee_id, field="incubatee_id")
        return await _detail(request, park_id, incubatee, {}, {})

    @get("/{incubatee_id:uuid}/edit", opt=allow(*WRITERS), name="incubatee_edit")
    async def edit_incubatee(
        self,
        request: Request,
        incubatees: NamedDependency[IncubateeService],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
    ) -> Template:
        incubatee = await incubatees.get_in_park(incubatee_id, field="incubatee_id")
        return await _form(request, park_id, incubatee, {}, {})

    @post("/{incubatee_id:uuid}/edit", opt=allow(*WRITERS))
    async def update_incubatee(
        self,
        request: Request,
        incubatees: NamedDependency[IncubateeService],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
    ) -> Template | Redirect:
        submitted = dict(await request.form())

        async def save(data: IncubateeUpdate) -> str:
            await incubatees.update_incubatee(incubatee_id, data)
            return f"/parks/{park_id}/incubatees/{incubatee_id}"

        redirect, errors = await submit_form(submitted, IncubateeUpdate, save)
        if redirect:
            return redirect
        incubatee = await incubatees.get_in_park(incubatee_id, field="incubatee_id")
        return await _form(request, park_id, incubatee, submitted, errors, status_code=400)

    @post("/{incubatee_id:uuid}/admission", opt=allow(*WRITERS))
    async def admit(
        self,
        request: Request,
        incubatees: NamedDependency[IncubateeService],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
    ) -> Template | Redirect:
        return await self._act(request, incubatees, park_id, incubatee_id, Admission, incubatees.admit, "admission")

    @post("/{incubatee_id:uuid}/departure", opt=allow(*WRITERS))
    async def depart(
        self,
        request: Request,
        incubatees: NamedDependency[IncubateeService],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
    ) -> Template | Redirect:
        return await self._act(request, incubatees, park_id, incubatee_id, Departure, incubatees.depart, "departure")

    @post("/{incubatee_id:uuid}/founders", opt=allow(*WRITERS))
    async def add_founder(
        self,
        request: Request,
        incubatees: NamedDependency[IncubateeService],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
    ) -> Template | Redirect:
        return await self._act(
            request, incubatees, park_id, incubatee_id, FounderCreate, incubatees.add_founder, "founder"
        )

    @post("/{incubatee_id:uuid}/follow-ups", opt=allow(*WRITERS))
    async def record_follow_up(
        self,
        request: Request,
        incubatees: NamedDependency[IncubateeService],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
    ) -> Template | Redirect:
        return await self._act(
            request, incubatees, park_id, incubatee_id, FollowUpCreate, incubatees.record_follow_up, "follow_up"
        )

    @post("/{incubatee_id:uuid}/mentors", opt=allow(*WRITERS))
    async def assign_mentor(
        self,
        request: Request,
        incubatees: NamedDependency[IncubateeService],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
    ) -> Template | Redirect:
        assignments = AssignmentService(request_session(request), park_id)
        form = {**dict(await request.form()), "incubatee_id": str(incubatee_id)}

        async def assign(_incubatee_id: UUID, data: AssignmentCreate) -> None:
            await assignments.assign(data)

        return await self._act(request, incubatees, park_id, incubatee_id, AssignmentCreate, assign, "mentor", form)

    @post("/{incubatee_id:uuid}/portal-accounts", opt=allow(*WRITERS))
    async def give_portal_access(
        self,
        request: Request,
        incubatees: NamedDependency[IncubateeService],
        settings: NamedDependency[Settings],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
    ) -> Template | Redirect:
        users = UserService(request_session(request), demo_mode=settings.demo_mode)

        async def create(_incubatee_id: UUID, data: PortalAccountCreate) -> None:
            await users.create_portal_account(park_id, incubatee_id, data)

        return await self._act(request, incubatees, park_id, incubatee_id, PortalAccountCreate, create, "portal")

    @post("/{incubatee_id:uuid}/decisions", opt=allow(*WRITERS))
    async def decide(
        self,
        request: Request,
        incubatees: NamedDependency[IncubateeService],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
    ) -> Template | Redirect:
        recommendations = RecommendationService(request_session(request), park_id)

        async def decide(_incubatee_id: UUID, data: DecisionCreate) -> None:
            await recommendations.decide(incubatee_id, data, user_id=request.user.id)

        return await self._act(request, incubatees, park_id, incubatee_id, DecisionCreate, decide, "decision")

    @post("/{incubatee_id:uuid}/mentors/{assignment_id:uuid}/end", opt=allow(*WRITERS))
    async def end_mentoring(
        self, request: Request, park_id: FromPath[UUID], incubatee_id: FromPath[UUID], assignment_id: FromPath[UUID]
    ) -> Redirect:
        await AssignmentService(request_session(request), park_id).end(assignment_id, AssignmentEnd(ends_on=today()))
        return Redirect(f"/parks/{park_id}/incubatees/{incubatee_id}", status_code=303)

    @post("/{incubatee_id:uuid}/founders/{founder_id:uuid}/delete", opt=allow(*WRITERS))
    async def remove_founder(
        self,
        incubatees: NamedDependency[IncubateeService],
        park_id: FromPath[UUID],
        incubatee_id: FromPath[UUID],
        founder_id: FromPath[UUID],
    ) -> Redirect:
        await incubatees.remove_founder(incubatee_id, founder_id)
        return Redirect(f"/parks/{park_id}/incubatees/{incubatee_id}", status_code=303)

    @post("/{incubatee_id:uuid}/founders/{founder_id:uuid}/id-number", opt=allow(*WRITERS))
    async def reveal_id_number(
        self,
        request: Request,
        incubatees: NamedDependency[IncubateeService],
        incubatee_id: FromPath[UUID],
        founder_id: FromPath[UUID],
    ) -> Template:
        """For htmx: the full number in place of the masked one (and an audit row)."""
        id_number = await incubatees.reveal_id_number(incubatee_id, founder_id)
        return Template("incubatees/_id_number.html", context={"id_number": id_number})

    async def _act(
        self,
        request: Request,
        incubatees: IncubateeService,
        park_id: UUID,
        incubatee_id: UUID,
        schema: Any,
        action: Any,
        form_name: str,
        submitted: dict[str, Any] | None = None,
    ) -> Template | Redirect:
        """One of the detail page's forms: do it and come back, or show the page with its messages."""
        submitted = submitted if submitted is not None else dict(await request.form())

        async def save(data: Any) -> str:
            await action(incubatee_id, data)
            return f"/parks/{park_id}/incubatees/{incubatee_id}"

        redirect, errors = await submit_form(submitted, schema, save)
        if redirect:
            return redirect
        incubatee = await incubatees.get_in_park(incubatee_id, field="incubatee_id")
        return await _detail(request, park_id, incubatee, {form_name: submitted}, {form_name: errors}, 400)


def _can_write(request: Request, park_id: UUID) -> dict[str, bool]:
    return {"can_write": bool(request.user.roles_in_park(park_id) & set(WRITERS))}


async def _detail(
    request: Request,
    park_id: UUID,
    incubatee: Incubatee,
    forms: dict[str, dict[str, Any]],
    errors: dict[str, dict[str, str]],
    status_code: int = 200,
) -> Template:
    session = request_session(request)
    assignments, _total = await AssignmentService(session, park_id).list_assignments(
        incubatee.id, limit=MAX_LISTED, offset=0
    )
    mentor_q = request.query_params.get("mentor_q", "")[:100]
    can_write = _can_write(request, park_id)
    pool: Sequence[Any] = []
    if can_write["can_write"] and incubatee.status == IncubateeStatus.INCUBATING:  # only the assign form needs it
        pool, _pool_total = await MentorService(session=session).search(mentor_q, limit=MAX_LISTED, offset=0)
    mentor_names = await MentorService(session=session).names_of([a.mentor_id for a in assignments])
    follow_ups = await IncubateeService(session, park_id).follow_ups(incubatee.id) if incubatee.left_on else []
    schedule = await ReportService(session, park_id).schedule(incubatee.id) if incubatee.admitted_on else None
    recommendations = RecommendationService(session, park_id)
    portal_accounts: Sequence[Any] = []
    if can_write["can_write"]:
        portal_accounts = await UserService(session).portal_accounts(park_id, incubatee.id)
    deliveries, _count = await DeliveryService(session, park_id).delivered_to(incubatee.id, limit=MAX_LISTED)
    context = {
        "schedule": schedule,
        "recommendations": await recommendations.standing(incubatee.id),
        "decisions": await recommendations.decisions(incubatee.id),
        "outcomes": DecisionOutcome,
        "portal_accounts": portal_accounts,
        "incubatee": incubatee,
        "follow_ups": follow_ups,
        "park_id": park_id,
        "forms": forms,
        "errors": errors,
        "assignments": assignments,
        "mentor_names": mentor_names,
        "mentor_options": [(m.id, f"{m.name} · {'、'.join(m.expertise)}") for m in pool],
        "mentor_q": mentor_q,
        "today": today(),
        "deliveries": deliveries,
    }
    return await render(
        request,
        "incubatees/detail.html",
        {**context, **CHOICES, **can_write},
        status_code=status_code,
    )


async def _form(
    request: Request,
    park_id: UUID,
    incubatee: Incubatee | None,
    submitted: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    values = submitted
    if incubatee is not None and not submitted:
        values = {f: getattr(incubatee, f) for f in IncubateeUpdate.__struct_fields__}
    context = {"incubatee": incubatee, "park_id": park_id, "form": values, "errors": errors, **CHOICES}
    return await render(request, "incubatees/form.html", context, status_code=status_code)


class RecommendationPages(Controller):
    path = "/parks/{park_id:uuid}/recommendations"
    include_in_schema = False

    @get("", opt=allow(*READERS), name="recommendations")
    async def worklist(self, request: Request, page: NamedDependency[PageParams], park_id: FromPath[UUID]) -> Template:
        items = await RecommendationService(request_session(request), park_id).standing()
        context = {
            "park_id": park_id,
            "items": items[page.offset : page.offset + page.limit],
            "total": len(items),
            "page": page,
            "outcomes": DecisionOutcome,
            **_can_write(request, park_id),
        }
        return await render(request, "incubatees/recommendations.html", context)
