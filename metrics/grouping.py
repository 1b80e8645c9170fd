"""Vectorised per-group reductions: one pass over a whole table for every group at once.

A :class:`Grouping` assigns each row of a table an integer code ``0 .. G-1`` (its
department, street or item) or ``G`` for "no group".  A :class:`Reducer` then computes a
count, ratio, mean or quantile for the district (all rows, whatever their code: district
figures are over all records, never averaged) and for every group in one ``bincount`` or
one sort, instead of re-filtering the table once per department.

Results are :class:`Measure` objects: the district value and one value per group, as
plain Python numbers with ``None`` for an empty denominator (never 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Measure:
    """An indicator's district value and its value for each group (None = no data)."""

    district: Any
    groups: list[Any] | None  # None when the indicator is not broken down by this grouping


def _floats(values: np.ndarray, valid: np.ndarray) -> list[float | None]:
    return [float(v) if ok else None for v, ok in zip(values.tolist(), valid.tolist(), strict=True)]


class Reducer:
    """Reductions of masked rows of one table, for the district and per group.

    ``codes`` holds each row's group code (``n_groups`` = no group) or is None, in which case
    only district values are computed (``Measure.groups`` is None).
    """

    def __init__(self, codes: np.ndarray | None, n_groups: int) -> None:
        self.codes = codes
        self.n = n_groups
        # Counts per group of a denominator mask, keyed by the mask object: populations such
        # as S are shared by many ratios.  The mask is kept alive so its id stays unique.
        self._den_counts: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def _counts_of(self, mask: np.ndarray) -> np.ndarray:
        hit = self._den_counts.get(id(mask))
        if hit is not None and hit[0] is mask:
            return hit[1]
        counts = self._bincount(mask)
        self._den_counts[id(mask)] = (mask, counts)
        return counts

    @property
    def grouped(self) -> bool:
        return self.codes is not None

    def _bincount(self, mask: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        assert self.codes is not None
        codes = self.codes[mask]
        w = None if weights is None else weights[mask]
        return np.bincount(codes, weights=w, minlength=self.n + 1)[: self.n]

    def count(self, mask: np.ndarray) -> Measure:
        """Number of rows in ``mask``."""
        district = int(np.count_nonzero(mask))
        if not self.grouped:
            return Measure(district, None)
        return Measure(district, [int(x) for x in self._bincount(mask).tolist()])

    def ratio(self, num: np.ndarray, den: np.ndarray) -> Measure:
        """Share of the ``den`` rows that are also in ``num`` (None where ``den`` is empty)."""
        num = num & den
        d_den = int(np.count_nonzero(den))
        district = int(np.count_nonzero(num)) / d_den if d_den else None
        if not self.grouped:
            return Measure(district, None)
        n_den = self._counts_of(den)
        n_num = self._bincount(num)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = n_num / n_den
        return Measure(district, _floats(share, n_den > 0))

    def mean(self, values: np.ndarray, mask: np.ndarray) -> Measure:
        """Mean of ``values`` over the rows in ``mask`` (None where there are none)."""
        d_n = int(np.count_nonzero(mask))
        district = float(values[mask].mean()) if d_n else None
        if not self.grouped:
            return Measure(district, None)
        n = self._counts_of(mask)
        s = self._bincount(mask, values.astype(np.float64))
        with np.errstate(divide="ignore", invalid="ignore"):
            m = s / n
        return Measure(district, _floats(m, n > 0))

    def sum_ratio(self, num: np.ndarray, den: np.ndarray, mask: np.ndarray) -> Measure:
        """Σ num / Σ den over the rows in ``mask`` (None where there are none or Σ den = 0)."""
        d_den = float(den[mask].sum())
        district = float(num[mask].sum()) / d_den if np.count_nonzero(mask) and d_den else None
        if not self.grouped:
            return Measure(district, None)
        s_num = self._bincount(mask, num.astype(np.float64))
        s_den = self._bincount(mask, den.astype(np.float64))
        with np.errstate(divide="ignore", invalid="ignore"):
            r = s_num / s_den
        return Measure(district, _floats(r, s_den > 0))

    def quantiles(
        self, values: np.ndarray, mask: np.ndarray, qs: Sequence[float], order: np.ndarray | None = None
    ) -> list[Measure]:
        """Quantiles ``qs`` of ``values`` over ``mask``, linear interpolation (pandas' default).

        ``order`` may be a precomputed ``argsort(values)`` of the whole table: the masked rows
        then come out sorted in O(n) instead of being sorted again for every period.
        """
        if order is not None:
            idx = order[mask[order]]
        else:
            idx = np.flatnonzero(mask)
            idx = idx[np.argsort(values[idx], kind="stable")]
        v = values[idx].astype(np.float64)
        districts = [_sorted_quantile(v, q) for q in qs]
        if not self.grouped:
            return [Measure(d, None) for d in districts]
        assert self.codes is not None
        g = self.codes[idx]
        small = g.astype(np.int16) if self.n < np.iinfo(np.int16).max else g
        o = np.argsort(small, kind="stable")  # radix sort on small ints; keeps value order
        g = g[o]
        v = v[o]
        counts = np.bincount(g, minlength=self.n + 1)[: self.n]
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        has = counts > 0
        out = []
        for d, q in zip(districts, qs, strict=True):
            pos = q * np.maximum(counts - 1, 0)
            lo = np.floor(pos).astype(np.int64)
            frac = pos - lo
            hi = np.minimum(lo + 1, np.maximum(counts - 1, 0))
            if len(v):
                a = v[np.minimum(starts + lo, len(v) - 1)]
                b = v[np.minimum(starts + hi, len(v) - 1)]
                val = a + (b - a) * frac
            else:
                val = np.zeros(self.n)
            out.append(Measure(d, _floats(val, has)))
        return out


def _sorted_quantile(v: np.ndarray, q: float) -> float | None:
    """Linear-interpolation quantile of an ascending array (None if empty)."""
    n = len(v)
    if n == 0:
        return None
    pos = q * (n - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, n - 1)
    return float(v[lo] + (v[hi] - v[lo]) * (pos - lo))


def codes_for(labels: pd.Series, keys: Sequence[str]) -> np.ndarray:
    """Integer code of each label in ``keys`` (``len(keys)`` when missing or unknown)."""
    codes = lookup(labels, keys)
    codes[codes < 0] = len(keys)
    return codes


def lookup(labels: pd.Series, keys: Sequence[str]) -> np.ndarray:
    """Position of each label in ``keys`` (int64), -1 when missing or not among them."""
    codes, uniques = pd.factorize(labels)  # fast on Arrow strings; missing -> -1
    if len(uniques) == 0:
        return np.full(len(labels), -1, dtype=np.int64)
    positions = pd.Index(list(keys), dtype=object).get_indexer(pd.Index(uniques, dtype=object))
    return np.where(codes >= 0, positions[np.maximum(codes, 0)], -1).astype(np.int64)


@dataclass(frozen=True)
class Grouping:
    """Group codes of each table's rows for one way of breaking figures down.

    ``keys`` are the group labels (dept codes, street codes or item codes); a table whose
    codes are None is not broken down by this grouping (e.g. items by street).
    ``departments`` says whether department-level tables (disclosures, credit ratings),
    grouped by their ``dept_code`` directly, are broken down: only when keys are departments.
    """

    name: str
    keys: tuple[str, ...]
    apps: np.ndarray | None = None
    items: np.ndarray | None = None
    cases: np.ndarray | None = None
    departments: bool = False

    @property
    def size(self) -> int:
        return len(self.keys)

    def reducer(self, table: str) -> Reducer:
        return Reducer(getattr(self, table), self.size)
