from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.auth.guards import allow
from incubator.ratings.drilldown import Drilldown
from incubator.ratings.models import Rating, RatingAdjustment, RatingStatus
from incubator.ratings.schemas import AdjustmentCreate, AdjustmentRead, RatingRead, Returning, Submission, Transition
from incubator.ratings.scoring import Improvement
from incubator.ratings.services import RatingReview, RatingRounds
from incubator.web.params import PageParams

READERS = ("admin", "bureau", "operator")
PARK = ("admin", "operator")
BUREAU = ("admin", "bureau")
RATING = "/{rating_id:uuid}"


def rating_read(rating: Rating, adjustments: list[RatingAdjustment] | None = None) -> RatingRead:
    read = msgspec.convert(rating, RatingRead, from_attributes=True, str_keys=True)
    return msgspec.structs.replace(
        read,
        version=rating.lock_version,
        adjustments=[msgspec.convert(a, AdjustmentRead, from_attributes=True) for a in adjustments or []],
    )


async def provide_review(db_session: NamedDependency[AsyncSession], park_id: FromPath[UUID]) -> RatingReview:
    return RatingReview(db_session, park_id)


class ParkRatingController(Controller):
    """A park's star ratings: the park submits its draft; the bureau reviews, adjusts, returns, approves
    and publishes. Parks never see each other's ratings."""

    path = "/api/parks/{park_id:uuid}/ratings"
    tags = ["ratings"]
    dependencies = {"review": Provide(provide_review)}

    @get("", opt=allow(*READERS), summary="The park's ratings")
    async def list_ratings(self, review: NamedDependency[RatingReview]) -> list[RatingRead]:
        return [rating_read(r) for r in await review.list_ratings()]

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


class ReviewQueueController(Controller):
    path = "/api/ratings"
    tags = ["ratings"]

    @get("", opt=allow(*BUREAU), summary="Every park's rating of a period: the bureau's review queue")
    async def queue(
        self,
        db_session: NamedDependency[AsyncSession],
        period: Annotated[
            str | None, QueryParameter(max_length=20, description="e.g. 2017; the latest by default")
        ] = None,
        status: Annotated[RatingStatus | None, QueryParameter()] = None,
    ) -> list[RatingRead]:
        rounds = RatingRounds(db_session)
        rating_round = await rounds.get_round(period) if period else await rounds.latest_round()
        if rating_round is None:
            return []
        ratings = await rounds.ratings_of(rating_round)
        return [rating_read(r) for r in ratings if status is None or r.status == status]
