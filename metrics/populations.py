"""Periods and the populations of indicators.md: S, C, O of applications and R of cases.

A :class:`Window` is a period ``[from, to]`` with its ``as_of`` as day numbers; a
:class:`Scope` binds a window to the prepared data (optionally restricted to one street)
and computes each population mask once, for every indicator family to share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, wraps
from typing import TYPE_CHECKING

import numpy as np

from metrics.calendar import cum_index, day_number
from metrics.grouping import Grouping, Reducer
from metrics.ops import at_least
from metrics.periods import previous_span, year_ago_span
from metrics.prepared import STATUS, Prepared

if TYPE_CHECKING:
    from metrics.results import MetricsRequest

_DONE = STATUS["已办结"]
_OPEN = STATUS["在办"]


@dataclass(frozen=True)
class Window:
    """A period ``[date_from, date_to]`` (both included) judged at ``as_of``."""

    date_from: dt.date
    date_to: dt.date
    as_of: dt.date

    @property
    def start(self) -> int:
        return day_number(self.date_from)

    @property
    def end(self) -> int:
        return day_number(self.date_to)

    @property
    def asof(self) -> int:
        return day_number(self.as_of)

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def previous(self) -> Window:
        """上期 (:func:`metrics.periods.previous_span`), judged at its last day."""
        first, last = previous_span(self.date_from, self.date_to)
        return Window(first, last, last)

    def year_ago(self) -> Window:
        """同比 (:func:`metrics.periods.year_ago_span`), judged at its last day."""
        first, last = year_ago_span(self.date_from, self.date_to)
        return Window(first, last, last)


def window_of(request: MetricsRequest) -> Window:
    """The window of a request: its period judged at its effective as_of."""
    return Window(request.date_from, request.date_to, request.effective_as_of)


@dataclass
class Scope:
    """One window over the prepared data, with the population masks computed lazily once.

    ``street`` restricts applications and cases to that street (``street_code``); items,
    disclosures and credit ratings are not street-bound and stay whole.
    """

    data: Prepared
    window: Window
    street: str | None = None
    _reducers: dict[tuple[int, str], tuple[Grouping, Reducer]] = field(default_factory=dict, repr=False)
    _masks: dict[Callable[[Scope], np.ndarray], np.ndarray] = field(default_factory=dict, repr=False)

    def memo(self, fn: Callable[[Scope], np.ndarray]) -> np.ndarray:
        """``fn(self)``, computed once for this scope (see :func:`per_scope`)."""
        hit = self._masks.get(fn)
        if hit is None:
            hit = self._masks[fn] = fn(self)
        return hit

    def reducer(self, grouping: Grouping, table: str) -> Reducer:
        """The reducer of ``table`` for ``grouping``, shared by the families of this scope so
        that a population's per-group counts (e.g. of S) are computed once."""
        key = (id(grouping), table)
        hit = self._reducers.get(key)
        if hit is None or hit[0] is not grouping:  # the grouping is kept, so its id stays its own
            hit = self._reducers[key] = (grouping, grouping.reducer(table))
        return hit[1]

    @cached_property
    def app_scope(self) -> np.ndarray | bool:
        if self.street is None:
            return True
        return self.data.street_mask("apps", self.street)

    @cached_property
    def case_scope(self) -> np.ndarray | bool:
        if self.street is None:
            return True
        return self.data.street_mask("cases", self.street)

    @cached_property
    def submitted(self) -> np.ndarray:
        """S: date(submitted_at) in [from, to]."""
        a, w = self.data.apps, self.window
        return (a.sub_day >= w.start) & (a.sub_day <= w.end) & self.app_scope

    @cached_property
    def completed(self) -> np.ndarray:
        """C: status 已办结, accepted_at present, date(completed_at) in [from, to]."""
        a, w = self.data.apps, self.window
        return (
            (a.status == _DONE) & a.has_acc & a.has_comp
            & (a.comp_day >= w.start) & (a.comp_day <= w.end) & self.app_scope
        )

    @cached_property
    def open(self) -> np.ndarray:
        """O: accepted by as_of, and 在办 or 已办结 after as_of."""
        a, w = self.data.apps, self.window
        later = (a.status == _DONE) & a.has_comp & (a.comp_day > w.asof)
        return a.has_acc & (a.acc_day <= w.asof) & ((a.status == _OPEN) | later) & self.app_scope

    @cached_property
    def open_wd(self) -> np.ndarray:
        """max(0, wd(date(accepted_at), as_of) − suspended_days) for every application."""
        a = self.data.apps
        return at_least(int(cum_index(self.window.asof)) - a.acc_cum - a.suspended, 0)

    @cached_property
    def received(self) -> np.ndarray:
        """R: received_date in [from, to]."""
        c, w = self.data.cases, self.window
        return (c.received_day >= w.start) & (c.received_day <= w.end) & self.case_scope

    @cached_property
    def current_version(self) -> str | None:
        """The negative-list version with the latest effective_date ≤ as_of."""
        return self.data.versions.current(self.window.asof)


def per_scope(fn: Callable[[Scope], np.ndarray]) -> Callable[[Scope], np.ndarray]:
    """A mask or value function of a scope, computed once per scope and then shared: the
    same array object each time, so reducers recognise a population they have counted."""

    @wraps(fn)
    def shared(scope: Scope) -> np.ndarray:
        return scope.memo(fn)

    return shared
