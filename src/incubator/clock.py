"""Time as the users live it: stored in UTC, dated in Asia/Shanghai."""

import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today() -> datetime.date:
    return datetime.datetime.now(SHANGHAI).date()
