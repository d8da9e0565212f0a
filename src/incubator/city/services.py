"""The bureau's view of the city: its targets, the progress towards them, and the parks' ratings of a period.

Everything here crosses parks by nature. Each figure comes from set-based SQL grouped by district (or one
read of the period's ratings): a fixed number of queries whatever the number of parks."""

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.city.models import COUNTED, DEFAULT_TARGETS, CityTarget, TargetKey
from incubator.city.schemas import (
    CityDashboard,
    DistrictProgress,
    Funding,
    FundingTier,
    Outcomes,
    Progress,
    Standing,
    StarTally,
    TargetRead,
    TargetsUpdate,
)
from incubator.clock import today
from incubator.db.portable import pinyin_key, pinyin_order
from incubator.db.tenancy import ALL_PARKS
from incubator.errors import InvalidInput
from incubator.i18n import _
from incubator.incubatees.models import Incubatee
from incubator.parks.models import Park, ParkKind, ParkLevel
from incubator.ratings.metrics import MetricValue, count, in_incubation, ratio
from incubator.ratings.models import Rating, RatingRound, RatingStatus
from incubator.ratings.rubric import Rubric
from incubator.ratings.scoring import CENT, ZERO
from incubator.ratings.services import RatingRounds
from incubator.rubrics.services import rubric
from incubator.support.models import ServiceCategory, ServiceDelivery
from incubator.trainings.models import Attendance, Enrolment, Training

FIRST_YEAR, LAST_YEAR = 2000, 2100
SEVERITY = ["revoke", "rectify", "downgrade", "provisional", "continue", ""]
"""Exit decisions, the most urgent first; "" for a park with no rating yet."""
Actuals = dict[str, dict[TargetKey, Decimal]]


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(_("A year from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR), field="year")


def by_pinyin(names: Sequence[str]) -> list[str]:
    return sorted(names, key=pinyin_key)


class CityTargetService(SQLAlchemyAsyncRepositoryService[CityTarget]):
    """The targets the bureau sets per year, for the whole city or a district."""

    class Repo(SQLAlchemyAsyncRepository[CityTarget]):
        model_type = CityTarget

    repository_type = Repo

    async def targets_of(self, year: int) -> list[TargetRead]:
        """The year's targets: those set, and the default of every whole-city key that has none."""
        check_year(year)
        rows = await self.get_many(CityTarget.year == year)
        stored = [TargetRead(year, row.district, row.key, _plain(row.key, row.value)) for row in rows]
        city = {row.key for row in rows if row.district is None}
        defaults = [TargetRead(year, None, k, _plain(k, v), True) for k, v in DEFAULT_TARGETS.items() if k not in city]
        keys = list(TargetKey)
        return sorted(
            [*stored, *defaults],
            key=lambda t: (t.district is not None, pinyin_key(t.district or ""), keys.index(t.key)),
        )

    async def set_targets(self, year: int, data: TargetsUpdate) -> list[TargetRead]:
        """Set the given targets of the year (a null value removes one); all of them, or none on an error."""
        check_year(year)
        seen: set[tuple[str | None, TargetKey]] = set()
        for n, item in enumerate(data.targets):
            if (item.district, item.key) in seen:
                raise InvalidInput(_("This target is given twice."), field=f"targets[{n}].key")
            seen.add((item.district, item.key))
        session = self.repository.session
        rows = {(row.district, row.key): row for row in await self.get_many(CityTarget.year == year)}
        for item in data.targets:
            row = rows.get((item.district, item.key))
            if item.value is None:
                if row is not None:
                    await session.delete(row)
            elif row is not None:
                row.value = item.value
            else:
                session.add(CityTarget(year=year, district=item.district, key=item.key, value=item.value))
        await session.flush()
        return await self.targets_of(year)


async def progress_across_parks(
    session: AsyncSession, year: int, targets: Sequence[TargetRead], district: str | None = None
) -> list[DistrictProgress]:
    """Per district (and, unfiltered, for the whole city first), each target against what the year holds."""
    actuals = await _actuals_across_parks(session, year, district)
    set_for: dict[str | None, dict[TargetKey, Decimal]] = defaultdict(dict)
    for target in targets:
        set_for[target.district][target.key] = target.value
    scopes = [district] if district else [None, *by_pinyin(list({*actuals, *(d for d in set_for if d)}))]

    def actual(scope: str | None, key: TargetKey) -> Decimal:
        found = actuals.values() if scope is None else [actuals.get(scope, {})]
        return sum((values.get(key, Decimal(0)) for values in found), Decimal(0))

    return [
        DistrictProgress(scope, [_progress(key, set_for[scope].get(key), actual(scope, key)) for key in TargetKey])
        for scope in scopes
    ]


def _progress(key: TargetKey, target: Decimal | None, actual: Decimal) -> Progress:
    return Progress(key, target, _plain(key, actual), float(actual / target) if target else None)


def _plain(key: TargetKey, value: Decimal) -> Decimal:
    """Counts as whole numbers, yuan with two places."""
    return value.quantize(Decimal(1) if key in COUNTED else CENT)


async def _actuals_across_parks(session: AsyncSession, year: int, district: str | None) -> Actuals:
    """District → target key → the year's actual value, in four grouped queries."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    where = [] if district is None else [Park.district == district]
    actuals: Actuals = defaultdict(lambda: defaultdict(Decimal))
    recognised = sa.or_(Park.recognised_on.is_(None), Park.recognised_on <= end)
    parks = sa.select(Park.district, Park.kind, Park.level, sa.func.sum(sa.case((recognised, 1), else_=0)))
    for name, kind, level, n in await session.execute(
        parks.where(*where).group_by(Park.district, Park.kind, Park.level)
    ):
        key = _park_target(kind, level)
        found = actuals[name]  # every district with a park shows, whatever it counts
        if key is not None:
            found[key] += n
    firms = (
        sa.select(Park.district, sa.func.count())
        .select_from(Incubatee)
        .join(Park, Park.id == Incubatee.park_id)
        .where(in_incubation(end, end), *where)
    )
    trained = (
        sa.select(Park.district, sa.func.count(sa.distinct(Enrolment.trainee_id)))
        .select_from(Enrolment)
        .join(Training, sa.and_(Training.park_id == Enrolment.park_id, Training.id == Enrolment.training_id))
        .join(Park, Park.id == Enrolment.park_id)
        .where(Training.ends_on.between(start, end), Enrolment.attendance == Attendance.ATTENDED, *where)
    )
    loans = (
        sa.select(Park.district, sa.func.sum(ServiceDelivery.amount))
        .select_from(ServiceDelivery)
        .join(Park, Park.id == ServiceDelivery.park_id)
        .where(
            ServiceDelivery.category == ServiceCategory.FINANCE_GUARANTEED_LOAN,
            ServiceDelivery.delivered_on.between(start, end),
            *where,
        )
    )
    grouped = (
        (TargetKey.INCUBATED_FIRMS, firms),
        (TargetKey.PEOPLE_TRAINED, trained),
        (TargetKey.GUARANTEED_LOANS_YUAN, loans),
    )
    for key, statement in grouped:
        for name, value in await session.execute(statement.group_by(Park.district).execution_options(**ALL_PARKS)):
            actuals[name][key] += Decimal(value or 0)
    return actuals


def _park_target(kind: ParkKind, level: ParkLevel) -> TargetKey | None:
    if kind == ParkKind.DEMONSTRATION_POINT:
        return TargetKey.DEMONSTRATION_POINTS
    if level == ParkLevel.NATIONAL:
        return TargetKey.NATIONAL_PARKS
    if level in (ParkLevel.PROVINCIAL, ParkLevel.MUNICIPAL):
        return TargetKey.PROVINCIAL_OR_MUNICIPAL_PARKS
    return None


async def city_dashboard_across_parks(
    session: AsyncSession, period: str | None = None, district: str | None = None
) -> CityDashboard:
    """The bureau's dashboard: targets and progress of the period's year, and every park's current rating of
    the period (the latest by default), optionally of one district."""
    rounds = RatingRounds(session)
    rating_round = await rounds.get_round(period) if period else await rounds.latest_round()
    periods = list(await session.scalars(sa.select(RatingRound.label).order_by(RatingRound.ends_on.desc())))
    year = rating_round.starts_on.year if rating_round else today().year
    named = sa.select(Park.id, Park.name, Park.district).order_by(pinyin_order(Park.name))
    parks = (await session.execute(named)).all()
    ratings = {rating.park_id: rating for rating in await rounds.ratings_of(rating_round)} if rating_round else {}
    shown = [park for park in parks if district is None or park.district == district]
    standings = sorted(
        (_standing(park, ratings.get(park.id)) for park in shown), key=lambda s: SEVERITY.index(s.decision)
    )
    targets = await CityTargetService(session=session).targets_of(year)
    shown_ratings = [ratings[s.park_id] for s in standings if s.park_id in ratings]
    versions = {r.rubric_version for r in shown_ratings} | ({rating_round.rubric_version} if rating_round else set())
    rubrics = {version: await rubric(session, version) for version in versions}
    return CityDashboard(
        period=rating_round.label if rating_round else None,
        periods=periods,
        district=district,
        districts=by_pinyin(list({park.district for park in parks})),
        year=year,
        progress=await progress_across_parks(session, year, targets, district),
        stars=_tallies(standings),
        funding=_funding(rating_round, shown_ratings, rubrics),
        standings=standings,
        outcomes=_outcomes(shown_ratings),
    )


def _standing(park: Any, rating: Rating | None) -> Standing:
    if rating is None:
        return Standing(park.id, park.name, park.district, None, None, 0, False, "", ZERO)
    return Standing(
        park.id,
        park.name,
        park.district,
        rating.id,
        rating.status,
        rating.stars,
        rating.failed,
        rating.exit_decision,
        rating.funding,
    )


def _tallies(standings: Sequence[Standing]) -> list[StarTally]:
    """Parks by stars per district, then the total: a fail, 1–5 stars, or not rated (none yet, or provisional)."""
    tallies: dict[str | None, StarTally] = {}
    for standing in standings:
        for where in (standing.district, None):
            tally = tallies.setdefault(where, StarTally(where, 0, [0] * 5, 0, 0))
            tally.total += 1
            if standing.rating_id is None or standing.decision == "provisional":
                tally.not_rated += 1
            elif standing.stars == 0:
                tally.failed += 1
            else:
                tally.stars[standing.stars - 1] += 1
    total = tallies.pop(None, StarTally(None, 0, [0] * 5, 0, 0))
    return [tallies[d] for d in by_pinyin([d for d in tallies if d is not None])] + [total]


def _funding(rating_round: RatingRound | None, ratings: Sequence[Rating], rubrics: Mapping[str, Rubric]) -> Funding:
    """Each tier's award times its parks, and the rest of what the ratings pay (per-incubatee subsidies,
    demonstration grants); published ratings are due, the others not yet."""
    tiers = rubrics[rating_round.rubric_version].funding.tiers if rating_round else ()
    lines = {tier.stars: FundingTier(tier.stars, tier.award.quantize(CENT), 0, ZERO, 0, ZERO) for tier in tiers}
    other = {True: ZERO, False: ZERO}
    totals = {True: ZERO, False: ZERO}
    for rating in ratings:
        published = rating.status == RatingStatus.PUBLISHED
        award = rubrics[rating.rubric_version].funding.award(rating.stars).quantize(CENT)
        line = lines.get(rating.stars)
        if line is not None and published:
            line.published_parks += 1
            line.published += award
        elif line is not None:
            line.pending_parks += 1
            line.pending += award
        other[published] += rating.funding - award
        totals[published] += rating.funding
    return Funding(list(lines.values()), other[True], other[False], totals[True], totals[False])


def _outcomes(ratings: Sequence[Rating]) -> Outcomes:
    """City-wide survival, jobs and training success: the parks' numerators and denominators summed."""

    def summed(metric: str, part: str) -> Decimal:
        return sum((Decimal(str(r.metrics.get(metric, {}).get(part) or 0)) for r in ratings), Decimal(0))

    def rate(metric: str) -> MetricValue:
        return ratio(summed(metric, "numerator"), summed(metric, "denominator"), 100)

    return Outcomes(rate("survival_rate"), count(summed("jobs_total", "value")), rate("training_success_rate"))


__all__ = ("CityTargetService", "city_dashboard_across_parks", "progress_across_parks")
