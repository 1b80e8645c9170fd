"""The local clock: every time the product writes (imports, audit log, task history,
settings, self-checks, sign-in throttling) and every "today" live work is judged at is the
time in Asia/Shanghai, stored naive as every other time in the database, whatever time zone
the server runs in.  One source of "now", which tests fix with :func:`fixed`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def _system_now() -> datetime:
    return datetime.now(LOCAL_TZ)


_source: Callable[[], datetime] = _system_now


def local_moment() -> datetime:
    """The current time in Asia/Shanghai, naive, to the microsecond (for durations)."""
    return _source().astimezone(LOCAL_TZ).replace(tzinfo=None)


def local_now() -> datetime:
    """The current time in Asia/Shanghai, naive (as stored), to the second."""
    return local_moment().replace(microsecond=0)


def today_local() -> date:
    """Today in Asia/Shanghai."""
    return local_moment().date()


@contextmanager
def fixed(moment: datetime) -> Iterator[None]:
    """Within the block the clock reads ``moment`` (an aware time: a test says which zone)."""
    if moment.tzinfo is None:
        raise ValueError("fixed() needs an aware datetime")
    global _source
    previous = _source
    _source = lambda: moment  # noqa: E731
    try:
        yield
    finally:
        _source = previous


def epoch(moment: datetime) -> int:
    """Seconds since the epoch of a naive Asia/Shanghai time (or an aware one)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=LOCAL_TZ)
    return int(aware.timestamp())


def from_epoch(seconds: int) -> datetime:
    """The naive Asia/Shanghai time of ``seconds`` since the epoch."""
    return datetime.fromtimestamp(seconds, LOCAL_TZ).replace(tzinfo=None)
