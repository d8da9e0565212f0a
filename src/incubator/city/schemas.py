from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from incubator.city.models import COUNTED, TargetKey
from incubator.parks.schemas import District
from incubator.ratings.metrics import MetricValue
from incubator.ratings.models import RatingStatus
from incubator.schemas import DecimalRange, Input, check_decimal

TARGET_RANGE = DecimalRange(Decimal(0), Decimal(10) ** 13)


def check_target(field: str, key: TargetKey, value: Decimal | None) -> None:
    """A target in range, and whole where it counts parks, firms or people (msgspec's wording, naming ``field``)."""
    check_decimal(field, value, TARGET_RANGE)
    if value is not None and key in COUNTED and value != value.to_integral_value():
        raise ValueError(f"Expected a whole number - at `$.{field}`")


class TargetItem(Input):
    """One target of the year; ``value`` null removes it (the whole city's falls back to the default)."""

    key: TargetKey
    value: Decimal | None
    district: District | None = None
    """As the parks spell it; none for the whole city."""


class TargetsUpdate(Input):
    """Targets of one year to set (or, with a null value, remove); the others stay as they are."""

    targets: Annotated[list[TargetItem], Meta(max_length=1000)]

    def __post_init__(self) -> None:
        super().__post_init__()
        for n, item in enumerate(self.targets):
            check_target(f"targets[{n}].value", item.key, item.value)


class TargetRow(Input):
    """The page's form for one row (the whole city or one district): every key at once, blank for none."""

    district: District | None = None
    national_parks: Decimal | None = None
    provincial_or_municipal_parks: Decimal | None = None
    demonstration_points: Decimal | None = None
    incubated_firms: Decimal | None = None
    people_trained: Decimal | None = None
    guaranteed_loans_yuan: Decimal | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        for key in TargetKey:
            check_target(key.value, key, getattr(self, key.value))

    def update(self) -> TargetsUpdate:
        return TargetsUpdate([TargetItem(key, getattr(self, key.value), self.district) for key in TargetKey])


class TargetRead(msgspec.Struct):
    year: int
    district: str | None
    key: TargetKey
    value: Decimal
    default: bool = False
    """The policy's number, as the bureau has set none for the year."""


class Progress(msgspec.Struct):
    key: TargetKey
    target: Decimal | None
    actual: Decimal
    share: float | None
    """Actual ÷ target (1.0 is met); none without a target."""


class DistrictProgress(msgspec.Struct):
    district: str | None
    """None: the whole city."""
    targets: list[Progress]


class StarTally(msgspec.Struct):
    district: str | None
    """None: every district shown."""
    failed: int
    stars: list[int]
    """Parks with 1, 2, 3, 4 and 5 stars."""
    not_rated: int
    """No rating in the period yet, or provisional (a first year)."""
    total: int


class FundingTier(msgspec.Struct):
    stars: int
    award: Decimal
    """Yuan a year for a park of this tier."""
    published_parks: int
    published: Decimal
    pending_parks: int
    pending: Decimal
    """Not yet published, so not yet due."""


class Funding(msgspec.Struct):
    tiers: list[FundingTier]
    other_published: Decimal
    """Per-incubatee subsidies and demonstration points' grants."""
    other_pending: Decimal
    total_published: Decimal
    total_pending: Decimal


class Standing(msgspec.Struct):
    """A park in the period: its current rating (none before one is computed) and the exit decision."""

    park_id: UUID
    park: str
    district: str
    rating_id: UUID | None
    status: RatingStatus | None
    stars: int
    failed: bool
    decision: str
    funding: Decimal


class Outcomes(msgspec.Struct):
    """Summed over the parks' ratings, numerators and denominators (never an average of percentages)."""

    survival_rate: MetricValue
    jobs_total: MetricValue
    training_success_rate: MetricValue


class CityDashboard(msgspec.Struct):
    period: str | None
    """The rating period shown; none before the bureau opens one."""
    periods: list[str]
    district: str | None
    districts: list[str]
    year: int
    """The year of the targets and progress: the period's."""
    progress: list[DistrictProgress]
    stars: list[StarTally]
    """Per district, then the total."""
    funding: Funding
    standings: list[Standing]
    outcomes: Outcomes
