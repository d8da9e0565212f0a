from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.guards import allow
from incubator.errors import Forbidden
from incubator.exchange.exports import Export, ExportFormat, download
from incubator.exchange.layouts import INCUBATEES
from incubator.i18n import _
from incubator.incubatees.deps import provide_incubatee_filter, provide_incubatee_service
from incubator.incubatees.models import Decision, Founder, Incubatee
from incubator.incubatees.recommendations import RecommendationService
from incubator.incubatees.schemas import (
    Admission,
    DecisionCreate,
    DecisionRead,
    Departure,
    FollowUpCreate,
    FollowUpRead,
    FounderCreate,
    FounderRead,
    FounderUpdate,
    IdNumberRead,
    IdNumbers,
    IncubateeCreate,
    IncubateeFilter,
    IncubateeRead,
    IncubateeUpdate,
    RecommendationRead,
)
from incubator.incubatees.services import IncubateeService
from incubator.paging import Page
from incubator.web.params import PageParams

READERS = ("admin", "bureau", "operator")
WRITERS = ("admin", "operator")


def founder_read(founder: Founder) -> FounderRead:
    return msgspec.convert(founder, FounderRead, from_attributes=True)


def incubatee_read(incubatee: Incubatee) -> IncubateeRead:
    return msgspec.convert(incubatee, IncubateeRead, from_attributes=True)


IdNumbersParameter = Annotated[
    IdNumbers,
    QueryParameter(
        name="id_numbers", description="masked, or full for those who may reveal them (each one is audited)"
    ),
]


async def incubatee_export(
    request: Request[Any, Any, Any],
    incubatees: IncubateeService,
    filters: IncubateeFilter,
    id_numbers: IdNumbers,
    park_id: UUID,
) -> Export:
    """The list's firms with their founders. Full ID numbers only for the roles that may reveal them on
    screen, and each one revealed goes to the audit trail."""
    layout = INCUBATEES
    if id_numbers is IdNumbers.FULL:
        if not request.user.roles_in_park(park_id) & set(WRITERS):
            raise Forbidden(_("Your role may not export full ID numbers."), field="id_numbers")
        await incubatees.reveal_id_numbers(filters)
        layout = INCUBATEES.replacing("founder_id_number", lambda row: incubatees.id_number_of(row.Founder))
    return Export(layout, incubatees.with_founders(filters), park_id=park_id)


class IncubateeController(Controller):
    path = "/api/parks/{park_id:uuid}/incubatees"
    tags = ["incubatees"]
    dependencies = {
        "incubatees": Provide(provide_incubatee_service),
        "filters": Provide(provide_incubatee_filter, sync_to_thread=False),
    }

    @get("", opt=allow(*READERS), summary="List a park's incubatees")
    async def list_incubatees(
        self,
        incubatees: NamedDependency[IncubateeService],
        filters: NamedDependency[IncubateeFilter],
        page: NamedDependency[PageParams],
    ) -> Page[IncubateeRead]:
        items, total = await incubatees.list_incubatees(filters, limit=page.limit, offset=page.offset)
        return Page([incubatee_read(i) for i in items], total, page.limit, page.offset)

    @get(
        "/export",
        opt=allow(*READERS),
        summary="The list as CSV or XLSX, with its filters: one row per founder, the firm's columns repeated",
    )
    async def export_incubatees(
        self,
        request: Request[Any, Any, Any],
        incubatees: NamedDependency[IncubateeService],
        filters: NamedDependency[IncubateeFilter],
        export_format: NamedDependency[ExportFormat],
        park_id: FromPath[UUID],
        id_numbers: IdNumbersParameter = IdNumbers.MASKED,
    ) -> Stream:
        export = await incubatee_export(request, incubatees, filters, id_numbers, park_id)
        return await download(request, export, export_format)

    @post("", opt=allow(*WRITERS), summary="Register an applicant (or admit at once with admitted_on)")
    async def create_incubatee(
        self, incubatees: NamedDependency[IncubateeService], data: JSONBody[IncubateeCreate]
    ) -> IncubateeRead:
        return incubatee_read(await incubatees.create_incubatee(data))

    @get("/{incubatee_id:uuid}", opt=allow(*READERS), summary="One incubatee, with its founders")
    async def get_incubatee(
        self, incubatees: NamedDependency[IncubateeService], incubatee_id: FromPath[UUID]
    ) -> IncubateeRead:
        return incubatee_read(await incubatees.get_in_park(incubatee_id, field="incubatee_id"))

    @patch("/{incubatee_id:uuid}", opt=allow(*WRITERS), summary="Edit an incubatee")
    async def update_incubatee(
        self,
        incubatees: NamedDependency[IncubateeService],
        incubatee_id: FromPath[UUID],
        data: JSONBody[IncubateeUpdate],
    ) -> IncubateeRead:
        return incubatee_read(await incubatees.update_incubatee(incubatee_id, data))

    @post("/{incubatee_id:uuid}/admission", opt=allow(*WRITERS), summary="Admit an applicant")
    async def admit(
        self, incubatees: NamedDependency[IncubateeService], incubatee_id: FromPath[UUID], data: JSONBody[Admission]
    ) -> IncubateeRead:
        return incubatee_read(await incubatees.admit(incubatee_id, data))

    @post("/{incubatee_id:uuid}/departure", opt=allow(*WRITERS), summary="Graduate or exit an incubatee")
    async def depart(
        self, incubatees: NamedDependency[IncubateeService], incubatee_id: FromPath[UUID], data: JSONBody[Departure]
    ) -> IncubateeRead:
        return incubatee_read(await incubatees.depart(incubatee_id, data))

    @get("/{incubatee_id:uuid}/follow-ups", opt=allow(*READERS), summary="Yearly follow-ups after the firm left")
    async def list_follow_ups(
        self, incubatees: NamedDependency[IncubateeService], incubatee_id: FromPath[UUID]
    ) -> list[FollowUpRead]:
        follow_ups = await incubatees.follow_ups(incubatee_id)
        return [msgspec.convert(f, FollowUpRead, from_attributes=True) for f in follow_ups]

    @post("/{incubatee_id:uuid}/follow-ups", opt=allow(*WRITERS), summary="Record a yearly follow-up")
    async def record_follow_up(
        self,
        incubatees: NamedDependency[IncubateeService],
        incubatee_id: FromPath[UUID],
        data: JSONBody[FollowUpCreate],
    ) -> FollowUpRead:
        follow_up = await incubatees.record_follow_up(incubatee_id, data)
        return msgspec.convert(follow_up, FollowUpRead, from_attributes=True)

    @post("/{incubatee_id:uuid}/founders", opt=allow(*WRITERS), summary="Add a founder")
    async def add_founder(
        self,
        incubatees: NamedDependency[IncubateeService],
        incubatee_id: FromPath[UUID],
        data: JSONBody[FounderCreate],
    ) -> FounderRead:
        return founder_read(await incubatees.add_founder(incubatee_id, data))

    @patch("/{incubatee_id:uuid}/founders/{founder_id:uuid}", opt=allow(*WRITERS), summary="Edit a founder")
    async def update_founder(
        self,
        incubatees: NamedDependency[IncubateeService],
        incubatee_id: FromPath[UUID],
        founder_id: FromPath[UUID],
        data: JSONBody[FounderUpdate],
    ) -> FounderRead:
        return founder_read(await incubatees.update_founder(incubatee_id, founder_id, data))

    @delete("/{incubatee_id:uuid}/founders/{founder_id:uuid}", opt=allow(*WRITERS), summary="Remove a founder")
    async def remove_founder(
        self, incubatees: NamedDependency[IncubateeService], incubatee_id: FromPath[UUID], founder_id: FromPath[UUID]
    ) -> None:
        await incubatees.remove_founder(incubatee_id, founder_id)

    @post(
        "/{incubatee_id:uuid}/founders/{founder_id:uuid}/id-number",
        opt=allow(*WRITERS),
        summary="Reveal a founder's full ID number (audited)",
        status_code=200,
    )
    async def reveal_id_number(
        self, incubatees: NamedDependency[IncubateeService], incubatee_id: FromPath[UUID], founder_id: FromPath[UUID]
    ) -> IdNumberRead:
        return IdNumberRead(founder_id, await incubatees.reveal_id_number(incubatee_id, founder_id))


def provide_recommendations(
    db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID]
) -> RecommendationService:
    return RecommendationService(db_session, park_id)


class RecommendationController(Controller):
    """The system recommends graduating or exiting firms by the rubric's rules; operators decide."""

    path = "/api/parks/{park_id:uuid}"
    tags = ["incubatees"]
    dependencies = {"recommendations": Provide(provide_recommendations, sync_to_thread=False)}

    @get("/recommendations", opt=allow(*READERS), summary="Recommendations waiting for a decision, park-wide")
    async def worklist(
        self, recommendations: NamedDependency[RecommendationService], page: NamedDependency[PageParams]
    ) -> Page[RecommendationRead]:
        items = await recommendations.standing()
        return Page(items[page.offset : page.offset + page.limit], len(items), page.limit, page.offset)

    @get("/incubatees/{incubatee_id:uuid}/recommendations", opt=allow(*READERS), summary="The firm's recommendations")
    async def for_firm(
        self, recommendations: NamedDependency[RecommendationService], incubatee_id: FromPath[UUID]
    ) -> list[RecommendationRead]:
        await recommendations.decisions(incubatee_id)  # 404 for a firm not of this park
        return await recommendations.standing(incubatee_id)

    @get("/incubatees/{incubatee_id:uuid}/decisions", opt=allow(*READERS), summary="Decisions taken on the firm")
    async def decisions(
        self, recommendations: NamedDependency[RecommendationService], incubatee_id: FromPath[UUID]
    ) -> list[DecisionRead]:
        return [decision_read(d) for d in await recommendations.decisions(incubatee_id)]

    @post(
        "/incubatees/{incubatee_id:uuid}/decisions", opt=allow(*WRITERS), summary="Accept or dismiss a recommendation"
    )
    async def decide(
        self,
        request: Request[Any, Any, Any],
        recommendations: NamedDependency[RecommendationService],
        incubatee_id: FromPath[UUID],
        data: JSONBody[DecisionCreate],
    ) -> DecisionRead:
        return decision_read(await recommendations.decide(incubatee_id, data, user_id=request.user.id))


def decision_read(decision: Decision) -> DecisionRead:
    return msgspec.convert(decision, DecisionRead, from_attributes=True)
