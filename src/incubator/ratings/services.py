"""Rating rounds and their drafts: metrics collected for the whole city at once, scored park by park."""

from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from uuid import UUID

import msgspec
import sqlalchemy as sa
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from incubator.db.scoped import ParkScopedService
from incubator.db.tenancy import ALL_PARKS
from incubator.errors import Conflict, InvalidInput, NotFound
from incubator.i18n import N_, _
from incubator.parks.models import Park, ParkKind
from incubator.ratings.drilldown import Drilldown, drill_down
from incubator.ratings.metrics import RatingPeriod, collect_metrics_across_parks
from incubator.ratings.models import Rating, RatingAdjustment, RatingRound, RatingStatus, RoundStatus
from incubator.ratings.rubric import DEFAULT_VERSION, Rubric, packaged_rubric, packaged_versions
from incubator.ratings.schemas import AdjustmentCreate, Returning, Submission, Transition
from incubator.ratings.scoring import Improvement, PeriodOutcome, Score, exit_decision, funding_due, score, what_if

RECOMPUTABLE = (RatingStatus.DRAFT, RatingStatus.RETURNED)
"""A draft (or a returned one) follows the data; from submission on, the numbers are frozen."""


class RatingRounds:
    """The bureau's rating rounds across every park (crosses parks by nature)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def open_round(self, year: int, rubric_version: str = DEFAULT_VERSION) -> RatingRound:
        if rubric_version not in packaged_versions():
            raise InvalidInput(_("No such rubric version."), field="rubric_version")
        label = str(year)
        if await self.session.scalar(sa.select(RatingRound.id).where(RatingRound.label == label)):
            raise Conflict(_("This rating period is already open."), field="year")
        period = RatingPeriod.year(year)
        rating_round = RatingRound(
            label=label, starts_on=period.start, ends_on=period.end, rubric_version=rubric_version
        )
        self.session.add(rating_round)
        await self.session.flush()
        return rating_round

    async def get_round(self, label: str) -> RatingRound:
        found = await self.session.scalar(sa.select(RatingRound).where(RatingRound.label == label))
        if found is None:
            raise NotFound(_("No such rating period."), field="period")
        return found

    async def compute_drafts_across_parks(
        self, rating_round: RatingRound, park_ids: Collection[UUID] | None = None
    ) -> list[Rating]:
        """Collect every park's metrics (a fixed number of queries) and score each park's draft. Drafts and
        returned ratings follow the data; a park whose rating is submitted or beyond keeps it."""
        if rating_round.status != RoundStatus.OPEN:
            raise Conflict(_("This rating period is closed."), field="period")
        rubric = packaged_rubric(rating_round.rubric_version)
        period = RatingPeriod(rating_round.starts_on, rating_round.ends_on)
        collected = await collect_metrics_across_parks(self.session, period)
        parks = {
            park.id: park
            for park in await self.session.scalars(sa.select(Park).order_by(Park.code))
            if park_ids is None or park.id in park_ids
        }
        latest = await self._latest(rating_round.id, parks)
        history = await published_history(self.session, rating_round, parks)
        drafts = []
        for park_id, park in parks.items():
            current = latest.get(park_id)
            if current is not None and current.status not in RECOMPUTABLE:
                continue
            values = collected[park_id]
            rating = current or Rating(park_id=park_id, round_id=rating_round.id, revision=1, status=RatingStatus.DRAFT)
            rating.metrics = {key: msgspec.to_builtins(value) for key, value in values.items()}
            plain = {key: value.value for key, value in values.items()}
            _assess(rating, rubric, park, plain, period, history.get(park_id, _start(park, period)))
            if current is None:
                self.session.add(rating)
            drafts.append(rating)
        await self.session.flush()
        return drafts

    async def latest_round(self) -> RatingRound | None:
        return await self.session.scalar(sa.select(RatingRound).order_by(RatingRound.ends_on.desc()).limit(1))

    async def ratings_of(self, rating_round: RatingRound) -> Sequence[Rating]:
        rows = await self.session.scalars(
            sa.select(Rating)
            .where(Rating.round_id == rating_round.id, Rating.status != RatingStatus.SUPERSEDED)
            .execution_options(**ALL_PARKS)
        )
        return rows.all()

    async def _latest(self, round_id: UUID, parks: dict[UUID, Park]) -> dict[UUID, Rating]:
        rows = await self.session.scalars(
            sa.select(Rating)
            .where(Rating.round_id == round_id, Rating.park_id.in_(list(parks)))
            .order_by(Rating.revision)
            .execution_options(**ALL_PARKS)
        )
        return {rating.park_id: rating for rating in rows}


async def published_history(
    session: AsyncSession, rating_round: RatingRound, parks: dict[UUID, Park]
) -> dict[UUID, list[PeriodOutcome]]:
    """Earlier rounds' published ratings per park, oldest first, after the park's provisional year."""
    rows = await session.execute(
        sa.select(Rating.park_id, RatingRound.label, Rating.breakdown, Rating.failed)
        .join(RatingRound, RatingRound.id == Rating.round_id)
        .where(
            Rating.status == RatingStatus.PUBLISHED,
            RatingRound.ends_on < rating_round.starts_on,
            Rating.park_id.in_(list(parks)),
        )
        .order_by(RatingRound.ends_on)
        .execution_options(**ALL_PARKS)
    )
    period = RatingPeriod(rating_round.starts_on, rating_round.ends_on)
    history: dict[UUID, list[PeriodOutcome]] = {}
    for park_id, label, breakdown, failed in rows:
        outcome = PeriodOutcome(label, int(breakdown["stars"]), failed)
        history.setdefault(park_id, _start(parks[park_id], period)).append(outcome)
    return history


def _start(park: Park, period: RatingPeriod) -> list[PeriodOutcome]:
    """A park recognised before the period (or with no date on record) has had its provisional first year; one
    recognised in the period has not."""
    if park.recognised_on is not None and park.recognised_on >= period.start:
        return []
    return [PeriodOutcome("recognised", 0)]


def _score(rubric: Rubric, park: Park, values: Mapping[str, Decimal | None], period: RatingPeriod) -> Score:
    return score(
        rubric,
        values,
        eligible_incubatees=int(values.get("eligible_incubatees") or 0),
        demonstration_point=park.kind == ParkKind.DEMONSTRATION_POINT,
        first_recognition=bool(park.recognised_on and period.start <= park.recognised_on <= period.end),
    )


def _assess(
    rating: Rating,
    rubric: Rubric,
    park: Park,
    values: Mapping[str, Decimal | None],
    period: RatingPeriod,
    history: list[PeriodOutcome],
) -> None:
    """Score the values and decide on the park's standing: what the rating shows. The history holds the
    stars earlier periods scored (not those a downgrade limit awarded)."""
    result = _score(rubric, park, values, period)
    decision = exit_decision(
        rubric.exit_rules, [*history, PeriodOutcome(period.start.isoformat(), result.stars, result.failed)]
    )
    rating.rubric_version = rubric.version
    rating.breakdown = msgspec.to_builtins(result)
    rating.total = result.total
    rating.failed = result.failed
    rating.stars = decision.stars
    rating.exit_decision = decision.kind
    rating.funding = funding_due(
        rubric,
        decision.stars,
        eligible_incubatees=result.funding.eligible_incubatees,
        demonstration_grant=result.funding.demonstration_grant > 0,
    ).total


class RatingReview(ParkScopedService[Rating]):
    """One park's ratings through the review: the park submits, the bureau reviews, adjusts with reasons,
    returns, approves and publishes. Each action names the version it read (optimistic locking): a stale
    one is refused with 409, so two reviewers acting at once cannot both win. Published is final."""

    class Repo(SQLAlchemyAsyncRepository[Rating]):
        model_type = Rating

    repository_type = Repo
    not_found_message = N_("No such rating.")

    async def list_ratings(self) -> Sequence[Rating]:
        return await self.get_many(statement=self.repository.statement.order_by(Rating.created_at.desc()))

    async def adjustments(self, rating_id: UUID) -> Sequence[RatingAdjustment]:
        rows = await self.repository.session.scalars(
            sa.select(RatingAdjustment)
            .where(RatingAdjustment.park_id == self.park_id, RatingAdjustment.rating_id == rating_id)
            .order_by(RatingAdjustment.created_at)
        )
        return rows.all()

    async def values(self, rating: Rating) -> dict[str, Decimal | None]:
        """The values the rating is scored on: as collected, with the reviewers' adjustments applied."""
        values = {key: None if v["value"] is None else Decimal(str(v["value"])) for key, v in rating.metrics.items()}
        for adjustment in await self.adjustments(rating.id):
            values[adjustment.metric] = Decimal(adjustment.adjusted_value)
        return values

    async def what_if(self, rating_id: UUID) -> list[Improvement]:
        """Per indicator, the smallest change that alone reaches the next star band, and what a unit is worth."""
        rating = await self.get_in_park(rating_id, field="rating_id")
        return what_if(packaged_rubric(rating.rubric_version), await self.values(rating))

    async def drill_down(self, rating_id: UUID, metric: str, *, limit: int, offset: int) -> Drilldown:
        """The rows behind one metric value of the rating, from today's data, beside the value as frozen."""
        rating = await self.get_in_park(rating_id, field="rating_id")
        rating_round = await self.repository.session.get_one(RatingRound, rating.round_id)
        period = RatingPeriod(rating_round.starts_on, rating_round.ends_on)
        return await drill_down(self.repository.session, rating, period, metric, limit=limit, offset=offset)

    async def history(self, rating: Rating) -> list[tuple[str, Rating]]:
        """(period, rating) of the park up to the rating's period, oldest first: the latest revision of each
        earlier period, then this rating."""
        rating_round = await self.repository.session.get_one(RatingRound, rating.round_id)
        earlier = await self.repository.session.execute(
            sa.select(RatingRound.label, Rating)
            .join(RatingRound, RatingRound.id == Rating.round_id)
            .where(
                Rating.park_id == self.park_id,
                RatingRound.ends_on < rating_round.starts_on,
                Rating.status != RatingStatus.SUPERSEDED,
            )
            .order_by(RatingRound.ends_on, Rating.revision)
        )
        latest = {label: (label, each) for label, each in earlier}
        return [*latest.values(), (rating_round.label, rating)]

    async def submit(self, rating_id: UUID, data: Submission) -> Rating:
        rating = await self._at(rating_id, data.version, (RatingStatus.DRAFT, RatingStatus.RETURNED))
        rating.park_comment = data.comment
        return await self._move(rating, RatingStatus.SUBMITTED)

    async def start_review(self, rating_id: UUID, data: Transition) -> Rating:
        rating = await self._at(rating_id, data.version, (RatingStatus.SUBMITTED,))
        return await self._move(rating, RatingStatus.UNDER_REVIEW)

    async def return_to_park(self, rating_id: UUID, data: Returning) -> Rating:
        rating = await self._at(rating_id, data.version, (RatingStatus.SUBMITTED, RatingStatus.UNDER_REVIEW))
        rating.return_reason = data.reason
        return await self._move(rating, RatingStatus.RETURNED)

    async def approve(self, rating_id: UUID, data: Transition) -> Rating:
        rating = await self._at(rating_id, data.version, (RatingStatus.UNDER_REVIEW,))
        return await self._move(rating, RatingStatus.APPROVED)

    async def publish(self, rating_id: UUID, data: Transition) -> Rating:
        rating = await self._at(rating_id, data.version, (RatingStatus.APPROVED,))
        return await self._move(rating, RatingStatus.PUBLISHED)

    async def adjust(self, rating_id: UUID, data: AdjustmentCreate, *, user_id: UUID) -> Rating:
        """A reviewer changes one metric value, with a reason; the rating is scored again from the collected
        values with every adjustment applied, and the collected value stays on record."""
        rating = await self._at(rating_id, data.version, (RatingStatus.UNDER_REVIEW,))
        rubric = packaged_rubric(rating.rubric_version)
        if data.metric not in rubric.metrics():
            raise InvalidInput(_("No such metric in this rubric."), field="metric")
        if data.value < 0:
            raise InvalidInput(_("A metric value cannot be negative."), field="value")
        collected = rating.metrics.get(data.metric, {}).get("value")
        adjustment = RatingAdjustment(
            park_id=self.park_id,
            rating_id=rating.id,
            metric=data.metric,
            original_value=None if collected is None else Decimal(str(collected)),
            adjusted_value=data.value,
            reason=data.reason,
            adjusted_by=user_id,
        )
        self.repository.session.add(adjustment)
        values = await self.values(rating)
        values[adjustment.metric] = adjustment.adjusted_value
        rating_round = await self.repository.session.get_one(RatingRound, rating.round_id)
        park = await self.repository.session.get_one(Park, self.park_id)
        period = RatingPeriod(rating_round.starts_on, rating_round.ends_on)
        history = (await published_history(self.repository.session, rating_round, {park.id: park})).get(
            park.id, _start(park, period)
        )
        _assess(rating, rubric, park, values, period, history)
        return await self._move(rating, rating.status)

    async def _at(self, rating_id: UUID, version: int, allowed: tuple[RatingStatus, ...]) -> Rating:
        rating = await self.get_in_park(rating_id, field="rating_id")
        if rating.lock_version != version:
            raise Conflict(_("Someone else changed this rating meanwhile: reload it and try again."), field="version")
        if rating.status not in allowed:
            raise Conflict(_("This action does not apply to a rating in its present state."), field="status")
        return rating

    async def _move(self, rating: Rating, status: RatingStatus) -> Rating:
        rating.status = status
        try:
            await self.repository.session.flush()
        except StaleDataError as exc:  # another request won between our read and our write
            raise Conflict(
                _("Someone else changed this rating meanwhile: reload it and try again."), field="version"
            ) from exc
        return rating


__all__ = ("RatingReview", "RatingRounds")
