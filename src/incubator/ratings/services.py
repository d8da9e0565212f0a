"""Rating rounds and their drafts: metrics collected for the whole city at once, scored park by park."""

from collections.abc import Collection, Sequence
from decimal import Decimal
from uuid import UUID

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.db.tenancy import ALL_PARKS
from incubator.errors import Conflict, InvalidInput, NotFound
from incubator.i18n import _
from incubator.parks.models import Park, ParkKind
from incubator.ratings.metrics import MetricValue, RatingPeriod, collect_metrics_across_parks
from incubator.ratings.models import Rating, RatingRound, RatingStatus, RoundStatus
from incubator.ratings.rubric import DEFAULT_VERSION, Rubric, packaged_rubric, packaged_versions
from incubator.ratings.scoring import PeriodOutcome, Score, exit_decision, funding_due, score

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
        history = await self._published_history(rating_round, parks)
        drafts = []
        for park_id, park in parks.items():
            current = latest.get(park_id)
            if current is not None and current.status not in RECOMPUTABLE:
                continue
            values = collected[park_id]
            result = _score(rubric, park, values, period)
            outcome = PeriodOutcome(rating_round.label, result.stars, failed=result.failed)
            decision = exit_decision(rubric.exit_rules, [*history.get(park_id, _start(park, period)), outcome])
            rating = current or Rating(park_id=park_id, round_id=rating_round.id, revision=1, status=RatingStatus.DRAFT)
            _fill(rating, rubric, values, result, decision.kind, decision.stars)
            if current is None:
                self.session.add(rating)
            drafts.append(rating)
        await self.session.flush()
        return drafts

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

    async def _published_history(
        self, rating_round: RatingRound, parks: dict[UUID, Park]
    ) -> dict[UUID, list[PeriodOutcome]]:
        """Earlier rounds' published ratings per park, oldest first, after the park's provisional year."""
        rows = await self.session.execute(
            sa.select(Rating.park_id, RatingRound.label, Rating.stars, Rating.failed)
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
        for park_id, label, stars, failed in rows:
            history.setdefault(park_id, _start(parks[park_id], period)).append(PeriodOutcome(label, stars, failed))
        return history


def _start(park: Park, period: RatingPeriod) -> list[PeriodOutcome]:
    """A park recognised before the period (or with no date on record) has had its provisional first year; one
    recognised in the period has not."""
    if park.recognised_on is not None and park.recognised_on >= period.start:
        return []
    return [PeriodOutcome("recognised", 0)]


def _score(rubric: Rubric, park: Park, values: dict[str, MetricValue], period: RatingPeriod) -> Score:
    eligible = values.get("eligible_incubatees", MetricValue(Decimal(0))).value or Decimal(0)
    return score(
        rubric,
        {key: value.value for key, value in values.items()},
        eligible_incubatees=int(eligible),
        demonstration_point=park.kind == ParkKind.DEMONSTRATION_POINT,
        first_recognition=bool(park.recognised_on and period.start <= park.recognised_on <= period.end),
    )


def _fill(rating: Rating, rubric: Rubric, values: dict[str, MetricValue], result: Score, kind: str, stars: int) -> None:
    """Freeze what the rating used: the rubric version, the metric values with their derivation, the breakdown."""
    rating.rubric_version = rubric.version
    rating.metrics = {key: msgspec.to_builtins(value) for key, value in values.items()}
    rating.breakdown = msgspec.to_builtins(result)
    rating.total = result.total
    rating.failed = result.failed
    rating.stars = stars
    rating.exit_decision = kind
    funding = funding_due(
        rubric,
        stars,
        eligible_incubatees=result.funding.eligible_incubatees,
        demonstration_grant=result.funding.demonstration_grant > 0,
    )
    rating.funding = funding.total


__all__ = ("RatingRounds",)
