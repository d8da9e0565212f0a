"""The incubatee rules of the rubric that the operations need now: the incubation term.

They move into the versioned rubric file with the star-rating work; until then these are the
values of ``puyang-2017``."""

import datetime

from dateutil.relativedelta import relativedelta

from incubator.incubatees.models import IncubateeType

TERM_MONTHS = 36
TECHNOLOGY_TERM_MONTHS = 48


def term_end(admitted_on: datetime.date, kind: IncubateeType) -> datetime.date:
    """The last day of the incubation term."""
    months = TECHNOLOGY_TERM_MONTHS if kind == IncubateeType.TECHNOLOGY else TERM_MONTHS
    return admitted_on + relativedelta(months=months) - datetime.timedelta(days=1)
