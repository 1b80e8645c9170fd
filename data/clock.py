"""The local clock: live work (sign-in throttling, session expiry) is judged against the time
in Asia/Shanghai, stored naive as every other time in the database."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def local_now() -> datetime:
    """The current time in Asia/Shanghai, naive (as stored), to the second."""
    return datetime.now(LOCAL_TZ).replace(tzinfo=None, microsecond=0)


def epoch(moment: datetime) -> int:
    """Seconds since the epoch of a naive Asia/Shanghai time (or an aware one)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=LOCAL_TZ)
    return int(aware.timestamp())


def from_epoch(seconds: int) -> datetime:
    """The naive Asia/Shanghai time of ``seconds`` since the epoch."""
    return datetime.fromtimestamp(seconds, LOCAL_TZ).replace(tzinfo=None)
