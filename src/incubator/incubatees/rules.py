"""The rubric's incubatee rules applied to one firm: its incubation term, and the recommendations to
graduate or exit. The numbers come from the rubric (``[incubatee_rules]``), passed in by the caller."""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from incubator.incubatees.models import GraduationCriterion, IncubateeType, RecommendationKind
from incubator.ratings.rubric import IncubateeRules


def term_end(admitted_on: datetime.date, kind: IncubateeType, rules: IncubateeRules) -> datetime.date:
    """The last day of the incubation term."""
    months = rules.technology_term_months if kind == IncubateeType.TECHNOLOGY else rules.term_months
    return admitted_on + relativedelta(months=months) - datetime.timedelta(days=1)


def entered_too_late(registered_on: datetime.date | None, admitted_on: datetime.date, rules: IncubateeRules) -> bool:
    """A firm enters within so many months of its registration."""
    return registered_on is not None and registered_on < admitted_on - relativedelta(months=rules.entry_months)


# Recommendations: the system proposes, an operator decides (and the decision is audited).


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


def graduation_criteria_met(reports: Sequence[Figures], rules: IncubateeRules) -> list[GraduationCriterion]:
    if not reports:
        return []
    graduation = rules.graduation
    met = []
    latest = max(r.period_end for r in reports)
    last_year = [r for r in reports if r.period_start > latest - relativedelta(years=1)]
    staffed_since = latest - relativedelta(months=graduation.employees_months)
    staffed = [r for r in reports if r.period_start > staffed_since]
    if graduation.high_tech_certified and any(r.high_tech_certified for r in reports):
        met.append(GraduationCriterion.HIGH_TECH)
    if sum(r.funding_raised for r in reports) >= graduation.funding:
        met.append(GraduationCriterion.FUNDING)
    if sum(r.revenue or 0 for r in last_year) >= graduation.annual_revenue:
        met.append(GraduationCriterion.REVENUE)
    covered = sum((r.period_end - r.period_start).days + 1 for r in staffed)
    if covered >= (latest - staffed_since).days and all((r.employees or 0) >= graduation.employees for r in staffed):
        met.append(GraduationCriterion.EMPLOYEES)
    return met


def recommendations(
    *,
    incubating: bool,
    term_ends_on: datetime.date | None,
    reports: Sequence[Figures],
    missed_in_a_row: Sequence[datetime.date],
    day: datetime.date,
    rules: IncubateeRules,
) -> list[Recommendation]:
    """What the rubric's incubatee rules recommend for one firm. ``missed_in_a_row``: the starts of the
    latest periods whose reports were never filed, in a row."""
    if not incubating:
        return []
    found = []
    met = graduation_criteria_met(reports, rules)
    if met:
        found.append(Recommendation(RecommendationKind.GRADUATE, ",".join(sorted(met))))
    if term_ends_on is not None and term_ends_on < day:
        found.append(Recommendation(RecommendationKind.TERM_OVERDUE, term_ends_on.isoformat()))
    if len(missed_in_a_row) >= rules.missed_reports_warning:
        found.append(
            Recommendation(RecommendationKind.MISSED_REPORTS, ",".join(d.isoformat() for d in missed_in_a_row))
        )
    return found
