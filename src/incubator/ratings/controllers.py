from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody, QueryParameter
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.guards import allow
from incubator.exchange.exports import Export, ExportFormat, download
from incubator.exchange.layouts import RATINGS
from incubator.ratings.drilldown import Drilldown
from incubator.ratings.evidence import UPLOAD_BODY_LIMIT, attachment
from incubator.ratings.models import (
    Rating,
    RatingAdjustment,
    RatingComment,
    RatingEvidence,
    RatingRound,
    RatingStatus,
)
from incubator.ratings.schemas import (
    AdjustmentCreate,
    AdjustmentRead,
    CommentCreate,
    CommentRead,
    EvidenceRead,
    EvidenceUpload,
    PeriodOpening,
    PeriodRead,
    RatingRead,
    Returning,
    Revision,
    Submission,
    Transition,
    Withdrawal,
)
from incubator.ratings.scoring import Improvement
from incubator.ratings.services import (
    RatingComments,
    RatingEvidenceFiles,
    RatingReview,
    RatingRounds,
    too_large_message,
)
from incubator.web.errors import upload_refusals
from incubator.web.params import PageParams

READERS = ("admin", "bureau", "operator")
PARK = ("admin", "operator")
BUREAU = ("admin", "bureau")
RATING = "/{rating_id:uuid}"
EVIDENCE = RATING + "/evidence/{evidence_id:uuid}"


def rating_read(rating: Rating, adjustments: list[RatingAdjustment] | None = None) -> RatingRead:
    read = msgspec.convert(rating, RatingRead, from_attributes=True, str_keys=True)
    return msgspec.structs.replace(
        read,
        version=rating.lock_version,
        adjustments=[msgspec.convert(a, AdjustmentRead, from_attributes=True) for a in adjustments or []],
    )


def comment_read(comment: RatingComment, author_name: str) -> CommentRead:
    return CommentRead(
        id=comment.id,
        rating_id=comment.rating_id,
        author_id=comment.author_id,
        author_name=author_name,
        body=comment.body,
        created_at=comment.created_at,
    )


async def provide_review(db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID]) -> RatingReview:
    return RatingReview(db_session, park_id)


async def provide_comments(db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID]) -> RatingComments:
    return RatingComments(db_session, park_id)


async def provide_evidence(db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID]) -> RatingEvidenceFiles:
    return RatingEvidenceFiles(db_session, park_id)


RATING_SERVICES = {
    "review": Provide(provide_review),
    "comments": Provide(provide_comments),
    "evidence": Provide(provide_evidence),
}


async def attach_upload(
    evidence: RatingEvidenceFiles, rating_id: UUID, data: EvidenceUpload, user_id: UUID
) -> RatingEvidence:
    """The uploaded file to the service; the route's body limit bounds what is read here."""
    upload: UploadFile = data.file
    return await evidence.attach(
        rating_id, file_name=upload.filename or "", content=await upload.read(), metric=data.metric, user_id=user_id
    )


UPLOAD_REFUSALS = upload_refusals(too_large_message)
"""With ``request_max_body_size=UPLOAD_BODY_LIMIT`` on every evidence upload route."""


def evidence_file(found: RatingEvidence) -> Response[bytes]:
    return Response(
        found.content,
        media_type=found.content_type,
        headers={"Content-Disposition": attachment(found.file_name), "Cache-Control": "private, no-store"},
    )


class ParkRatingController(Controller):
    """A park's star ratings: the park submits its draft; the bureau reviews, adjusts, returns, approves
    and publishes. Parks never see each other's ratings."""

    path = "/api/parks/{park_id:uuid}/ratings"
    tags = ["ratings"]
    dependencies = RATING_SERVICES

    @get("", opt=allow(*READERS), summary="The park's ratings")
    async def list_ratings(self, review: NamedDependency[RatingReview]) -> list[RatingRead]:
        return [rating_read(r) for r in await review.list_ratings()]

    @get("/export", opt=allow(*READERS), summary="The park's ratings as CSV or XLSX")
    async def export_ratings(
        self,
        request: Request[Any, Any, Any],
        review: NamedDependency[RatingReview],
        export_format: NamedDependency[ExportFormat],
        park_id: FromPath[UUID],
    ) -> Stream:
        return await download(request, Export(RATINGS, review.with_periods(), park_id=park_id), export_format)

    @get(RATING, opt=allow(*READERS), summary="One rating with its breakdown, metrics and adjustments")
    async def get_rating(self, review: NamedDependency[RatingReview], rating_id: FromPath[UUID]) -> RatingRead:
        rating = await review.get_in_park(rating_id, field="rating_id")
        return rating_read(rating, list(await review.adjustments(rating_id)))

    @get(RATING + "/what-if", opt=allow(*READERS), summary="Per indicator, the change that alone reaches the next star")
    async def what_if(self, review: NamedDependency[RatingReview], rating_id: FromPath[UUID]) -> list[Improvement]:
        return await review.what_if(rating_id)

    @get(
        RATING + "/metrics/{metric:str}",
        opt=allow(*READERS),
        summary="The rows behind one metric value, with the value as frozen and as the rows give it today",
    )
    async def drill_down(
        self,
        review: NamedDependency[RatingReview],
        page: NamedDependency[PageParams],
        rating_id: FromPath[UUID],
        metric: FromPath[str],
    ) -> Drilldown:
        return await review.drill_down(rating_id, metric, limit=page.limit, offset=page.offset)

    @post(RATING + "/submit", opt=allow(*PARK), summary="The park submits its draft (with a comment)")
    async def submit(
        self, review: NamedDependency[RatingReview], rating_id: FromPath[UUID], data: JSONBody[Submission]
    ) -> RatingRead:
        return rating_read(await review.submit(rating_id, data))

    @post(RATING + "/review", opt=allow(*BUREAU), summary="The bureau takes a submitted rating under review")
    async def review(
        self, review: NamedDependency[RatingReview], rating_id: FromPath[UUID], data: JSONBody[Transition]
    ) -> RatingRead:
        return rating_read(await review.start_review(rating_id, data))

    @post(RATING + "/adjustments", opt=allow(*BUREAU), summary="Adjust a metric value, with a reason")
    async def adjust(
        self,
        request: Request[Any, Any, Any],
        review: NamedDependency[RatingReview],
        rating_id: FromPath[UUID],
        data: JSONBody[AdjustmentCreate],
    ) -> RatingRead:
        rating = await review.adjust(rating_id, data, user_id=request.user.id)
        return rating_read(rating, list(await review.adjustments(rating_id)))

    @post(RATING + "/return", opt=allow(*BUREAU), summary="Return the rating to the park, with reasons")
    async def return_to_park(
        self, review: NamedDependency[RatingReview], rating_id: FromPath[UUID], data: JSONBody[Returning]
    ) -> RatingRead:
        return rating_read(await review.return_to_park(rating_id, data))

    @post(RATING + "/approve", opt=allow(*BUREAU), summary="Approve a rating under review")
    async def approve(
        self, review: NamedDependency[RatingReview], rating_id: FromPath[UUID], data: JSONBody[Transition]
    ) -> RatingRead:
        return rating_read(await review.approve(rating_id, data))

    @post(RATING + "/publish", opt=allow(*BUREAU), summary="Publish an approved rating (final)")
    async def publish(
        self, review: NamedDependency[RatingReview], rating_id: FromPath[UUID], data: JSONBody[Transition]
    ) -> RatingRead:
        return rating_read(await review.publish(rating_id, data))

    @post(RATING + "/revise", opt=allow(*BUREAU), summary="Open a correction of a published rating: a new revision")
    async def revise(
        self, review: NamedDependency[RatingReview], rating_id: FromPath[UUID], data: JSONBody[Revision]
    ) -> RatingRead:
        revision = await review.revise(rating_id, data)
        return rating_read(revision, list(await review.adjustments(revision.id)))

    @post(
        RATING + "/withdraw",
        opt=allow(*BUREAU),
        summary="Withdraw a correction before it is published: the published rating stands",
    )
    async def withdraw(
        self, review: NamedDependency[RatingReview], rating_id: FromPath[UUID], data: JSONBody[Withdrawal]
    ) -> RatingRead:
        return rating_read(await review.withdraw(rating_id, data))

    @get(RATING + "/comments", opt=allow(*READERS), summary="The conversation on the rating, the newest last")
    async def comments(self, comments: NamedDependency[RatingComments], rating_id: FromPath[UUID]) -> list[CommentRead]:
        return [comment_read(comment, name) for comment, name in await comments.thread(rating_id)]

    @post(RATING + "/comments", opt=allow(*READERS), summary="Add a comment to the rating")
    async def comment(
        self,
        request: Request[Any, Any, Any],
        comments: NamedDependency[RatingComments],
        rating_id: FromPath[UUID],
        data: JSONBody[CommentCreate],
    ) -> CommentRead:
        added = await comments.add(rating_id, data, user_id=request.user.id)
        return comment_read(added, request.user.display_name)

    @get(RATING + "/evidence", opt=allow(*READERS), summary="The rating's evidence files (without their content)")
    async def list_evidence(
        self, evidence: NamedDependency[RatingEvidenceFiles], rating_id: FromPath[UUID]
    ) -> list[EvidenceRead]:
        return [msgspec.convert(e, EvidenceRead, from_attributes=True) for e in await evidence.list_evidence(rating_id)]

    @post(
        RATING + "/evidence",
        opt=allow(*PARK),
        summary="Attach an evidence file (PDF, PNG, JPEG, docx, xlsx; at most 10 MB, 20 per rating)",
        request_max_body_size=UPLOAD_BODY_LIMIT,
        exception_handlers=UPLOAD_REFUSALS,
    )
    async def attach(
        self,
        request: Request[Any, Any, Any],
        evidence: NamedDependency[RatingEvidenceFiles],
        rating_id: FromPath[UUID],
        data: Annotated[EvidenceUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> EvidenceRead:
        added = await attach_upload(evidence, rating_id, data, request.user.id)
        return msgspec.convert(added, EvidenceRead, from_attributes=True)

    @get(EVIDENCE, opt=allow(*READERS), summary="Download an evidence file", media_type="application/octet-stream")
    async def download(
        self, evidence: NamedDependency[RatingEvidenceFiles], rating_id: FromPath[UUID], evidence_id: FromPath[UUID]
    ) -> Response[bytes]:
        return evidence_file(await evidence.download(rating_id, evidence_id))

    @delete(EVIDENCE, opt=allow(*PARK), summary="Remove an evidence file while the rating is a draft or returned")
    async def remove(
        self, evidence: NamedDependency[RatingEvidenceFiles], rating_id: FromPath[UUID], evidence_id: FromPath[UUID]
    ) -> None:
        await evidence.remove(rating_id, evidence_id)


PeriodParameter = Annotated[str | None, QueryParameter(max_length=20, description="e.g. 2017; the latest by default")]
StatusParameter = Annotated[RatingStatus | None, QueryParameter()]


async def queue_export(db_session: AsyncSession, period: str | None, status: RatingStatus | None) -> Export:
    rating_round, entries = await RatingRounds(db_session).queue(period, status)
    return Export(RATINGS, rows=entries, subject=rating_round.label if rating_round else "")


class ReviewQueueController(Controller):
    path = "/api/ratings"
    tags = ["ratings"]

    @get("", opt=allow(*BUREAU), summary="Every park's rating of a period: the bureau's review queue")
    async def queue(
        self, db_session: NamedDependency[AsyncSession], period: PeriodParameter = None, status: StatusParameter = None
    ) -> list[RatingRead]:
        _round, entries = await RatingRounds(db_session).queue(period, status)
        return [rating_read(entry.Rating) for entry in entries]

    @get("/export", opt=allow(*BUREAU), summary="The review queue as CSV or XLSX, with its filters")
    async def export_queue(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        export_format: NamedDependency[ExportFormat],
        period: PeriodParameter = None,
        status: StatusParameter = None,
    ) -> Stream:
        return await download(request, await queue_export(db_session, period, status), export_format)


def period_read(rating_round: RatingRound, drafts: list[Rating] | None = None) -> PeriodRead:
    read = msgspec.convert(rating_round, PeriodRead, from_attributes=True)
    return msgspec.structs.replace(read, drafts=None if drafts is None else len(drafts))


class RatingPeriodController(Controller):
    """The bureau's rating periods: open one (every park's draft computed at once), recompute the drafts as
    the data changes, close it."""

    path = "/api/rating-periods"
    tags = ["ratings"]

    @get("", opt=allow(*BUREAU), summary="The rating periods, the latest first")
    async def list_periods(self, db_session: NamedDependency[AsyncSession]) -> list[PeriodRead]:
        return [period_read(r) for r in await RatingRounds(db_session).rounds()]

    @post("", opt=allow(*BUREAU), summary="Open a year for rating and compute every park's draft")
    async def open_period(self, db_session: NamedDependency[AsyncSession], data: JSONBody[PeriodOpening]) -> PeriodRead:
        return period_read(*await RatingRounds(db_session).open_period(data))

    @post(
        "/{period:str}/compute",
        status_code=200,
        opt=allow(*BUREAU),
        summary="Recompute the drafts (submitted ones stay)",
    )
    async def compute(self, db_session: NamedDependency[AsyncSession], period: FromPath[str]) -> PeriodRead:
        return period_read(*await RatingRounds(db_session).recompute(period))

    @post(
        "/{period:str}/close",
        status_code=200,
        opt=allow(*BUREAU),
        summary="Close the period: drafts stop following the data",
    )
    async def close(self, db_session: NamedDependency[AsyncSession], period: FromPath[str]) -> PeriodRead:
        return period_read(await RatingRounds(db_session).close_round(period))
