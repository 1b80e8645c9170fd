"""The local clock, Asia/Shanghai: the one source of "now" and "today" for live work (tasks,
deadlines, lights, reminders, sign-in throttling, session expiry), whatever period a page
shows (indicators use the period's as_of instead).  Times are stored naive in local time,
as every other time in the database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def local_now() -> dt.datetime:
    """The current time in Asia/Shanghai, naive (as stored), to the second."""
    return dt.datetime.now(LOCAL_TZ).replace(tzinfo=None, microsecond=0)


def today_local() -> dt.date:
    """Today in Asia/Shanghai."""
    return dt.datetime.now(LOCAL_TZ).date()


def epoch(moment: dt.datetime) -> int:
    """Seconds since the epoch of a naive Asia/Shanghai time (or an aware one)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=LOCAL_TZ)
    return int(aware.timestamp())


def from_epoch(seconds: int) -> dt.datetime:
    """The naive Asia/Shanghai time of ``seconds`` since the epoch."""
    return dt.datetime.fromtimestamp(seconds, LOCAL_TZ).replace(tzinfo=None)
