"""Time as the users live it: stored in UTC, dated in Asia/Shanghai."""

import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


_fixed_today: datetime.date | None = None


def today() -> datetime.date:
    return _fixed_today or datetime.datetime.now(SHANGHAI).date()


def set_demo_today(day: datetime.date | None) -> None:
    """The demo city's calendar day (``INCUBATOR_DEMO_TODAY``); None for the real one."""
    global _fixed_today  # one process serves one city
    _fixed_today = day
