"""Reporting periods, pure: which periods a firm reports for, when each is due, and what became of it."""

import datetime
import enum
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from incubator.parks.models import ReportFrequency

MONTHS = {ReportFrequency.MONTHLY: 1, ReportFrequency.QUARTERLY: 3}


class Period(NamedTuple):
    start: datetime.date
    end: datetime.date
    """Inclusive."""


class ReportState(enum.StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    """Not filed, and the due date has passed."""
    DUE = "due"
    """The period has ended; the report may be filed until the due date."""
    OPEN = "open"
    """The period is still running."""


def period_containing(day: datetime.date, frequency: ReportFrequency) -> Period:
    months = MONTHS[frequency]
    start = datetime.date(day.year, (day.month - 1) // months * months + 1, 1)
    return Period(start, start + relativedelta(months=months) - datetime.timedelta(days=1))


def is_period_start(day: datetime.date, frequency: ReportFrequency) -> bool:
    return period_containing(day, frequency).start == day


def periods_between(first: datetime.date, last: datetime.date, frequency: ReportFrequency) -> list[Period]:
    """Every period that overlaps the days ``first`` to ``last`` (inclusive), oldest first."""
    periods: list[Period] = []
    period = period_containing(first, frequency)
    while period.start <= last:
        periods.append(period)
        period = period_containing(period.end + datetime.timedelta(days=1), frequency)
    return periods


def due_on(period: Period, due_days: int) -> datetime.date:
    return period.end + datetime.timedelta(days=due_days)


def state_of(period: Period, due: datetime.date, submitted_on: datetime.date | None, day: datetime.date) -> ReportState:
    if submitted_on is not None:
        return ReportState.ON_TIME if submitted_on <= due else ReportState.LATE
    if period.end >= day:
        return ReportState.OPEN
    return ReportState.DUE if day <= due else ReportState.OVERDUE


def trailing_missed(periods: Iterable[tuple[datetime.date, ReportState]]) -> list[datetime.date]:
    """The starts of the latest periods, in a row, whose reports were never filed (``periods`` oldest first)."""
    settled = [(start, state) for start, state in periods if state not in (ReportState.OPEN, ReportState.DUE)]
    missed: list[datetime.date] = []
    for start, state in reversed(settled):
        if state != ReportState.OVERDUE:
            break
        missed.insert(0, start)
    return missed


def reporting_window(
    admitted_on: datetime.date | None, left_on: datetime.date | None, day: datetime.date
) -> tuple[datetime.date, datetime.date] | None:
    """The days a firm reports for: from admission to leaving (or today); None before admission."""
    if admitted_on is None:
        return None
    return admitted_on, min(left_on or day, day)


def expected_periods(
    window: tuple[datetime.date, datetime.date] | None, frequency: ReportFrequency
) -> Sequence[Period]:
    return periods_between(*window, frequency) if window else []
