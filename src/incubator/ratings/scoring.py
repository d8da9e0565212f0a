"""Scoring, pure: a rubric and one park's metric values in; points, stars, funding, exit decisions and what-if
out. No database. Every intermediate stays in the result, so a page can explain each number.

Points are ``Decimal`` rounded to 2 places (ROUND_HALF_UP); money is yuan with 2 places.
"""

from collections.abc import Collection, Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Literal

import msgspec

from incubator.ratings.rubric import Dimension, ExitRules, Indicator, Rubric, StarBand

CENT = Decimal("0.01")
_PER_UNIT = Decimal("0.0001")
ZERO = Decimal("0.00")

Metrics = Mapping[str, Decimal | None]


class IndicatorScore(msgspec.Struct, frozen=True):
    metric: str
    value: Decimal | None
    floor: Decimal
    full: Decimal
    points: Decimal
    max_points: Decimal
    missing: bool
    points_set: bool = False
    """The points were set by a reviewer (with a reason) rather than scored from the value."""


class DimensionScore(msgspec.Struct, frozen=True):
    key: str
    points: Decimal
    max_points: Decimal
    indicators: tuple[IndicatorScore, ...]


class FloorCheck(msgspec.Struct, frozen=True):
    """A band floor that does not hold: it keeps the park below ``stars``."""

    stars: int
    metric: str
    minimum: Decimal
    """The least value needed (the most, where lower is better)."""
    value: Decimal | None


class FundingDue(msgspec.Struct, frozen=True):
    award: Decimal
    """The star level's funding tier for the park."""
    eligible_incubatees: int
    incubatee_subsidy: Decimal
    demonstration_grant: Decimal
    total: Decimal


class Score(msgspec.Struct, frozen=True):
    rubric_version: str
    dimensions: tuple[DimensionScore, ...]
    total: Decimal
    score_stars: int
    """The band the total alone reaches (0 below the lowest), before floors and vetoes."""
    stars: int
    """The band reached with its floors held; 0 when the rating fails."""
    failed: bool
    vetoes: tuple[str, ...]
    unmet_floors: tuple[FloorCheck, ...]
    """The floors of the bands the total reached but the park did not get."""
    missing: tuple[str, ...]
    funding: FundingDue


def indicator_points(indicator: Indicator, value: Decimal | None) -> Decimal:
    """Linear from 0 at the floor to full points at full, clamped; a missing value scores 0. One formula serves
    both directions: where lower is better, ``full`` lies below ``floor``."""
    if value is None:
        return ZERO
    points = indicator.points * (value - indicator.floor) / (indicator.full - indicator.floor)
    return min(max(points, ZERO), indicator.points).quantize(CENT, ROUND_HALF_UP)


def score(
    rubric: Rubric,
    metrics: Metrics,
    *,
    vetoes: Collection[str] = (),
    points: Mapping[str, Decimal] | None = None,
    eligible_incubatees: int = 0,
    demonstration_point: bool = False,
    first_recognition: bool = False,
) -> Score:
    """Score one park. ``points``: indicator points a reviewer set (by metric key), in place of those the value
    scores. ``eligible_incubatees``: the firms that earn the per-incubatee subsidy this year (operating long
    enough, with enough jobs, within the years the rubric pays for) — counted by the caller."""
    unknown = set(vetoes) - {v.key for v in rubric.vetoes}
    if unknown:
        raise ValueError(f"Unknown vetoes {sorted(unknown)} for rubric {rubric.version}")
    dimensions = tuple(_dimension_score(dimension, metrics, points or {}) for dimension in rubric.dimensions)
    total = sum((d.points for d in dimensions), ZERO)
    reached = [band for band in rubric.stars if total >= band.min_score]
    stars, unmet = 0, []
    for band in reached:
        short = unmet_floors(rubric, band, metrics)
        if short:
            unmet.extend(short)
        else:
            stars = band.stars
    vetoed = tuple(v.key for v in rubric.vetoes if v.key in vetoes)
    failed = bool(vetoed) or stars == 0
    return Score(
        rubric_version=rubric.version,
        dimensions=dimensions,
        total=total,
        score_stars=reached[-1].stars if reached else 0,
        stars=0 if failed else stars,
        failed=failed,
        vetoes=vetoed,
        unmet_floors=tuple(f for f in unmet if f.stars > stars),
        missing=tuple(i.metric for d in dimensions for i in d.indicators if i.missing),
        funding=funding_due(
            rubric,
            0 if failed else stars,
            eligible_incubatees=eligible_incubatees,
            demonstration_grant=demonstration_point and first_recognition,
        ),
    )


def _dimension_score(dimension: Dimension, metrics: Metrics, points: Mapping[str, Decimal]) -> DimensionScore:
    scored = tuple(_indicator_score(i, metrics.get(i.key), points.get(i.key)) for i in dimension.indicators)
    return DimensionScore(dimension.key, sum((i.points for i in scored), ZERO), dimension.weight, scored)


def _indicator_score(indicator: Indicator, value: Decimal | None, points_set: Decimal | None) -> IndicatorScore:
    return IndicatorScore(
        metric=indicator.key,
        value=value,
        floor=indicator.floor,
        full=indicator.full,
        points=indicator_points(indicator, value) if points_set is None else points_set.quantize(CENT),
        max_points=indicator.points,
        missing=value is None,
        points_set=points_set is not None,
    )


def unmet_floors(rubric: Rubric, band: StarBand, metrics: Metrics) -> list[FloorCheck]:
    known = rubric.metrics()
    return [
        FloorCheck(band.stars, metric, minimum, metrics.get(metric))
        for metric, minimum in band.floors.items()
        if not _holds(metrics.get(metric), minimum, lower=known[metric].direction == "lower")
    ]


def _holds(value: Decimal | None, minimum: Decimal, *, lower: bool) -> bool:
    return value is not None and (value <= minimum if lower else value >= minimum)


def funding_due(
    rubric: Rubric, stars: int, *, eligible_incubatees: int = 0, demonstration_grant: bool = False
) -> FundingDue:
    """The funding a rating of ``stars`` pays for a year; nothing at 0 stars (a fail, or a period not rated).
    Call it with the exit decision's stars where a downgrade is limited."""
    if eligible_incubatees < 0:
        raise ValueError("eligible_incubatees must be >= 0")
    funding = rubric.funding
    if stars == 0:
        return FundingDue(ZERO, eligible_incubatees, ZERO, ZERO, ZERO)
    award = funding.award(stars).quantize(CENT)
    subsidy = (funding.per_incubatee * eligible_incubatees).quantize(CENT)
    grant = funding.demonstration_point.quantize(CENT) if demonstration_grant else ZERO
    return FundingDue(award, eligible_incubatees, subsidy, grant, award + subsidy + grant)


# Exit decisions from a park's rating history.

ExitKind = Literal["provisional", "continue", "downgrade", "rectify", "revoke"]
ExitReason = Literal["first_period", "rated", "stars_fell", "failed", "failed_again", "no_submission"]


class PeriodOutcome(msgspec.Struct, frozen=True):
    """One period of a park's rating history: the stars its score and floors gave (0 when it failed)."""

    period: str
    stars: int
    failed: bool = False
    submitted: bool = True


class ExitDecision(msgspec.Struct, frozen=True):
    period: str
    kind: ExitKind
    reason: ExitReason
    scored_stars: int
    stars: int
    """The stars the period awards: the scored stars, or one below the last period's at least for a downgrade
    (``max_stars_drop``); 0 when provisional, failed or revoked."""
    plan_within_months: int | None = None
    """Rectify: the corrective plan is due within these months."""
    no_application_years: int | None = None
    """Revoke: no new application for these years."""


def exit_decisions(rules: ExitRules, history: Sequence[PeriodOutcome]) -> list[ExitDecision]:
    """The decision of every period in ``history`` (consecutive periods, oldest first). After a revocation the
    park starts again as a new one."""
    decisions: list[ExitDecision] = []
    since_start = fails = 0
    for outcome in history:
        before = decisions[-1] if decisions and decisions[-1].kind != "revoke" else None
        since_start = since_start + 1 if before else 1
        rated = since_start > rules.provisional_periods
        failed = outcome.failed or outcome.stars == 0 or not outcome.submitted
        fails = ((fails if before else 0) + 1) if rated and failed else 0
        decisions.append(_decide(rules, outcome, before, rated=rated, fails=fails))
    return decisions


def _decide(
    rules: ExitRules, outcome: PeriodOutcome, before: ExitDecision | None, *, rated: bool, fails: int
) -> ExitDecision:
    def made(kind: ExitKind, reason: ExitReason, stars: int = 0, **extra: int) -> ExitDecision:
        return ExitDecision(outcome.period, kind, reason, outcome.stars, stars, **extra)

    if not rated:
        return made("provisional", "first_period")
    if not outcome.submitted and rules.revoke_on_no_submission:
        return made("revoke", "no_submission", no_application_years=rules.reapply_after_years)
    if fails >= rules.fails_to_revoke:
        return made("revoke", "failed_again", no_application_years=rules.reapply_after_years)
    if fails:
        return made("rectify", "failed", plan_within_months=rules.rectify_months)
    if before and outcome.stars < before.stars:
        return made("downgrade", "stars_fell", max(outcome.stars, before.stars - rules.max_stars_drop))
    return made("continue", "rated", outcome.stars)


def exit_decision(rules: ExitRules, history: Sequence[PeriodOutcome]) -> ExitDecision:
    """The decision for the latest period of ``history``."""
    if not history:
        raise ValueError("history is empty")
    return exit_decisions(rules, history)[-1]


# What-if: how far each indicator alone is from the next star band.


class Improvement(msgspec.Struct, frozen=True):
    metric: str
    value: Decimal | None
    next_stars: int | None
    """The band aimed at; None when the park already has the top band."""
    target: Decimal | None
    """The value that alone lifts the park to ``next_stars`` (with floors); None when it cannot."""
    change: Decimal | None
    """``target - value``; None when it cannot, or when the value is missing (then enter ``target``)."""
    points_per_unit: Decimal
    """The points one unit of improvement is worth from the current value: 0 outside the floor–full range."""


def what_if(rubric: Rubric, metrics: Metrics) -> list[Improvement]:
    """For each indicator, the smallest change of its value alone that reaches the next star band. Vetoes are
    left aside: no value lifts a veto."""
    current = score(rubric, metrics)
    higher = [band for band in rubric.stars if band.stars > current.stars]
    points = {i.metric: i.points for d in current.dimensions for i in d.indicators}
    found = []
    for _, indicator in rubric.indicators():
        value = metrics.get(indicator.key)
        others = current.total - points[indicator.key]
        targets = [t for band in higher if (t := _target(rubric, metrics, indicator, band, others)) is not None]
        target = (min(targets) if indicator.direction == "higher" else max(targets)) if targets else None
        found.append(
            Improvement(
                metric=indicator.key,
                value=value,
                next_stars=higher[0].stars if higher else None,
                target=target,
                change=None if target is None or value is None else target - value,
                points_per_unit=_per_unit(indicator, value),
            )
        )
    return found


def _target(rubric: Rubric, metrics: Metrics, indicator: Indicator, band: StarBand, others: Decimal) -> Decimal | None:
    """The least improved value of ``indicator`` that reaches ``band`` with the other values as they are."""
    need = band.min_score - others
    if need > indicator.points:
        return None
    if any(f.metric != indicator.key for f in unmet_floors(rubric, band, metrics)):
        return None
    lower = indicator.direction == "lower"
    value = metrics.get(indicator.key)
    bounds = [] if value is None else [value]
    if need > 0:
        bounds.append(indicator.floor + need * (indicator.full - indicator.floor) / indicator.points)
    if indicator.key in band.floors:
        bounds.append(band.floors[indicator.key])
    if not bounds:
        return None
    step = Decimal(1) if indicator.unit == "count" else CENT
    return (min(bounds) if lower else max(bounds)).quantize(step, ROUND_FLOOR if lower else ROUND_CEILING)


def _per_unit(indicator: Indicator, value: Decimal | None) -> Decimal:
    low, high = sorted((indicator.floor, indicator.full))
    within = value is None or (low < value <= high if indicator.direction == "lower" else low <= value < high)
    return (indicator.points / (high - low)).quantize(_PER_UNIT, ROUND_HALF_UP) if within else Decimal("0.0000")
