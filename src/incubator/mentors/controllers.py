from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.guards import ANY_USER, allow
from incubator.clock import today
from incubator.exchange.exports import Export, ExportFormat, download
from incubator.exchange.layouts import MENTOR_SESSIONS, MENTORS
from incubator.mentors.models import SessionStatus
from incubator.mentors.schemas import (
    AssignmentCreate,
    AssignmentEnd,
    AssignmentRead,
    Mentee,
    MentorCreate,
    MentorHours,
    MentorRead,
    MentorUpdate,
    SessionCreate,
    SessionRead,
    SessionReturn,
    SessionUpdate,
)
from incubator.mentors.services import (
    AssignmentService,
    MentorDeskAcrossParks,
    MentorService,
    SessionReviewService,
    with_names,
)
from incubator.paging import Page
from incubator.web.params import PageParams
from incubator.web.pool import POOL_KEEPERS

READERS = ("admin", "bureau", "operator")
WRITERS = ("admin", "operator")


def _read(item: Any, schema: type[Any]) -> Any:
    return msgspec.convert(item, schema, from_attributes=True)


async def provide_mentors(db_session: NamedDependency[AsyncSession]) -> MentorService:
    return MentorService(session=db_session)


async def provide_assignments(db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID]) -> AssignmentService:
    return AssignmentService(db_session, park_id)


async def provide_reviews(db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID]) -> SessionReviewService:
    return SessionReviewService(db_session, park_id)


async def provide_desk(db_session: NamedDependency[AsyncSession], request: Request) -> MentorDeskAcrossParks:
    return await MentorDeskAcrossParks.for_user(db_session, request.user.id)


class MentorController(Controller):
    path = "/api/mentors"
    tags = ["mentors"]
    dependencies = {"mentors": Provide(provide_mentors)}

    @get("", opt=allow(ANY_USER), summary="The city's mentor pool; q searches name, organisation and expertise")
    async def list_mentors(
        self,
        mentors: NamedDependency[MentorService],
        page: NamedDependency[PageParams],
        q: Annotated[str, QueryParameter(max_length=100)] = "",
    ) -> Page[MentorRead]:
        items, total = await mentors.search(q, limit=page.limit, offset=page.offset)
        return Page([_read(m, MentorRead) for m in items], total, page.limit, page.offset)

    @get("/export", opt=allow(ANY_USER), summary="The mentor pool as CSV or XLSX; q as in the list")
    async def export_mentors(
        self,
        request: Request,
        mentors: NamedDependency[MentorService],
        export_format: NamedDependency[ExportFormat],
        q: Annotated[str, QueryParameter(max_length=100)] = "",
    ) -> Stream:
        return await download(request, Export(MENTORS, mentors.matching(q)), export_format)

    @post("", opt=allow(*POOL_KEEPERS), summary="Add a mentor to the pool")
    async def create_mentor(self, mentors: NamedDependency[MentorService], data: JSONBody[MentorCreate]) -> MentorRead:
        return _read(await mentors.create_mentor(data), MentorRead)

    @get("/{mentor_id:uuid}", opt=allow(ANY_USER), summary="One mentor")
    async def get_mentor(self, mentors: NamedDependency[MentorService], mentor_id: FromPath[UUID]) -> MentorRead:
        return _read(await mentors.get_member(mentor_id), MentorRead)

    @patch("/{mentor_id:uuid}", opt=allow(*POOL_KEEPERS), summary="Edit a mentor, or take them out of the pool")
    async def update_mentor(
        self, mentors: NamedDependency[MentorService], mentor_id: FromPath[UUID], data: JSONBody[MentorUpdate]
    ) -> MentorRead:
        return _read(await mentors.update_member(mentor_id, data), MentorRead)


class ParkMentoringController(Controller):
    path = "/api/parks/{park_id:uuid}"
    tags = ["mentors"]
    dependencies = {"assignments": Provide(provide_assignments), "reviews": Provide(provide_reviews)}

    @get("/mentor-assignments", opt=allow(*READERS), summary="Mentors assigned to the park's incubatees")
    async def list_assignments(
        self,
        assignments: NamedDependency[AssignmentService],
        page: NamedDependency[PageParams],
        incubatee_id: Annotated[UUID | None, QueryParameter()] = None,
    ) -> Page[AssignmentRead]:
        items, total = await assignments.list_assignments(incubatee_id, limit=page.limit, offset=page.offset)
        return Page([_read(a, AssignmentRead) for a in items], total, page.limit, page.offset)

    @post("/mentor-assignments", opt=allow(*WRITERS), summary="Assign a mentor of the pool to an incubatee")
    async def assign(
        self, assignments: NamedDependency[AssignmentService], data: JSONBody[AssignmentCreate]
    ) -> AssignmentRead:
        return _read(await assignments.assign(data), AssignmentRead)

    @post("/mentor-assignments/{assignment_id:uuid}/end", opt=allow(*WRITERS), summary="End an assignment")
    async def end_assignment(
        self,
        assignments: NamedDependency[AssignmentService],
        assignment_id: FromPath[UUID],
        data: JSONBody[AssignmentEnd],
    ) -> AssignmentRead:
        return _read(await assignments.end(assignment_id, data), AssignmentRead)

    @get("/mentor-sessions", opt=allow(*READERS), summary="Sessions mentors logged in the park (drafts excluded)")
    async def list_sessions(
        self,
        reviews: NamedDependency[SessionReviewService],
        page: NamedDependency[PageParams],
        status: Annotated[SessionStatus | None, QueryParameter()] = None,
    ) -> Page[SessionRead]:
        items, total = await reviews.list_sessions(status, limit=page.limit, offset=page.offset)
        return Page([_read(s, SessionRead) for s in items], total, page.limit, page.offset)

    @get("/mentor-sessions/export", opt=allow(*READERS), summary="The park's sessions as CSV or XLSX, by status")
    async def export_sessions(
        self,
        request: Request,
        reviews: NamedDependency[SessionReviewService],
        export_format: NamedDependency[ExportFormat],
        park_id: FromPath[UUID],
        status: Annotated[SessionStatus | None, QueryParameter()] = None,
    ) -> Stream:
        export = Export(MENTOR_SESSIONS, reviews.with_names(status), park_id=park_id)
        return await download(request, export, export_format)

    @post("/mentor-sessions/{session_id:uuid}/confirm", opt=allow(*WRITERS), summary="Confirm a submitted session")
    async def confirm(self, reviews: NamedDependency[SessionReviewService], session_id: FromPath[UUID]) -> SessionRead:
        return _read(await reviews.confirm(session_id), SessionRead)

    @post("/mentor-sessions/{session_id:uuid}/return", opt=allow(*WRITERS), summary="Return a session to its mentor")
    async def return_session(
        self, reviews: NamedDependency[SessionReviewService], session_id: FromPath[UUID], data: JSONBody[SessionReturn]
    ) -> SessionRead:
        return _read(await reviews.return_to_mentor(session_id, data), SessionRead)


class MyMentoringController(Controller):
    """The mentor's own desk, across the parks that assigned them."""

    path = "/api/my"
    tags = ["mentors"]
    opt = allow("mentor")
    dependencies = {"desk": Provide(provide_desk)}

    @get("/mentees", summary="Incubatees assigned to me today, in every park")
    async def mentees(self, desk: NamedDependency[MentorDeskAcrossParks]) -> list[Mentee]:
        return await desk.mentees()

    @get("/sessions", summary="My sessions, newest first")
    async def sessions(
        self, desk: NamedDependency[MentorDeskAcrossParks], page: NamedDependency[PageParams]
    ) -> Page[SessionRead]:
        items, total = await desk.sessions(limit=page.limit, offset=page.offset)
        return Page([_read(s, SessionRead) for s in items], total, page.limit, page.offset)

    @get("/sessions/export", summary="My sessions in every park as CSV or XLSX")
    async def export_sessions(
        self,
        request: Request,
        desk: NamedDependency[MentorDeskAcrossParks],
        export_format: NamedDependency[ExportFormat],
    ) -> Stream:
        export = Export(MENTOR_SESSIONS, with_names(desk.own_sessions()), subject=desk.mentor.name)
        return await download(request, export, export_format)

    @post("/sessions", summary="Log a session (a draft) with an incubatee assigned to me")
    async def log(self, desk: NamedDependency[MentorDeskAcrossParks], data: JSONBody[SessionCreate]) -> SessionRead:
        return _read(await desk.log(data), SessionRead)

    @patch("/sessions/{session_id:uuid}", summary="Edit my draft or returned session")
    async def edit(
        self, desk: NamedDependency[MentorDeskAcrossParks], session_id: FromPath[UUID], data: JSONBody[SessionUpdate]
    ) -> SessionRead:
        return _read(await desk.edit(session_id, data), SessionRead)

    @post("/sessions/{session_id:uuid}/submit", summary="Submit my session to the park")
    async def submit(self, desk: NamedDependency[MentorDeskAcrossParks], session_id: FromPath[UUID]) -> SessionRead:
        return _read(await desk.submit(session_id), SessionRead)

    @get("/hours", summary="My sessions and hours in a year, per park")
    async def hours(
        self,
        desk: NamedDependency[MentorDeskAcrossParks],
        year: Annotated[int | None, QueryParameter(ge=2000, le=2100)] = None,
    ) -> MentorHours:
        return await desk.hours(year or today().year)
