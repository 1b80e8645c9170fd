"""Warming the results store after an import, once for all the dashboard's processes.

When a process first loads new data (or new indicator settings), it computes the
district's figures for every period the filter bar offers into the results store
(:mod:`dashboard.kit.results_store`), in a background thread.  The first user to pick a
period then reads it instead of waiting for it, and so does every other process.  Only
one process warms a folder (the first to claim it); the rest carry on serving.

Which requests: those the filter bar makes for each month, quarter, half and year of
the data (:attr:`dashboard.kit.filters.Filters.request`), the newest quarter first, as
the joint meeting and the self-checks use them.  Custom spans and pinned 截至 dates are
computed when someone asks.

Then the same process hands the folder to :mod:`dashboard.kit.page_warm_up`, which runs the
pages themselves for the selections of :func:`page_plan` in a child process at low
priority, so that what the pages compute from those figures is stored too.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path

from dashboard.kit import results_store
from dashboard.kit.filters import Filters
from metrics.directory import Directory
from metrics.periods import KINDS, periods_between
from metrics.results import MetricsRequest

JOB = "warm-up"
ENV = "MARKET_ACCESS_WARM_UP"  # "0": never warm (the test suite: no background work between tests)
_LOG = logging.getLogger(__name__)
_ORDER = ("quarter", "month", "half", "year")  # what a meeting opens first
DEPT_NEWEST = 2  # departments' self-checks: the newest two months, quarters, halves and years first,
DEPT_DAYS = 366  # then the other periods that end in the data's last year


def period_requests(directory: Directory) -> list[MetricsRequest]:
    """The filter bar's district request for every preset period of the data, newest
    quarter first (none before any data)."""
    first, last = directory.first_day, directory.last_day
    if first is None or last is None:
        return []
    out = []
    for kind in sorted(KINDS, key=_ORDER.index):
        for p in periods_between(kind, first, last):
            out.append(Filters(kind, p.start, p.end, p.end, None, None, p.label, last).request)
    return out


def page_plan(directory: Directory) -> list[tuple[str, str | None]]:
    """The selections (period key, department or None for 全区) whose pages are run after an
    import: the district for every preset period; then each department for the newest two
    periods of each kind (its self-checks), and for the other periods that end in the data's
    last year (its year's comparisons).  Newest quarter first in each part."""
    first, last = directory.first_day, directory.last_day
    if first is None or last is None:
        return []
    by_kind = [periods_between(kind, first, last) for kind in sorted(KINDS, key=_ORDER.index)]
    newest = [p.key for periods in by_kind for p in periods[:DEPT_NEWEST]]
    year = [p.key for periods in by_kind for p in periods[DEPT_NEWEST:] if (last - p.end).days < DEPT_DAYS]
    district: list[tuple[str, str | None]] = [(p.key, None) for periods in by_kind for p in periods]
    return district + [(key, u.code) for key in newest + year for u in directory.units]


def run(where: Path, jobs: Sequence[tuple[Hashable, Callable[[], object]]],
        then: Callable[[], object] | None = None) -> int:
    """Compute into ``where`` each job's result not yet stored, then call ``then`` (before the
    folder is marked warmed); the number computed."""
    done = 0
    for key, compute in jobs:
        if results_store.entry(where, key).exists():
            continue
        try:
            results_store.fetch(where, key, compute)
        except Exception:
            _LOG.exception("warming %r failed", key)
            continue
        done += 1
    if then is not None:
        try:
            then()
        except Exception:
            _LOG.exception("after warming %s", where)
    results_store.finish(where, JOB)
    return done


def start(where: Path, jobs: Sequence[tuple[Hashable, Callable[[], object]]],
          then: Callable[[], object] | None = None) -> bool:
    """Warm ``where`` with ``jobs`` (then call ``then``) in a background thread, unless another
    process (or an earlier call) has claimed it, or ``$MARKET_ACCESS_WARM_UP`` is 0; True when
    this call started it."""
    if not jobs or os.environ.get(ENV) == "0" or not results_store.claim(where, JOB):
        return False
    threading.Thread(target=run, args=(where, list(jobs), then), name="results-warm-up", daemon=True).start()
    return True
