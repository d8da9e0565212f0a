"""The incubatee rules of the rubric that the operations need now: the incubation term, and the
recommendations to graduate or exit.

They move into the versioned rubric file with the star-rating work; until then these are the
values of ``puyang-2017``."""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from incubator.incubatees.models import GraduationCriterion, IncubateeType, RecommendationKind

TERM_MONTHS = 36
TECHNOLOGY_TERM_MONTHS = 48


def term_end(admitted_on: datetime.date, kind: IncubateeType) -> datetime.date:
    """The last day of the incubation term."""
    months = TECHNOLOGY_TERM_MONTHS if kind == IncubateeType.TECHNOLOGY else TERM_MONTHS
    return admitted_on + relativedelta(months=months) - datetime.timedelta(days=1)


# Recommendations: the system proposes, an operator decides (and the decision is audited).

GRADUATION_FUNDING = Decimal(1_000_000)
GRADUATION_REVENUE = Decimal(3_000_000)
GRADUATION_EMPLOYEES = 10
MISSED_REPORTS_WARNING = 2


class Figures(NamedTuple):
    """What the graduation rules read from one periodic report."""

    period_start: datetime.date
    period_end: datetime.date
    employees: int | None
    revenue: Decimal | None
    funding_raised: Decimal
    high_tech_certified: bool


class Recommendation(NamedTuple):
    kind: RecommendationKind
    basis: str
    """What it rests on, e.g. ``funding,high_tech`` or ``2016-04-01,2016-07-01``: a decision answers this basis,
    and a new basis (another missed report, another criterion met) asks again."""


def graduation_criteria_met(reports: Sequence[Figures]) -> list[GraduationCriterion]:
    if not reports:
        return []
    met = []
    latest = max(r.period_end for r in reports)
    last_year = [r for r in reports if r.period_start > latest - relativedelta(years=1)]
    if any(r.high_tech_certified for r in reports):
        met.append(GraduationCriterion.HIGH_TECH)
    if sum(r.funding_raised for r in reports) >= GRADUATION_FUNDING:
        met.append(GraduationCriterion.FUNDING)
    if sum(r.revenue or 0 for r in last_year) >= GRADUATION_REVENUE:
        met.append(GraduationCriterion.REVENUE)
    covered = sum((r.period_end - r.period_start).days + 1 for r in last_year)
    if covered >= 365 and all((r.employees or 0) >= GRADUATION_EMPLOYEES for r in last_year):
        met.append(GraduationCriterion.EMPLOYEES)
    return met


def recommendations(
    *,
    incubating: bool,
    term_ends_on: datetime.date | None,
    reports: Sequence[Figures],
    missed_in_a_row: Sequence[datetime.date],
    day: datetime.date,
) -> list[Recommendation]:
    """What the rubric's incubatee rules recommend for one firm. ``missed_in_a_row``: the starts of the
    latest periods whose reports were never filed, in a row."""
    if not incubating:
        return []
    found = []
    met = graduation_criteria_met(reports)
    if met:
        found.append(Recommendation(RecommendationKind.GRADUATE, ",".join(sorted(met))))
    if term_ends_on is not None and term_ends_on < day:
        found.append(Recommendation(RecommendationKind.TERM_OVERDUE, term_ends_on.isoformat()))
    if len(missed_in_a_row) >= MISSED_REPORTS_WARNING:
        found.append(
            Recommendation(RecommendationKind.MISSED_REPORTS, ",".join(d.isoformat() for d in missed_in_a_row))
        )
    return found
