"""The hidden-barrier screen: every signal of screening.md for a request, vectorised.

Per kind, the applications of the kind's population (S and C of :mod:`metrics.populations`)
that have an entity_id and an item in scope are counted per (item, 外地/本地) with
``np.bincount``; only items where both groups reach ``min_group`` are tested, each with one
scipy call (Fisher's exact test or Mann–Whitney U, one-sided: 外地 worse), and the p-values
of one kind are adjusted together by Benjamini–Hochberg.  ``lifted_still_approved`` needs
no test: licensing items whose list basis was dropped, still applied for after the
current version took effect.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from metrics import channels, routes
from metrics.engine import MetricsEngine
from metrics.populations import Scope, Window
from metrics.prepared import Prepared
from metrics.results import MetricsRequestError, Period
from metrics.screening.locality import NO_CODE, NONLOCAL, LocalityIndex
from metrics.screening.model import (
    LOCAL_LABEL,
    NONLOCAL_LABEL,
    Group,
    ScreeningRequest,
    ScreeningResult,
    Signal,
)
from metrics.screening_rules import KINDS, TESTED_KINDS, ScreeningRules

EPS = 1e-9
"""Tolerance of the gap rule: an effect of 0.25 − 0.15 (= 0.0999…98 in floating point) reaches 0.10."""

LIFTED = "lifted_still_approved"


@dataclass(frozen=True)
class Comparison:
    """A kind's comparison: which applications take part and what is compared (numpy arrays
    here; column expressions of the same rules on :class:`~metrics.columnar.screen.ColumnarScreener`)."""

    mask: np.ndarray  # bool per application
    values: np.ndarray  # per application: bool for shares, a number otherwise (cast after selection)
    share: bool  # True: Fisher on a share; False: Mann–Whitney
    statistic: str  # "share" | "median" | "mean"


class Screener:
    """Screens one engine's data; create it once per data set and call :meth:`screen` often.

    ``rules`` defaults to the engine's configuration (``engine.config.screening``, with the
    administrator's overrides when the engine was built with them).
    """

    def __init__(self, engine: MetricsEngine, rules: ScreeningRules | None = None) -> None:
        self.engine = engine
        self.data: Prepared = engine.data
        self.rules = rules if rules is not None else engine.config.screening
        items = self.data.items
        self._item_codes = np.array([str(c) for c in items.frame["item_code"].tolist()], dtype=object)
        self._item_names = items.frame["item_name"].astype(object).where(items.frame["item_name"].notna(), "").to_numpy()
        self._item_dept = np.array([None if pd.isna(d) else str(d) for d in items.dept.tolist()], dtype=object)

    # ------------------------------------------------------------------ scope

    def check(self, request: ScreeningRequest) -> None:
        if request.dept is not None and request.dept not in self.data.dept_names:
            raise MetricsRequestError(f"部门编码 {request.dept} 不存在。")

    def _items_in_scope(self, dept: str | None) -> np.ndarray:
        """bool per item (plus a last False for "unknown item"): the item is the department's."""
        inside = np.ones(len(self._item_codes), dtype=bool) if dept is None else self._item_dept == dept
        return np.append(inside, False)

    def _app_items(self, dept: str | None) -> np.ndarray:
        """bool per application: its item is known and in scope."""
        return self._items_in_scope(dept)[self.data.apps.item_pos]

    @cached_property
    def _locality(self) -> LocalityIndex:
        return LocalityIndex(self.data.apps.frame["entity_id"])

    def scope(self, request: ScreeningRequest) -> Scope:
        """The request's window over the data (populations S and C, the current list version)."""
        return Scope(self.data, Window(request.date_from, request.date_to, request.effective_as_of))

    # ------------------------------------------------------------------ populations

    def _population(self, kind: str, scope: Scope) -> Comparison:
        a = self.data.apps
        if kind == "nonlocal_rejection":
            return Comparison(routes.not_withdrawn(scope), routes.refused(scope), True, "share")
        if kind == "nonlocal_time":
            return Comparison(scope.completed, a.processing, False, "median")
        if kind == "nonlocal_visits":
            return Comparison(channels.with_visits(scope), a.visits, False, "mean")
        if kind == "nonlocal_suspension":
            return Comparison(scope.completed, a.suspended > 0, True, "share")
        raise KeyError(kind)

    @staticmethod
    def _taking_part(population: np.ndarray, items_ok: np.ndarray, loc: np.ndarray) -> np.ndarray:
        """bool per application: in the population, with an entity_id and an item in scope."""
        return population & items_ok & (loc != NO_CODE)

    # ------------------------------------------------------------------ screen

    def screen(self, request: ScreeningRequest) -> ScreeningResult:
        """Every flagged signal of the request (screening.md), and the tested counts."""
        self.check(request)
        scope = self.scope(request)
        tested: dict[str, int] = {}
        signals: list[Signal] = []
        for kind in TESTED_KINDS:
            compared = self._compare(kind, scope, request.dept)
            tested[kind] = len(compared)
            signals.extend(s for s in compared if s.flagged)
        signals.extend(self._lifted(scope, request.dept))
        order = {k: i for i, k in enumerate(KINDS)}
        signals.sort(key=lambda s: (order[s.kind], s.q_value if s.q_value is not None else 0.0,
                                    s.dept_code, s.item_code))
        w = scope.window
        return ScreeningResult(
            request=request, period=Period(w.date_from, w.date_to, w.as_of), local_prefix=self.rules.local_prefix,
            tested=tested, signals=tuple(signals),
        )

    def comparisons(self, request: ScreeningRequest, kind: str) -> tuple[Signal, ...]:
        """Every item tested for ``kind`` (flagged or not, see ``Signal.flagged``), by q then item:
        what the screen looked at, for the page's 口径 and for checking a quiet item."""
        self.check(request)
        if kind not in TESTED_KINDS:
            raise MetricsRequestError(f"筛查类型 {kind} 没有分组检验。")
        scope = self.scope(request)
        compared = self._compare(kind, scope, request.dept)
        return tuple(sorted(compared, key=lambda s: (s.q_value or 0.0, s.dept_code, s.item_code)))

    def compared_rows(self, kind: str, scope: Scope, dept: str | None) -> tuple[Comparison, np.ndarray, np.ndarray]:
        """``kind``'s comparison and the applications taking part in it: per application, its
        key (item position × 2, + 1 for 外地) and its compared value (float64), in any order.
        Everything the screen tests follows from these two arrays."""
        pop = self._population(kind, scope)
        loc = self._locality.of(self.rules.local_prefix)
        idx = np.flatnonzero(self._taking_part(pop.mask, self._app_items(dept), loc))
        key = self.data.apps.item_pos[idx].astype(np.int64) * 2 + (loc[idx] == NONLOCAL)
        return pop, key, pop.values[idx].astype(np.float64)

    def _compare(self, kind: str, scope: Scope, dept: str | None) -> list[Signal]:
        """Every tested item of one kind as a signal, ``flagged`` per the gap and q rules."""
        rules = self.rules
        pop, key, values = self.compared_rows(kind, scope, dept)
        n_items = len(self._item_codes)
        counts = np.bincount(key, minlength=2 * n_items).reshape(n_items, 2)  # [:, 0] 本地, [:, 1] 外地
        tested_items = np.flatnonzero((counts >= rules.min_group).all(axis=1))
        if len(tested_items) == 0:
            return []
        if pop.share:
            hits = np.bincount(key, weights=values, minlength=2 * n_items).reshape(n_items, 2).round().astype(np.int64)
            local_v = hits[tested_items, 0] / counts[tested_items, 0]
            nonlocal_v = hits[tested_items, 1] / counts[tested_items, 1]
            p = np.array([_fisher_greater(int(hits[i, 1]), int(counts[i, 1]), int(hits[i, 0]), int(counts[i, 0]))
                          for i in tested_items])
        else:
            order = np.argsort(key, kind="stable")
            sorted_values = values[order]
            bounds = np.searchsorted(key[order], np.arange(2 * n_items + 1))
            reduce: Callable[[np.ndarray], float] = np.median if pop.statistic == "median" else np.mean
            xs = [sorted_values[bounds[2 * i + 1]: bounds[2 * i + 2]] for i in tested_items.tolist()]
            ys = [sorted_values[bounds[2 * i]: bounds[2 * i + 1]] for i in tested_items.tolist()]
            local_v = np.array([float(reduce(y)) for y in ys])
            nonlocal_v = np.array([float(reduce(x)) for x in xs])
            p = _mann_whitney_greater(xs, ys)
        q = stats.false_discovery_control(p, method="bh")
        effect = nonlocal_v - local_v
        flagged = (effect >= rules.gap(kind) - EPS) & (q <= rules.fdr)
        out = []
        for j, item in enumerate(tested_items.tolist()):
            out.append(self._signal(
                kind, item, Group(int(counts[item, 0]), float(local_v[j])),
                Group(int(counts[item, 1]), float(nonlocal_v[j])),
                float(effect[j]), float(p[j]), float(q[j]), int(counts[item].sum()), flagged=bool(flagged[j]),
            ))
        return out

    def _signal(self, kind: str, item: int, local: Group | None, nonlocal_: Group | None, effect: float,
                p: float | None, q: float | None, records: int, flagged: bool = True) -> Signal:
        dept = self._item_dept[item] or ""
        return Signal(
            kind=kind, dept_code=dept, item_code=str(self._item_codes[item]), local=local, nonlocal_=nonlocal_,
            effect=effect, p_value=p, q_value=q, records=records, item_name=str(self._item_names[item]),
            dept_name=self.data.dept_names.get(dept, ""), flagged=flagged,
        )

    # ------------------------------------------------------------------ lifted_still_approved

    def lifted_items(self, scope: Scope, dept: str | None) -> tuple[np.ndarray, int | None]:
        """bool per item: 行政许可, in scope, its nl_code listed in some negative-list version but
        not in the current one (screening.md, literally: any other version); and the current
        version's effective day (None when no version is in force at as_of)."""
        current = scope.current_version
        n_items = len(self._item_codes)
        if current is None:
            return np.zeros(n_items, dtype=bool), None
        versions = self.data.versions
        effective = versions.effective[current]
        listed: set[str] = set()
        for version in versions.effective:
            if version != current:
                listed |= versions.codes[version]
        dropped = listed - versions.codes[current]
        items = self.data.items
        basis_dropped = np.array([code in dropped for code in items.nl_code.tolist()], dtype=bool)
        return items.licensing & basis_dropped & self._items_in_scope(dept)[:-1], effective

    def _lifted_mask(self, scope: Scope, dept: str | None) -> np.ndarray:
        """bool per application: submitted in the period, on or after the current version's
        effective date, for a lifted item."""
        items, effective = self.lifted_items(scope, dept)
        if effective is None or not items.any():
            return np.zeros(self.data.apps.n, dtype=bool)
        a = self.data.apps
        return scope.submitted & (a.sub_day >= effective) & np.append(items, False)[a.item_pos]

    def lifted_counts(self, scope: Scope, dept: str | None) -> np.ndarray:
        """Per item, its applications of :meth:`_lifted_mask`."""
        mask = self._lifted_mask(scope, dept)
        return np.bincount(self.data.apps.item_pos[mask], minlength=len(self._item_codes))

    def _lifted(self, scope: Scope, dept: str | None) -> list[Signal]:
        counts = self.lifted_counts(scope, dept)
        return [self._signal(LIFTED, int(i), None, None, int(counts[i]), None, None, int(counts[i]))
                for i in np.flatnonzero(counts)]

    # ------------------------------------------------------------------ records

    def records(self, request: ScreeningRequest, signal: Signal) -> pd.DataFrame:
        """The applications behind ``signal``: both groups' applications of the item in the
        kind's population (column ``group`` 外地/本地, 外地 first), or for lifted_still_approved
        the item's applications submitted on or after the current version's effective date."""
        self.check(request)
        if request.dept is not None and signal.dept_code != request.dept:
            raise MetricsRequestError("只能查看本部门事项的筛查线索明细。")
        pos = np.flatnonzero(self._item_codes == signal.item_code)
        if len(pos) == 0:
            raise MetricsRequestError(f"事项编码 {signal.item_code} 不存在。")
        out = self.record_rows(self.scope(request), request.dept, signal.kind, int(pos[0]))
        rank = np.where(out["group"] == NONLOCAL_LABEL, 0, 1)
        out = out.assign(_rank=rank).sort_values(["_rank", "submitted_at", "app_id"], kind="stable")
        return out.drop(columns="_rank").reset_index(drop=True)

    def record_rows(self, scope: Scope, dept: str | None, kind: str, item: int) -> pd.DataFrame:
        """The columns of :meth:`records` for the applications of item position ``item`` behind
        a ``kind`` signal, in any order."""
        a = self.data.apps
        loc = self._locality.of(self.rules.local_prefix)
        of_item = a.item_pos == item
        if kind == LIFTED:
            mask = self._lifted_mask(scope, dept) & of_item
        else:
            population = self._population(kind, scope).mask
            mask = self._taking_part(population, self._app_items(dept), loc) & of_item
        idx = np.flatnonzero(mask)
        base = a.frame.iloc[idx]
        return record_frame(
            loc[idx], {c: base[c].to_numpy() for c in STORED_RECORD_COLUMNS}, app_ids=base["app_id"].to_numpy(),
            depts=a.dept.iloc[idx].to_numpy(), processing=a.processing[idx],
            processed=a.has_acc[idx] & a.has_comp[idx], suspended=a.suspended[idx], visits=a.visits[idx])


STORED_RECORD_COLUMNS = ("item_code", "entity_id", "submitted_at", "accepted_at", "completed_at", "status", "result")
"""The stored columns of an application that the records behind a signal show as they are."""


def record_frame(loc: np.ndarray, stored: dict[str, Any], *, app_ids: np.ndarray, depts: np.ndarray,
                 processing: np.ndarray, processed: np.ndarray, suspended: np.ndarray,
                 visits: np.ndarray) -> pd.DataFrame:
    """The records behind a signal (the frame of :meth:`Screener.record_rows`, on either
    engine): each application's group from its locality code, its stored columns
    (:data:`STORED_RECORD_COLUMNS`), and its derived ones; working days only where it was
    both accepted and completed."""
    return pd.DataFrame({
        "group": group_labels(loc),
        "app_id": app_ids,
        "item_code": stored["item_code"],
        "dept_code": depts,
        "entity_id": stored["entity_id"],
        "submitted_at": stored["submitted_at"],
        "accepted_at": stored["accepted_at"],
        "completed_at": stored["completed_at"],
        "status": stored["status"],
        "result": stored["result"],
        "processing_wd": pd.Series(processing, dtype="Int64").where(processed).to_numpy(),
        "suspended_days": suspended,
        "visits": pd.array(visits, dtype="Float64"),
    })


def group_labels(loc: np.ndarray) -> np.ndarray:
    """外地 / 本地 / None per locality code (NONLOCAL, LOCAL, NO_CODE)."""
    labels = np.array([NONLOCAL_LABEL, LOCAL_LABEL, None], dtype=object)
    return labels[np.where(loc == NONLOCAL, 0, np.where(loc == NO_CODE, 2, 1))]


def _fisher_greater(nl_hit: int, nl_n: int, l_hit: int, l_n: int) -> float:
    """One-sided Fisher p of [[外地 hit, 外地 not], [本地 hit, 本地 not]], alternative "greater"."""
    table = [[nl_hit, nl_n - nl_hit], [l_hit, l_n - l_hit]]
    return float(stats.fisher_exact(table, alternative="greater").pvalue)


BATCH_CELLS = 2_000_000
"""At most this many padded values per Mann–Whitney batch (16 MB of float64 per side)."""


def _mann_whitney_greater(xs: list[np.ndarray], ys: list[np.ndarray]) -> np.ndarray:
    """One-sided Mann–Whitney U p of each pair (外地 ``xs[k]`` greater than 本地 ``ys[k]``),
    asymptotic with continuity correction, as ``scipy.stats.mannwhitneyu`` gives it pair by pair.

    scipy is called once per batch of pairs of similar sizes, each side NaN-padded to a
    rectangle and reduced along ``axis=1`` with ``nan_policy="omit"`` (the padding is the only
    NaN: the populations hold present values only) — the per-call overhead of thousands of
    calls would otherwise dominate a large screen.  When every value of a pair is equal the
    statistic is undefined (scipy gives NaN): there is no evidence, so p = 1.
    """
    p = np.ones(len(xs))
    size = np.array([max(len(x), len(y)) for x, y in zip(xs, ys, strict=True)], dtype=np.int64)
    order = np.argsort(size, kind="stable")
    start = 0
    while start < len(order):
        stop = start + 1
        while stop < len(order) and (stop - start + 1) * size[order[stop]] <= BATCH_CELLS:
            stop += 1
        batch = order[start:stop].tolist()
        x = _padded([xs[k] for k in batch])
        y = _padded([ys[k] for k in batch])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            res = stats.mannwhitneyu(x, y, alternative="greater", method="asymptotic", use_continuity=True,
                                     axis=1, nan_policy="omit")
        p[batch] = np.atleast_1d(res.pvalue)
        start = stop
    return np.where(np.isnan(p), 1.0, p)


def _padded(rows: list[np.ndarray]) -> np.ndarray:
    out = np.full((len(rows), max(len(r) for r in rows)), np.nan)
    for k, r in enumerate(rows):
        out[k, : len(r)] = r
    return out
