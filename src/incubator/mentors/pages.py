from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Stream, Template

from incubator.auth.guards import allow
from incubator.clock import today
from incubator.exchange.exports import Export, ExportFormat, download
from incubator.exchange.layouts import MENTOR_SESSIONS, MENTORS
from incubator.mentors.controllers import READERS, WRITERS, provide_desk, provide_mentors, provide_reviews
from incubator.mentors.models import SessionMode, SessionStatus
from incubator.mentors.schemas import MentorCreate, MentorUpdate, SessionCreate, SessionReturn, SessionUpdate
from incubator.mentors.services import MentorDeskAcrossParks, SessionReviewService, with_names
from incubator.web.forms import submit_form
from incubator.web.params import PageParams
from incubator.web.pool import PoolPages
from incubator.web.render import render


class MentorDeskPages(Controller):
    """A mentor's pages, made for a phone after a meeting."""

    path = "/my"
    include_in_schema = False
    opt = allow("mentor")
    dependencies = {"desk": Provide(provide_desk)}

    @get("/mentees", name="my_mentees")
    async def mentees(self, request: Request, desk: NamedDependency[MentorDeskAcrossParks]) -> Template:
        return await render(request, "mentors/mentees.html", {"mentees": await desk.mentees(), "mentor": desk.mentor})

    @get("/sessions", name="my_sessions")
    async def sessions(
        self, request: Request, desk: NamedDependency[MentorDeskAcrossParks], page: NamedDependency[PageParams]
    ) -> Template:
        items, total = await desk.sessions(limit=page.limit, offset=page.offset)
        names = {m.assignment_id: m.incubatee for m in await desk.mentees()}
        context = {"sessions": items, "total": total, "page": page, "names": names}
        return await render(request, "mentors/sessions.html", context)

    @get("/sessions/export")
    async def export_sessions(
        self,
        request: Request,
        desk: NamedDependency[MentorDeskAcrossParks],
        export_format: NamedDependency[ExportFormat],
    ) -> Stream:
        export = Export(MENTOR_SESSIONS, with_names(desk.own_sessions()), subject=desk.mentor.name)
        return await download(request, export, export_format)

    @get("/sessions/new", name="my_session_new")
    async def new_session(
        self,
        request: Request,
        desk: NamedDependency[MentorDeskAcrossParks],
        assignment_id: Annotated[UUID | None, QueryParameter()] = None,
    ) -> Template:
        form = {"assignment_id": assignment_id, "held_on": today(), "minutes": 60, "mode": "in_person"}
        return await _session_form(request, desk, None, form, {})

    @post("/sessions/new")
    async def log_session(self, request: Request, desk: NamedDependency[MentorDeskAcrossParks]) -> Template | Redirect:
        submitted = dict(await request.form())

        async def save(data: SessionCreate) -> str:
            logged = await desk.log(data)
            if submitted.get("action") == "submit":
                await desk.submit(logged.id)
            return "/my/sessions"

        redirect, errors = await submit_form(submitted, SessionCreate, save)
        return redirect or await _session_form(request, desk, None, submitted, errors, 400)

    @get("/sessions/{session_id:uuid}/edit", name="my_session_edit")
    async def edit_session(
        self, request: Request, desk: NamedDependency[MentorDeskAcrossParks], session_id: FromPath[UUID]
    ) -> Template:
        logged = await desk.mine(session_id)
        form = {f: getattr(logged, f) for f in SessionUpdate.__struct_fields__}
        return await _session_form(request, desk, logged, form, {})

    @post("/sessions/{session_id:uuid}/edit")
    async def update_session(
        self, request: Request, desk: NamedDependency[MentorDeskAcrossParks], session_id: FromPath[UUID]
    ) -> Template | Redirect:
        submitted = dict(await request.form())

        async def save(data: SessionUpdate) -> str:
            await desk.edit(session_id, data)
            if submitted.get("action") == "submit":
                await desk.submit(session_id)
            return "/my/sessions"

        redirect, errors = await submit_form(submitted, SessionUpdate, save)
        if redirect:
            return redirect
        return await _session_form(request, desk, await desk.mine(session_id), submitted, errors, 400)

    @get("/hours", name="my_hours")
    async def hours(
        self,
        request: Request,
        desk: NamedDependency[MentorDeskAcrossParks],
        year: Annotated[int | None, QueryParameter(ge=2000, le=2100)] = None,
    ) -> Template:
        return await render(request, "mentors/hours.html", {"hours": await desk.hours(year or today().year)})


async def _session_form(
    request: Request,
    desk: MentorDeskAcrossParks,
    logged: Any,
    form: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    mentees = await desk.mentees()
    context = {
        "logged": logged,
        "mentees": [(m.assignment_id, f"{m.incubatee} · {m.park}") for m in mentees],
        "form": form,
        "errors": errors,
        "modes": SessionMode,
    }
    return await render(request, "mentors/session_form.html", context, status_code=status_code)


class SessionReviewPages(Controller):
    """The operator's queue of mentor sessions to confirm or return."""

    path = "/parks/{park_id:uuid}/mentor-sessions"
    include_in_schema = False
    dependencies = {"reviews": Provide(provide_reviews)}

    @get("", opt=allow(*READERS), name="mentor_sessions")
    async def queue(
        self,
        request: Request,
        reviews: NamedDependency[SessionReviewService],
        page: NamedDependency[PageParams],
        park_id: FromPath[UUID],
        status: Annotated[SessionStatus | None, QueryParameter()] = SessionStatus.SUBMITTED,
    ) -> Template:
        return await _queue(request, reviews, page, park_id, status, {}, 200)

    @get("/export", opt=allow(*READERS))
    async def export_sessions(
        self,
        request: Request,
        reviews: NamedDependency[SessionReviewService],
        export_format: NamedDependency[ExportFormat],
        park_id: FromPath[UUID],
        status: Annotated[SessionStatus | None, QueryParameter()] = SessionStatus.SUBMITTED,
    ) -> Stream:
        export = Export(MENTOR_SESSIONS, reviews.with_names(status), park_id=park_id)
        return await download(request, export, export_format)

    @post("/{session_id:uuid}/confirm", opt=allow(*WRITERS))
    async def confirm(
        self, reviews: NamedDependency[SessionReviewService], park_id: FromPath[UUID], session_id: FromPath[UUID]
    ) -> Redirect:
        await reviews.confirm(session_id)
        return Redirect(f"/parks/{park_id}/mentor-sessions", status_code=303)

    @post("/{session_id:uuid}/return", opt=allow(*WRITERS))
    async def return_session(
        self,
        request: Request,
        reviews: NamedDependency[SessionReviewService],
        page: NamedDependency[PageParams],
        park_id: FromPath[UUID],
        session_id: FromPath[UUID],
    ) -> Template | Redirect:
        async def save(data: SessionReturn) -> str:
            await reviews.return_to_mentor(session_id, data)
            return f"/parks/{park_id}/mentor-sessions"

        redirect, errors = await submit_form(dict(await request.form()), SessionReturn, save)
        return redirect or await _queue(
            request, reviews, page, park_id, SessionStatus.SUBMITTED, {session_id: errors}, 400
        )


async def _queue(
    request: Request,
    reviews: SessionReviewService,
    page: PageParams,
    park_id: UUID,
    status: SessionStatus | None,
    errors: dict[UUID, dict[str, str]],
    status_code: int,
) -> Template:
    items, total = await reviews.list_sessions(status, limit=page.limit, offset=page.offset)
    context = {
        "sessions": items,
        "total": total,
        "page": page,
        "park_id": park_id,
        "status": status,
        "statuses": SessionStatus,
        "errors": errors,
        "names": await reviews.names_for(items),
        "can_write": bool(request.user.roles_in_park(park_id) & set(WRITERS)),
    }
    return await render(request, "mentors/review.html", context, status_code=status_code)


class MentorPoolPages(PoolPages):
    """The city's mentor pool."""

    path = "/mentors"
    dependencies = {"pool": Provide(provide_mentors)}
    create_schema = MentorCreate
    update_schema = MentorUpdate
    tags_field = "expertise"
    list_template = "mentors/pool.html"
    rows_template = "mentors/_pool_rows.html"
    form_template = "mentors/mentor_form.html"
    layout = MENTORS
