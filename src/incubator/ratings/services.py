"""Rating rounds and their drafts: metrics collected for the whole city at once, scored park by park."""

import hashlib
from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any, NamedTuple
from uuid import UUID

import msgspec
import sqlalchemy as sa
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer
from sqlalchemy.orm.exc import StaleDataError

from incubator.auth.models import User
from incubator.clock import today
from incubator.db.portable import pinyin_key
from incubator.db.scoped import ModelT, ParkScopedService
from incubator.db.tenancy import ALL_PARKS
from incubator.errors import Conflict, InvalidInput, NotFound, TooLarge
from incubator.i18n import N_, _
from incubator.parks.models import Park, ParkKind
from incubator.ratings.drilldown import Drilldown, drill_down
from incubator.ratings.evidence import (
    ACCEPTED,
    MAX_EVIDENCE_BYTES,
    MAX_EVIDENCE_FILES,
    MAX_EVIDENCE_MB,
    clean_name,
    sniff,
)
from incubator.ratings.metrics import HUNDREDTH, RatingPeriod, collect_metrics_across_parks
from incubator.ratings.models import (
    OPEN_CORRECTION,
    SET_ASIDE,
    AdjustmentKind,
    Rating,
    RatingAdjustment,
    RatingComment,
    RatingEvidence,
    RatingRound,
    RatingStatus,
    RoundStatus,
    correctable,
    withdrawable,
)
from incubator.ratings.rubric import Rubric
from incubator.ratings.schemas import (
    AdjustmentCreate,
    CommentCreate,
    PeriodOpening,
    Returning,
    Revision,
    Submission,
    Transition,
    Withdrawal,
)
from incubator.ratings.scoring import Improvement, PeriodOutcome, Score, exit_decision, funding_due, score, what_if
from incubator.reports.certificates import certificate_of
from incubator.rubrics import services as rubrics

RECOMPUTABLE = (RatingStatus.DRAFT, RatingStatus.RETURNED)
"""A draft (or a returned one) follows the data; from submission on, the numbers are frozen."""
ADJUSTED_PLACES = Decimal("0.0001")
ADJUSTED_VALUE_LIMIT = Decimal("1e12")
"""An adjusted value is stored as NUMERIC(16, 4)."""
OPEN_TO_THE_PARK = RECOMPUTABLE
"""While the park may still change what it sends: attach and remove evidence."""
QUEUE_ORDER = [
    RatingStatus.SUBMITTED,
    RatingStatus.UNDER_REVIEW,
    RatingStatus.APPROVED,
    RatingStatus.RETURNED,
    RatingStatus.DRAFT,
    RatingStatus.PUBLISHED,
    RatingStatus.SUPERSEDED,
    RatingStatus.WITHDRAWN,
]
"""What waits for the bureau comes first."""


class QueueEntry(NamedTuple):
    """A rating of the review queue with its period and park (the row of the queue's export, too)."""

    Rating: Rating
    period: str
    park_code: str
    park: str


class RatingRounds:
    """The bureau's rating rounds across every park (crosses parks by nature)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def open_round(self, year: int, rubric_version: str | None = None) -> RatingRound:
        """Open a period under ``rubric_version``, by default the active one."""
        rubric_version = rubric_version or await rubrics.active_version(self.session)
        try:
            await rubrics.rubric(self.session, rubric_version)
        except NotFound as error:
            raise InvalidInput(_("No such rubric version."), field="rubric_version") from error
        label = str(year)
        period = RatingPeriod.year(year)
        if period.start > today():
            raise InvalidInput(_("A year can be rated once it has begun."), field="year")
        if await self.session.scalar(sa.select(RatingRound.id).where(RatingRound.label == label)):
            raise Conflict(_("This rating period is already open."), field="year")
        rating_round = RatingRound(
            label=label, starts_on=period.start, ends_on=period.end, rubric_version=rubric_version
        )
        self.session.add(rating_round)
        await self.session.flush()
        return rating_round

    async def open_period(self, data: PeriodOpening) -> tuple[RatingRound, list[Rating]]:
        """The bureau opens a year: the period, and every park's draft computed at once."""
        rating_round = await self.open_round(data.year, data.rubric_version or None)
        return rating_round, await self.compute_drafts_across_parks(rating_round)

    async def recompute(self, label: str) -> tuple[RatingRound, list[Rating]]:
        """The period's drafts again from today's data (what is submitted or beyond stays)."""
        rating_round = await self.get_round(label)
        return rating_round, await self.compute_drafts_across_parks(rating_round)

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
        rubric = await rubrics.rubric(self.session, rating_round.rubric_version)
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
            # A correction (revision 2 on) keeps the frozen numbers of the published rating it corrects.
            if current is not None and (current.status not in RECOMPUTABLE or current.revision > 1):
                continue
            values = collected[park_id]
            rating = current or Rating(park_id=park_id, round_id=rating_round.id, revision=1, status=RatingStatus.DRAFT)
            rating.metrics = {key: msgspec.to_builtins(value) for key, value in values.items()}
            collected_values = Inputs({key: value.value for key, value in values.items()})
            _assess(rating, rubric, park, collected_values, period, history.get(park_id, _start(park, period)))
            if current is None:
                self.session.add(rating)
            drafts.append(rating)
        await self.session.flush()
        return drafts

    async def rounds(self) -> Sequence[RatingRound]:
        return (await self.session.scalars(sa.select(RatingRound).order_by(RatingRound.ends_on.desc()))).all()

    async def close_round(self, label: str) -> RatingRound:
        """Close a period: its drafts stop following the data (what is submitted goes on through the review)."""
        rating_round = await self.get_round(label)
        if rating_round.status != RoundStatus.OPEN:
            raise Conflict(_("This rating period is closed."), field="period")
        rating_round.status = RoundStatus.CLOSED
        await self.session.flush()
        return rating_round

    async def queue(
        self, period: str | None, status: RatingStatus | None
    ) -> tuple[RatingRound | None, list[QueueEntry]]:
        """A period's ratings (the latest period by default), one per park, in one status or all: what waits
        for the bureau first, then by park."""
        rating_round = await self.get_round(period) if period else await self.latest_round()
        if rating_round is None:
            return None, []
        parks = {
            park_id: (code, name)
            for park_id, code, name in await self.session.execute(sa.select(Park.id, Park.code, Park.name))
        }
        entries = [
            QueueEntry(rating, rating_round.label, *parks[rating.park_id])
            for rating in await self.ratings_of(rating_round)
            if status is None or rating.status == status
        ]
        entries.sort(key=lambda entry: (QUEUE_ORDER.index(entry.Rating.status), pinyin_key(entry.park)))
        return rating_round, entries

    async def latest_round(self) -> RatingRound | None:
        return await self.session.scalar(sa.select(RatingRound).order_by(RatingRound.ends_on.desc()).limit(1))

    async def ratings_of(self, rating_round: RatingRound) -> list[Rating]:
        """Each park's newest revision in force: an open correction stands in for the published rating it
        corrects, so no park counts twice."""
        rows = await self.session.scalars(
            sa.select(Rating)
            .where(Rating.round_id == rating_round.id, Rating.status.not_in(SET_ASIDE))
            .order_by(Rating.revision)
            .execution_options(**ALL_PARKS)
        )
        return list({rating.park_id: rating for rating in rows}.values())

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
    """Earlier rounds' published ratings per park, oldest first, after the park's provisional year (counted
    from the park's first published period, so that a period rated provisional stays the provisional one)."""
    rows = await session.execute(
        sa.select(Rating.park_id, RatingRound.label, RatingRound.starts_on, RatingRound.ends_on, Rating.breakdown)
        .add_columns(Rating.failed)
        .join(RatingRound, RatingRound.id == Rating.round_id)
        .where(
            Rating.status == RatingStatus.PUBLISHED,
            RatingRound.ends_on < rating_round.starts_on,
            Rating.park_id.in_(list(parks)),
        )
        .order_by(RatingRound.ends_on)
        .execution_options(**ALL_PARKS)
    )
    history: dict[UUID, list[PeriodOutcome]] = {}
    for park_id, label, starts_on, ends_on, breakdown, failed in rows:
        outcome = PeriodOutcome(label, int(breakdown["stars"]), failed)
        history.setdefault(park_id, _start(parks[park_id], RatingPeriod(starts_on, ends_on))).append(outcome)
    return history


def _as_scored(adjusted: Decimal) -> Decimal:
    """An adjusted value as it is scored and shown: to the cent like the collected values (88.0000 is 88.00),
    unless the reviewer gave finer digits."""
    value = Decimal(adjusted)
    return value.quantize(HUNDREDTH) if value == value.quantize(HUNDREDTH) else value


def _start(park: Park, period: RatingPeriod) -> list[PeriodOutcome]:
    """A park recognised before the period (or with no date on record) has had its provisional first year; one
    recognised in the period has not."""
    if park.recognised_on is not None and park.recognised_on >= period.start:
        return []
    return [PeriodOutcome("recognised", 0)]


class Inputs(NamedTuple):
    """What a rating is scored on: the metric values (as collected, with the reviewers' values applied), the
    indicator points reviewers set, and the vetoes they applied."""

    values: dict[str, Decimal | None]
    points: dict[str, Decimal] = {}
    vetoes: frozenset[str] = frozenset()

    def changed_by(self, adjustment: RatingAdjustment) -> "Inputs":
        key, adjusted = adjustment.metric, _as_scored(adjustment.adjusted_value)
        if adjustment.kind == AdjustmentKind.POINTS:
            return self._replace(points={**self.points, key: adjusted})
        if adjustment.kind == AdjustmentKind.VETO:
            return self._replace(vetoes=self.vetoes | {key} if adjusted else self.vetoes - {key})
        return self._replace(values={**self.values, key: adjusted})


def _before(rubric: Rubric, rating: Rating, inputs: Inputs, data: AdjustmentCreate) -> Decimal | None:
    """What an adjustment changes, as it stands (checked against the rubric): the value as collected, the
    indicator's points as scored, or whether the veto applies (1) or not (0)."""
    if data.value < 0:
        raise InvalidInput(_("A metric value cannot be negative."), field="value")
    if data.kind == AdjustmentKind.VETO:
        if data.metric not in {veto.key for veto in rubric.vetoes}:
            raise InvalidInput(_("No such veto in this rubric."), field="metric")
        if data.value not in (0, 1):
            raise InvalidInput(_("A veto is applied (1) or lifted (0)."), field="value")
        return Decimal(int(data.metric in inputs.vetoes))
    if data.kind == AdjustmentKind.POINTS:
        indicator = next((i for _d, i in rubric.indicators() if i.key == data.metric), None)
        if indicator is None:
            raise InvalidInput(_("No such indicator in this rubric."), field="metric")
        if data.value > indicator.points:
            raise InvalidInput(
                _("At most %(points)s points for this indicator.", points=indicator.points), field="value"
            )
        scored = {i["metric"]: i["points"] for d in rating.breakdown.get("dimensions", []) for i in d["indicators"]}
        return Decimal(str(scored.get(data.metric, 0)))
    if data.metric not in rubric.metrics():
        raise InvalidInput(_("No such metric in this rubric."), field="metric")
    if data.value >= ADJUSTED_VALUE_LIMIT:
        raise InvalidInput(_("This value is too large for a metric."), field="value")
    collected = rating.metrics.get(data.metric, {}).get("value")
    return None if collected is None else Decimal(str(collected))


def _score(rubric: Rubric, park: Park, inputs: Inputs, period: RatingPeriod) -> Score:
    return score(
        rubric,
        inputs.values,
        vetoes=inputs.vetoes,
        points=inputs.points,
        eligible_incubatees=int(inputs.values.get("eligible_incubatees") or 0),
        demonstration_point=park.kind == ParkKind.DEMONSTRATION_POINT,
        first_recognition=bool(park.recognised_on and period.start <= park.recognised_on <= period.end),
    )


def _assess(
    rating: Rating,
    rubric: Rubric,
    park: Park,
    inputs: Inputs,
    period: RatingPeriod,
    history: list[PeriodOutcome],
) -> None:
    """Score the inputs and decide on the park's standing: what the rating shows. The history holds the
    stars earlier periods scored (not those a downgrade limit awarded)."""
    result = _score(rubric, park, inputs, period)
    decision = exit_decision(
        rubric.exit_rules, [*history, PeriodOutcome(period.start.isoformat(), result.stars, result.failed)]
    )
    rating.rubric_version = rubric.version
    # shaped as it comes back from the JSON column (lists, not tuples), so an unchanged draft compares equal
    # and a recomputation writes only the drafts whose numbers moved
    rating.breakdown = msgspec.json.decode(msgspec.json.encode(result))
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

    def with_periods(self) -> sa.Select[Any]:
        """The park's ratings, newest first, with their period (``period``) and park (``park_code``, ``park``)."""
        return (
            self.repository.statement.join(RatingRound, RatingRound.id == Rating.round_id)
            .join(Park, Park.id == Rating.park_id)
            .add_columns(RatingRound.label.label("period"), Park.code.label("park_code"), Park.name.label("park"))
            .order_by(Rating.created_at.desc(), Rating.id)
        )

    async def adjustments(self, rating_id: UUID) -> Sequence[RatingAdjustment]:
        rows = await self.repository.session.scalars(
            sa.select(RatingAdjustment)
            .where(RatingAdjustment.park_id == self.park_id, RatingAdjustment.rating_id == rating_id)
            .order_by(RatingAdjustment.created_at)
        )
        return rows.all()

    async def inputs(self, rating: Rating) -> Inputs:
        """What the rating is scored on: the values as collected, with the reviewers' adjustments applied in turn."""
        inputs = Inputs(
            {key: None if v["value"] is None else Decimal(str(v["value"])) for key, v in rating.metrics.items()}
        )
        for adjustment in await self.adjustments(rating.id):
            inputs = inputs.changed_by(adjustment)
        return inputs

    async def what_if(self, rating_id: UUID) -> list[Improvement]:
        """Per indicator, the smallest change that alone reaches the next star band, and what a unit is worth."""
        rating = await self.get_in_park(rating_id, field="rating_id")
        inputs = await self.inputs(rating)
        return what_if(await rubrics.rubric(self.repository.session, rating.rubric_version), inputs.values)

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
                Rating.status.not_in(SET_ASIDE),
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
        """Publish; a published correction supersedes the revision it corrects, in the same transaction. A rating
        with stars gets its certificate's verification code."""
        rating = await self._at(rating_id, data.version, (RatingStatus.APPROVED,))
        for earlier in await self.repository.session.scalars(
            self.repository.statement.where(
                Rating.round_id == rating.round_id, Rating.status == RatingStatus.PUBLISHED, Rating.id != rating.id
            )
        ):
            earlier.status = RatingStatus.SUPERSEDED
        published = await self._move(rating, RatingStatus.PUBLISHED)
        if published.stars:
            await certificate_of(self.repository.session, published)
        return published

    async def revise(self, rating_id: UUID, data: Revision) -> Rating:
        """Open a correction of a published rating: a new revision of the same period with the same frozen
        metrics, rubric version and scores, and copies of the adjustments, so the numbers start equal. The
        published one stays as it is until the correction is published. One open correction at a time; a
        withdrawn one keeps its number."""
        published = await self._at(rating_id, data.version, (RatingStatus.PUBLISHED,))
        session = self.repository.session
        revisions = await self.revisions(published)
        if not correctable(published, revisions):
            raise Conflict(_("A correction of this rating is already open."), field="status")
        copied = ("round_id", "rubric_version", "metrics", "breakdown", "total", "stars", "failed", "funding")
        revision = Rating(
            park_id=self.park_id,
            revision=revisions[-1].revision + 1,
            status=RatingStatus.UNDER_REVIEW,
            exit_decision=published.exit_decision,
            park_comment=published.park_comment,
            revision_reason=data.reason,
            **{name: getattr(published, name) for name in copied},
        )
        session.add(revision)
        try:
            await session.flush()
        except IntegrityError as exc:  # another reviewer opened the same revision meanwhile
            raise Conflict(_("A correction of this rating is already open."), field="status") from exc
        for adjustment in await self.adjustments(published.id):
            session.add(
                RatingAdjustment(
                    park_id=self.park_id,
                    rating_id=revision.id,
                    kind=adjustment.kind,
                    metric=adjustment.metric,
                    original_value=adjustment.original_value,
                    adjusted_value=adjustment.adjusted_value,
                    reason=adjustment.reason,
                    adjusted_by=adjustment.adjusted_by,
                    created_at=adjustment.created_at,  # keeps their order, so the values apply alike
                )
            )
        await session.flush()
        return revision

    async def withdraw(self, rating_id: UUID, data: Withdrawal) -> Rating:
        """Give up a correction before it is published: the published rating it corrects stays in force, and the
        correction stays on record, withdrawn, with the reason."""
        rating = await self._at(rating_id, data.version, OPEN_CORRECTION)
        if not withdrawable(rating):
            raise Conflict(_("Only a correction (a revision after the first) can be withdrawn."), field="status")
        rating.withdrawal_reason = data.reason
        return await self._move(rating, RatingStatus.WITHDRAWN)

    async def revisions(self, rating: Rating) -> Sequence[Rating]:
        """Every revision of the rating's period, the first first."""
        return await self.get_many(
            statement=self.repository.statement.where(Rating.round_id == rating.round_id).order_by(Rating.revision)
        )

    async def adjust(self, rating_id: UUID, data: AdjustmentCreate, *, user_id: UUID) -> Rating:
        """A reviewer changes a metric value, sets an indicator's points, or applies (1) or lifts (0) a veto, with a
        reason; the rating is scored again with every adjustment applied, and what was there before stays on
        record."""
        rating = await self._at(rating_id, data.version, (RatingStatus.UNDER_REVIEW,))
        rubric = await rubrics.rubric(self.repository.session, rating.rubric_version)
        inputs = await self.inputs(rating)
        before = _before(rubric, rating, inputs, data)
        adjustment = RatingAdjustment(
            park_id=self.park_id,
            rating_id=rating.id,
            kind=data.kind,
            metric=data.metric,
            original_value=before,
            # scored as it is stored, so that scoring the stored rating again gives the same breakdown
            adjusted_value=data.value.quantize(ADJUSTED_PLACES),
            reason=data.reason,
            adjusted_by=user_id,
        )
        self.repository.session.add(adjustment)
        await self.assess(rating, inputs.changed_by(adjustment))
        return await self._move(rating, rating.status)

    async def assess(self, rating: Rating, inputs: Inputs) -> None:
        """Score ``inputs`` into ``rating`` under its rubric version, with the park's standing from the periods
        published before the rating's: what an adjustment does, and what re-running a rating does."""
        session = self.repository.session
        rating_round = await session.get_one(RatingRound, rating.round_id)
        park = await session.get_one(Park, self.park_id)
        period = RatingPeriod(rating_round.starts_on, rating_round.ends_on)
        history = (await published_history(session, rating_round, {park.id: park})).get(park.id, _start(park, period))
        _assess(rating, await rubrics.rubric(session, rating.rubric_version), park, inputs, period, history)

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


class _OfARating(ParkScopedService[ModelT]):
    """Rows that belong to one rating of the park: a foreign or unknown rating answers 404."""

    async def _rating(self, rating_id: UUID, **options: Any) -> Rating:
        rating = await RatingReview(self.repository.session, self.park_id).get_one_or_none(id=rating_id, **options)
        if rating is None:
            raise NotFound(_("No such rating."), field="rating_id")
        return rating


class RatingComments(_OfARating[RatingComment]):
    """The conversation on one rating between the park and the bureau, open in every state of the rating."""

    class Repo(SQLAlchemyAsyncRepository[RatingComment]):
        model_type = RatingComment

    repository_type = Repo

    async def thread(self, rating_id: UUID) -> list[tuple[RatingComment, str]]:
        """Each comment with its author's name, the newest last."""
        await self._rating(rating_id)
        rows = await self.repository.session.execute(
            sa.select(RatingComment, sa.func.coalesce(User.display_name, ""))
            .outerjoin(User, User.id == RatingComment.author_id)
            .where(RatingComment.park_id == self.park_id, RatingComment.rating_id == rating_id)
            .order_by(RatingComment.created_at, RatingComment.id)
        )
        return [(comment, name) for comment, name in rows]

    async def add(self, rating_id: UUID, data: CommentCreate, *, user_id: UUID) -> RatingComment:
        await self._rating(rating_id)
        return await self.create(
            RatingComment(park_id=self.park_id, rating_id=rating_id, author_id=user_id, body=data.body)
        )


class RatingEvidenceFiles(_OfARating[RatingEvidence]):
    """The evidence a park attaches to its rating: added and removed by the park while the rating is a draft
    or returned to it, read by the park and the bureau. The file's kind is told by its content."""

    class Repo(SQLAlchemyAsyncRepository[RatingEvidence]):
        model_type = RatingEvidence

    repository_type = Repo
    not_found_message = N_("No such evidence file.")

    async def list_evidence(self, rating_id: UUID) -> Sequence[RatingEvidence]:
        await self._rating(rating_id)
        return await self.get_many(
            statement=self.repository.statement.where(RatingEvidence.rating_id == rating_id).order_by(
                RatingEvidence.created_at
            )
        )

    async def attach(
        self, rating_id: UUID, *, file_name: str, content: bytes, metric: str | None, user_id: UUID
    ) -> RatingEvidence:
        rating = await self._open_rating(rating_id)
        if metric and metric not in (await rubrics.rubric(self.repository.session, rating.rubric_version)).metrics():
            raise InvalidInput(_("No such metric in this rubric."), field="metric")
        if not content:
            raise InvalidInput(_("The file is empty."), field="file")
        if len(content) > MAX_EVIDENCE_BYTES:
            raise TooLarge(too_large_message(), field="file")
        content_type = sniff(content)
        if content_type is None:
            raise InvalidInput(
                _("This kind of file is not accepted: only %(kinds)s.", kinds=", ".join(ACCEPTED.values())),
                field="file",
            )
        name = clean_name(file_name)
        if not name:
            raise InvalidInput(_("The file has no name."), field="file")
        count = await self.count(RatingEvidence.rating_id == rating_id)
        if count >= MAX_EVIDENCE_FILES:
            raise Conflict(_("A rating takes at most %(n)s evidence files.", n=MAX_EVIDENCE_FILES), field="file")
        return await self.create(
            RatingEvidence(
                park_id=self.park_id,
                rating_id=rating_id,
                metric=metric or None,
                file_name=name,
                content_type=content_type,
                size_bytes=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
                uploaded_by=user_id,
            )
        )

    async def download(self, rating_id: UUID, evidence_id: UUID) -> RatingEvidence:
        """The file with its bytes."""
        return await self._in_rating(rating_id, evidence_id, undefer(RatingEvidence.content))

    async def remove(self, rating_id: UUID, evidence_id: UUID) -> None:
        await self._open_rating(rating_id)
        await self.repository.session.delete(await self._in_rating(rating_id, evidence_id))
        await self.repository.session.flush()

    async def _open_rating(self, rating_id: UUID) -> Rating:
        """The rating, locked until the transaction ends (so two uploads at once cannot pass the file limit),
        if the park may still change its evidence."""
        rating = await self._rating(rating_id, with_for_update=True)
        if rating.status not in OPEN_TO_THE_PARK:
            raise Conflict(_("Evidence can be changed only while the rating is a draft or returned."), field="status")
        return rating

    async def _in_rating(self, rating_id: UUID, evidence_id: UUID, *options: Any) -> RatingEvidence:
        await self._rating(rating_id)
        found = await self.repository.session.scalar(
            self.repository.statement.where(
                RatingEvidence.id == evidence_id, RatingEvidence.rating_id == rating_id
            ).options(*options)
        )
        if found is None:
            raise NotFound(_("No such evidence file."), field="evidence_id")
        return found


def too_large_message() -> str:
    return _("The file is larger than %(mb)s MB.", mb=MAX_EVIDENCE_MB)


__all__ = ("RatingComments", "RatingEvidenceFiles", "RatingReview", "RatingRounds")
