"""Periods and the populations of indicators.md: S, C, O of applications and R of cases.

A :class:`Window` is a period ``[from, to]`` with its ``as_of`` as day numbers; a
:class:`Scope` binds a window to the prepared data (optionally restricted to one street)
and computes each population mask once, for every indicator family to share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from metrics.calendar import cum_index, day_number
from metrics.grouping import Grouping, Reducer
from metrics.prepared import STATUS, Prepared

_DONE = STATUS["已办结"]
_OPEN = STATUS["在办"]
_WITHDRAWN = STATUS["撤回"]
_NOT_ACCEPTED = STATUS["不予受理"]


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
        """The period of the same length just before ``date_from``, as_of its last day."""
        last = self.date_from - dt.timedelta(days=1)
        first = last - dt.timedelta(days=self.days - 1)
        return Window(first, last, last)


@dataclass
class Scope:
    """One window over the prepared data, with the population masks computed lazily once.

    ``street`` restricts applications and cases to that street (``street_code``); items,
    disclosures and credit ratings are not street-bound and stay whole.
    """

    data: Prepared
    window: Window
    street: str | None = None
    _reducers: dict[tuple[int, str], Reducer] = field(default_factory=dict, repr=False)

    def reducer(self, grouping: Grouping, table: str) -> Reducer:
        """The reducer of ``table`` for ``grouping``, shared by the families of this scope so
        that a population's per-group counts (e.g. of S) are computed once."""
        key = (id(grouping), table)
        if key not in self._reducers:
            self._reducers[key] = grouping.reducer(table)
        return self._reducers[key]

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
    def not_withdrawn(self) -> np.ndarray:
        """S with status other than 撤回 (the population of rejection shares)."""
        return self.submitted & (self.data.apps.status != _WITHDRAWN)

    @cached_property
    def rejected(self) -> np.ndarray:
        """Every application with status 不予受理 or result 不予 (any period)."""
        a = self.data.apps
        return (a.status == _NOT_ACCEPTED) | a.result_refused

    @cached_property
    def with_visits(self) -> np.ndarray:
        """S with visits present (the population of visit figures)."""
        return self.submitted & ~np.isnan(self.data.apps.visits)

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
        return np.maximum(0, int(cum_index(self.window.asof)) - a.acc_cum - a.suspended)

    @cached_property
    def received(self) -> np.ndarray:
        """R: received_date in [from, to]."""
        c, w = self.data.cases, self.window
        return (c.received_day >= w.start) & (c.received_day <= w.end) & self.case_scope

    @cached_property
    def current_version(self) -> str | None:
        """The negative-list version with the latest effective_date ≤ as_of."""
        return self.data.versions.current(self.window.asof)
