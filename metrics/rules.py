"""An indicator's rule, declared once: the records it is computed over and how.

Each family module (:mod:`metrics.process`, :mod:`metrics.channels`, :mod:`metrics.routes`,
:mod:`metrics.supervision`, :mod:`metrics.publicity`) exports ``RULES``, one :class:`Rule`
per indicator of ``indicators.md``: the table, the population mask (the denominator of a
ratio, the counted set of a count, the rows a mean or quantile is taken over), the
qualifying mask (the numerator of a ratio), the per-record values, and which records are
"behind" the figure.  The family's ``compute`` (through :func:`evaluate`), the drill-down
(:mod:`metrics.records`), the page views and the per-item tables all read these masks; none
writes a population or a numerator again.

Masks are functions of a :class:`~metrics.populations.Scope` (a period, its as_of and an
optional street); wrapped in :func:`~metrics.populations.per_scope` they are computed once
per scope and shared, so that, e.g., the reducer counts S once for every ratio over S.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from metrics.grouping import Grouping, Measure
from metrics.populations import Scope

Table = Literal["apps", "items", "cases", "ratings", "disclosures", "negative_list"]
Kind = Literal["ratio", "count", "mean", "quantile", "saved_share", "stage_medians", "bottleneck",
               "channel_share", "distinct_share"]
Behind = Literal["short", "counted", "population"]
Mask = Callable[[Scope], np.ndarray]
Values = Callable[[Scope], np.ndarray]

GENERIC_KINDS: frozenset[str] = frozenset({"ratio", "count", "mean", "quantile", "saved_share"})
"""Kinds :func:`evaluate` reduces itself; the family computes the others from the same masks."""


@dataclass(frozen=True)
class Rule:
    """One indicator's definition as masks over one table.

    ``kind``:
      - ``ratio``: |population ∩ qualifying| / |population|;
      - ``count``: |population| (the counted set; ``qualifying`` is None);
      - ``mean`` / ``quantile``: of ``values`` over the population (``quantile`` = q, with
        ``order`` a precomputed argsort of the values);
      - ``saved_share``: 1 − Σ values / Σ limits over the population (speedup_rate);
      - ``stage_medians`` / ``bottleneck``: median hours per stage over the population rows
        whose stage has both timestamps, and the stage with the largest median;
      - ``channel_share``: distinct channels of the qualifying rows ÷ the channels there are;
      - ``distinct_share``: distinct codes of the qualifying rows ÷ those of the population.

    ``behind`` says which records :func:`metrics.records.records_behind` lists: ``short``
    (population rows not qualifying: what falls short of an ↑ ratio), ``counted`` (the rows
    in the numerator, or the counted set), ``population`` (all of it, e.g. for a mean);
    ``sort`` is the column they are listed by (a callable picks it from the rows), worst
    first (descending unless ``ascending``); ``annotate`` adds the column it sorts by.
    ``dept_population`` is the population of one department where it is not the district's
    restricted to the department (credit ratings: each entity's latest rating *by that
    department*).
    """

    indicator: str
    table: Table
    kind: Kind
    population: Mask
    qualifying: Mask | None = None
    values: Values | None = None
    limits: Values | None = None
    quantile: float | None = None
    order: Values | None = None
    behind: Behind = "counted"
    sort: str | Callable[[pd.DataFrame], str | None] | None = None
    ascending: bool = False
    annotate: Callable[[pd.DataFrame, Scope], pd.DataFrame] | None = None
    dept_population: Mask | None = None

    def numerator(self, scope: Scope) -> np.ndarray:
        """The population rows that qualify (the population itself when nothing is asked)."""
        pop = self.population(scope)
        return pop if self.qualifying is None else pop & self.qualifying(scope)

    def behind_mask(self, scope: Scope, population: np.ndarray | None = None) -> np.ndarray:
        """The rows listed as the records behind the figure (see the class docstring)."""
        pop = self.population(scope) if population is None else population
        if self.behind == "population" or self.qualifying is None:
            return pop
        if self.behind == "short":
            return pop & ~self.qualifying(scope)
        return pop & self.qualifying(scope)


def rule_map(rules: Iterable[Rule]) -> dict[str, Rule]:
    """Rules by indicator id (each id once)."""
    out: dict[str, Rule] = {}
    for rule in rules:
        if rule.indicator in out:
            raise ValueError(f"indicator {rule.indicator!r} has two rules")
        out[rule.indicator] = rule
    return out


def evaluate(rules: Mapping[str, Rule], scope: Scope, grouping: Grouping) -> dict[str, Measure]:
    """The measures of the rules of a generic kind, district and every group, one pass each.

    Quantiles of the same values over the same population (median and p90) share one sort.
    """
    out: dict[str, Measure] = {}
    batches: dict[tuple[int, int], list[Rule]] = {}
    for rule in rules.values():
        if rule.kind not in GENERIC_KINDS:
            continue
        r = scope.reducer(grouping, rule.table)
        pop = rule.population(scope)
        if rule.kind == "ratio":
            assert rule.qualifying is not None
            out[rule.indicator] = r.ratio(rule.qualifying(scope), pop)
        elif rule.kind == "count":
            out[rule.indicator] = r.count(pop)
        elif rule.kind == "mean":
            assert rule.values is not None
            out[rule.indicator] = r.mean(rule.values(scope), pop)
        elif rule.kind == "saved_share":
            assert rule.values is not None and rule.limits is not None
            used = r.sum_ratio(rule.values(scope), rule.limits(scope), pop)
            out[rule.indicator] = Measure(
                None if used.district is None else 1.0 - used.district,
                None if used.groups is None else [None if u is None else 1.0 - u for u in used.groups],
            )
        else:
            batches.setdefault((id(rule.values), id(rule.population)), []).append(rule)
    for batch in batches.values():
        first = batch[0]
        assert first.values is not None
        r = scope.reducer(grouping, first.table)
        qs = tuple(float(rule.quantile) for rule in batch)  # type: ignore[arg-type]
        order = first.order(scope) if first.order is not None else None
        measures = r.quantiles(first.values(scope), first.population(scope), qs, order=order)
        out.update({rule.indicator: m for rule, m in zip(batch, measures, strict=True)})
    return out


__all__ = ["GENERIC_KINDS", "Behind", "Kind", "Mask", "Rule", "Table", "evaluate", "rule_map"]
