"""Today in Asia/Shanghai: the one day live work (tasks, deadlines, lights, reminders) is
judged at, whatever period a page shows (indicators use the period's as_of instead)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def today_local() -> dt.date:
    """Today in Asia/Shanghai."""
    return dt.datetime.now(LOCAL_TZ).date()
