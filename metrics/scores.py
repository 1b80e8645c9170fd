"""效能评分: indicator scores, dimension scores, deductions and the composite.

``score = 100 × clip((value − floor) / (target − floor), 0, 1)`` per scored indicator; a
null value is left out and the weights of the others in its dimension rescaled to sum to 1;
a dimension with no scored value has no score (数据不足) and the composite is taken over the
dimensions that have one, likewise; then deductions (扣分项) are taken off, never below 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from metrics.config import MetricsConfig
from metrics.results import DepartmentScore


def weighted(pairs: list[tuple[float, float | None]]) -> float | None:
    """Weighted mean of the non-null values, weights rescaled to sum to 1 (None if none)."""
    kept = [(w, v) for w, v in pairs if v is not None]
    total = sum(w for w, _ in kept)
    if not kept or total <= 0:
        return None
    return sum(w * v for w, v in kept) / total


def deductions(unreported: int, key_overdue: int, config: MetricsConfig) -> float:
    """Points taken off the composite: per unreported case and per overdue key case, capped."""
    d = config.deductions
    return float(min(d.cap, d.per_unreported * unreported + d.per_key_overdue * key_overdue))


def score_department(dept_code: str, values: Mapping[str, Any], config: MetricsConfig) -> DepartmentScore:
    """The scores of one department from its indicator values."""
    indicator_scores: dict[str, float | None] = {}
    dimension_scores: dict[str, float | None] = {}
    for dim in config.dimensions:
        pairs: list[tuple[float, float | None]] = []
        for ind_id in dim.scored:
            ind = config.indicators[ind_id]
            s = ind.score(values.get(ind_id))
            indicator_scores[ind_id] = s
            pairs.append((ind.weight or 0.0, s))
        dimension_scores[dim.name] = weighted(pairs)
    base = weighted([(dim.weight, dimension_scores[dim.name]) for dim in config.dimensions])
    unreported = int(values.get("unreported_count") or 0)
    key_overdue = int(values.get("key_overdue_count") or 0)
    ded = deductions(unreported, key_overdue, config)
    composite = None if base is None else max(0.0, base - ded)
    return DepartmentScore(
        dept_code=dept_code,
        indicators=indicator_scores,
        dimensions=dimension_scores,
        deductions=ded,
        composite=composite,
        unreported_count=unreported,
        key_overdue_count=key_overdue,
    )
