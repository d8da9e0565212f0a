"""The star-rating rubric as data: a versioned TOML file, validated on load.

A city changes its rubric by writing a new file, not code; a rating keeps the version it was scored with.
Every error names the bad key the way msgspec does (``... - at `$.dimensions[0].indicators[2].floor```),
whether the file breaks its shape or its sense (weights that do not add up, a floor on an unknown metric).
"""

import datetime
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

DEFAULT_VERSION = "puyang-2017"
_PACKAGED = files("incubator.ratings") / "rubrics"

Key = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, Meta(min_length=1, max_length=200)]
Count = Annotated[int, Meta(ge=0)]
Direction = Literal["higher", "lower"]
Unit = Literal["%", "count", "per_firm", "per_10_firms"]
"""``%`` for rates (60% is 60), ``count`` for whole numbers, ``per_firm`` / ``per_10_firms`` for ratios."""


class RubricError(ValueError):
    """A rubric file that cannot be used; ``path`` names the bad key."""

    def __init__(self, message: str, path: str = "$") -> None:
        super().__init__(f"{message} - at `{path}`")
        self.message = message
        self.path = path


class _Part(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    pass


class Metric(_Part, frozen=True):
    """A figure the rubric reads. Declared on its own (``floor_metrics``) when no indicator scores it but a star
    band's floors read it, e.g. ``jobs_total``."""

    key: Key
    name_zh: Text
    name_en: Text
    unit: Unit
    direction: Direction = "higher"


class Indicator(Metric, frozen=True, kw_only=True):
    """A metric that scores points."""

    points: Decimal
    floor: Decimal
    """The value that scores 0 points."""
    full: Decimal
    """The value that scores full points; below ``floor`` where lower is better."""


class Dimension(_Part, frozen=True):
    key: Key
    name_zh: Text
    name_en: Text
    weight: Decimal
    indicators: tuple[Indicator, ...]


class Veto(_Part, frozen=True):
    key: Key
    name_zh: Text
    name_en: Text


class StarBand(_Part, frozen=True):
    stars: Annotated[int, Meta(ge=1, le=5)]
    min_score: Decimal
    max_score: Decimal | None = None
    """For display only: the band reached is decided by ``min_score`` and ``floors``."""
    floors: dict[Key, Decimal] = {}
    """Metric key → the least value (the most, where lower is better) the band needs."""


class FundingTier(_Part, frozen=True):
    stars: Annotated[int, Meta(ge=1, le=5)]
    award: Decimal
    """Yuan a year for the park."""


class Funding(_Part, frozen=True):
    tiers: tuple[FundingTier, ...]
    per_incubatee: Decimal
    """Yuan a year for each eligible incubatee."""
    per_incubatee_years: Count
    per_incubatee_operating_months: Count
    per_incubatee_jobs: Count
    demonstration_point: Decimal
    """Yuan, once, when a demonstration point is first recognised."""

    def award(self, stars: int) -> Decimal:
        return next((tier.award for tier in self.tiers if tier.stars == stars), Decimal(0))


class ExitRules(_Part, frozen=True):
    provisional_periods: Count
    """A park's first periods are provisional and not rated."""
    max_stars_drop: Annotated[int, Meta(ge=1)]
    """A downgrade takes at most this many stars a period."""
    rectify_months: Count
    """A failed park owes a corrective plan within these months."""
    fails_to_revoke: Annotated[int, Meta(ge=1)]
    """Consecutive fails that revoke the recognition."""
    revoke_on_no_submission: bool
    reapply_after_years: Count


class Graduation(_Part, frozen=True):
    """An incubatee graduates when any of these holds."""

    high_tech_certified: bool
    funding: Decimal
    annual_revenue: Decimal
    employees: Count
    employees_months: Count
    acquired: bool


class IncubateeRules(_Part, frozen=True):
    entry_months: Count
    """A firm enters at most this many months after its registration."""
    returning_workers_enter_at_registration: bool
    term_months: Count
    technology_term_months: Count
    graduation: Graduation
    missed_reports_warning: Count
    """Consecutive missed periodic reports that earn a warning."""
    failed_reviews_to_exit: Count
    exit_within_months: Count
    follow_up_years: Count


class Rubric(_Part, frozen=True, kw_only=True):
    version: Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=64)]
    title_zh: Text
    title_en: Text
    effective_from: datetime.date
    dimensions: tuple[Dimension, ...]
    floor_metrics: tuple[Metric, ...] = ()
    vetoes: tuple[Veto, ...]
    stars: tuple[StarBand, ...]
    """Ascending by stars and by min score."""
    funding: Funding
    exit_rules: ExitRules
    incubatee_rules: IncubateeRules

    def indicators(self) -> Iterator[tuple[Dimension, Indicator]]:
        for dimension in self.dimensions:
            for indicator in dimension.indicators:
                yield dimension, indicator

    def metrics(self) -> dict[str, Metric]:
        """Every metric the rubric reads, by key."""
        return {m.key: m for m in [*(i for _, i in self.indicators()), *self.floor_metrics]}


def load_rubric(text: str) -> Rubric:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise RubricError(f"Not valid TOML: {error}") from error
    try:
        rubric = msgspec.convert(data, Rubric)
    except msgspec.ValidationError as error:
        message, _, path = str(error).rpartition(" - at `")
        raise (RubricError(message, path.rstrip("`")) if message else RubricError(str(error))) from error
    _check(rubric)
    return rubric


def packaged_versions() -> list[str]:
    return sorted(f.name.removesuffix(".toml") for f in _PACKAGED.iterdir() if f.name.endswith(".toml"))


def packaged_source(version: str) -> str:
    """The TOML text of a packaged rubric."""
    if version not in packaged_versions():
        raise LookupError(f"No packaged rubric {version!r}")
    return (_PACKAGED / f"{version}.toml").read_text(encoding="utf-8")


@cache
def packaged_rubric(version: str = DEFAULT_VERSION) -> Rubric:
    """A packaged rubric, for pure code and tests; a rating finds its rubric through
    ``incubator.rubrics.services.rubric``, which knows the uploaded ones too."""
    rubric = load_rubric(packaged_source(version))
    if rubric.version != version:
        raise RubricError(f"Expected version {version!r} as the file is named, got {rubric.version!r}", "$.version")
    return rubric


def incubatee_rules() -> IncubateeRules:
    """The incubatee rules of the default rubric (``incubatees.rules`` still holds them as constants)."""
    return packaged_rubric(DEFAULT_VERSION).incubatee_rules


# The checks msgspec cannot express: every number finite, and the parts agreeing with each other.


def _check(rubric: Rubric) -> None:
    for path, value in _numbers(msgspec.to_builtins(rubric, builtin_types=(Decimal, datetime.date)), "$"):
        if not value.is_finite():
            raise RubricError("Expected a finite number", path)
        if value < 0:
            raise RubricError("Expected a number >= 0", path)
    _check_dimensions(rubric)
    _check_keys(rubric)
    _check_stars(rubric)
    _check_funding(rubric)


def _numbers(data: Any, path: str) -> Iterator[tuple[str, Decimal]]:
    if isinstance(data, Decimal):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _numbers(value, f"{path}.{key}")
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from _numbers(value, f"{path}[{index}]")


def _check_dimensions(rubric: Rubric) -> None:
    if not rubric.dimensions:
        raise RubricError("Expected at least one dimension", "$.dimensions")
    weights = sum(d.weight for d in rubric.dimensions)
    if weights != 100:
        raise RubricError(f"Expected dimension weights to sum to 100, got {weights}", "$.dimensions")
    for d, dimension in enumerate(rubric.dimensions):
        at = f"$.dimensions[{d}]"
        if dimension.weight <= 0:
            raise RubricError("Expected a weight > 0", f"{at}.weight")
        if not dimension.indicators:
            raise RubricError("Expected at least one indicator", f"{at}.indicators")
        points = sum(i.points for i in dimension.indicators)
        if points != dimension.weight:
            raise RubricError(
                f"Expected indicator points to sum to the dimension's weight {dimension.weight}, got {points}",
                f"{at}.indicators",
            )
        for i, indicator in enumerate(dimension.indicators):
            if indicator.points <= 0:
                raise RubricError("Expected points > 0", f"{at}.indicators[{i}].points")
            if indicator.full == indicator.floor:
                raise RubricError("Expected full to differ from floor", f"{at}.indicators[{i}].full")
            if (indicator.full > indicator.floor) != (indicator.direction == "higher"):
                side = "above" if indicator.direction == "higher" else "below"
                raise RubricError(
                    f"Expected full {side} floor where {indicator.direction} is better", f"{at}.indicators[{i}].full"
                )


def _check_keys(rubric: Rubric) -> None:
    keyed = [
        *((f"$.dimensions[{d}].key", x.key) for d, x in enumerate(rubric.dimensions)),
        *(
            (f"$.dimensions[{d}].indicators[{i}].key", x.key)
            for d, dimension in enumerate(rubric.dimensions)
            for i, x in enumerate(dimension.indicators)
        ),
        *((f"$.floor_metrics[{m}].key", x.key) for m, x in enumerate(rubric.floor_metrics)),
        *((f"$.vetoes[{v}].key", x.key) for v, x in enumerate(rubric.vetoes)),
    ]
    seen: set[str] = set()
    for path, key in keyed:
        if key in seen:
            raise RubricError(f"Duplicate key {key!r}", path)
        seen.add(key)


def _check_stars(rubric: Rubric) -> None:
    if not rubric.stars:
        raise RubricError("Expected at least one star band", "$.stars")
    known = rubric.metrics()
    for b, band in enumerate(rubric.stars):
        if band.min_score > 100:
            raise RubricError("Expected a min score <= 100", f"$.stars[{b}].min_score")
        if b and band.stars <= rubric.stars[b - 1].stars:
            raise RubricError("Expected star bands ascending by stars", f"$.stars[{b}].stars")
        if b and band.min_score <= rubric.stars[b - 1].min_score:
            raise RubricError("Expected star bands ascending by min score", f"$.stars[{b}].min_score")
    for b, band in enumerate(rubric.stars):
        following = rubric.stars[b + 1].min_score if b + 1 < len(rubric.stars) else None
        if band.max_score is not None and not (
            band.min_score <= band.max_score and (following is None or band.max_score < following)
        ):
            raise RubricError(
                "Expected a max score from the min score to below the next band's", f"$.stars[{b}].max_score"
            )
        for metric in band.floors:
            if metric not in known:
                raise RubricError(f"Unknown metric {metric!r}", f"$.stars[{b}].floors.{metric}")


def _check_funding(rubric: Rubric) -> None:
    levels = [band.stars for band in rubric.stars]
    tiers = [tier.stars for tier in rubric.funding.tiers]
    for t, stars in enumerate(tiers):
        if stars not in levels or stars in tiers[:t]:
            raise RubricError(
                f"Expected one funding tier for each star band, got another for {stars} stars",
                f"$.funding.tiers[{t}].stars",
            )
    for stars in levels:
        if stars not in tiers:
            raise RubricError(f"Expected a funding tier for the {stars}-star band", "$.funding.tiers")
