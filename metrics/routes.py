"""审批途径 (approval routes): route shares, rejections, time-limit compression, materials.

``RULES`` declares each indicator once (see :mod:`metrics.rules`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.catalog import ROUTES
from metrics.grouping import Grouping, Measure
from metrics.populations import Scope, per_scope
from metrics.prepared import ROUTE, STATUS
from metrics.rules import Mask, Rule, evaluate, rule_map

INDICATORS = ROUTES


def submitted(scope: Scope) -> np.ndarray:
    """S: the applications submitted in the period."""
    return scope.submitted


def by_route(name: str) -> Mask:
    """The applications of route ``name``."""

    @per_scope
    def on_route(scope: Scope) -> np.ndarray:
        return scope.data.apps.route == ROUTE[name]

    on_route.__name__ = on_route.__qualname__ = f"route_{name}"
    return on_route


instant = by_route("即办件")
commitment = by_route("告知承诺")
tolerance = by_route("容缺受理")
parallel = by_route("并联审批")


@per_scope
def streamlined(scope: Scope) -> np.ndarray:
    """Any route but 承诺件."""
    return scope.data.apps.route != ROUTE["承诺件"]


@per_scope
def not_withdrawn(scope: Scope) -> np.ndarray:
    """S not 撤回 (the population of rejection_rate)."""
    return scope.submitted & (scope.data.apps.status != STATUS["撤回"])


@per_scope
def refused(scope: Scope) -> np.ndarray:
    """Status 不予受理, or a result 不予."""
    a = scope.data.apps
    return (a.status == STATUS["不予受理"]) | a.result_refused


@per_scope
def with_legal_limit(scope: Scope) -> np.ndarray:
    """Service items with a legal limit > 0."""
    return scope.data.items.legal > 0


@per_scope
def compression(scope: Scope) -> np.ndarray:
    """(legal − promised) / legal of each item (0 where there is no legal limit)."""
    items = scope.data.items
    has_legal = items.legal > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(has_legal, (items.legal - items.promised) / np.where(has_legal, items.legal, 1), 0.0)


@per_scope
def with_materials(scope: Scope) -> np.ndarray:
    return ~np.isnan(scope.data.items.materials)


def materials(scope: Scope) -> np.ndarray:
    return scope.data.items.materials


def _compression_column(rows: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    rows["compression"] = (rows["legal_limit_days"] - rows["promised_limit_days"]) / rows["legal_limit_days"]
    return rows


RULES: dict[str, Rule] = rule_map([
    Rule("instant_rate", "apps", "ratio", submitted, instant, behind="short"),
    Rule("commitment_rate", "apps", "ratio", submitted, commitment, behind="counted"),
    Rule("tolerance_rate", "apps", "ratio", submitted, tolerance, behind="counted"),
    Rule("parallel_rate", "apps", "ratio", submitted, parallel, behind="counted"),
    Rule("streamlined_rate", "apps", "ratio", submitted, streamlined, behind="short"),
    Rule("rejection_rate", "apps", "ratio", not_withdrawn, refused, behind="counted"),
    Rule("compression_rate", "items", "mean", with_legal_limit, values=compression, behind="population",
         sort="compression", ascending=True, annotate=_compression_column),
    Rule("avg_materials", "items", "mean", with_materials, values=materials, behind="population",
         sort="materials"),
])


def compute(scope: Scope, grouping: Grouping) -> dict[str, Measure]:
    return evaluate(RULES, scope, grouping)
