"""短板 (weak links): low or falling indicator scores, and cases that must not exist.

For each department and each scored indicator with a value: a score below 60 is
``低于60分`` (严重 below 40, else 一般); otherwise a fall of 15 points or more against the
previous period (上期: the calendar period before, indicators.md v1.1) is ``较上期下降N分`` (一般).  A positive unreported_count or
key_overdue_count is a 严重 weak link on 监管手段 (``应报未报`` / ``重点督办逾期``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from metrics.config import MetricsConfig
from metrics.results import DepartmentScore, MetricsRequest, WeakLink

SERIOUS = "严重"
ORDINARY = "一般"
CASE_LINKS = (("unreported_count", "应报未报"), ("key_overdue_count", "重点督办逾期"))


def round_half_up(x: float) -> int:
    """Round to a whole number, halves away from zero for positive drops (15.5 → 16)."""
    return math.floor(x + 0.5)


def department_weak_links(
    dept_code: str,
    values: Mapping[str, Any],
    score: DepartmentScore,
    previous_values: Mapping[str, Any],
    previous_score: DepartmentScore | None,
    district: Mapping[str, Any],
    config: MetricsConfig,
    request: MetricsRequest | None = None,
    dept_name: str = "",
) -> list[WeakLink]:
    """The weak links of one department, in dimension and indicator order, case links last."""
    rules = config.weak_links
    links: list[WeakLink] = []
    for dim in config.dimensions:
        for ind_id in dim.scored:
            s = score.indicators.get(ind_id)
            if s is None:
                continue
            prev = None if previous_score is None else previous_score.indicators.get(ind_id)
            if s < rules.low_score:
                reason = f"低于{rules.low_score:g}分"
                severity = SERIOUS if s < rules.severe_score else ORDINARY
            elif prev is not None and prev - s >= rules.drop:
                reason = f"较上期下降{round_half_up(prev - s)}分"
                severity = ORDINARY
            else:
                continue
            links.append(WeakLink(
                dept_code=dept_code, dimension=dim.name, indicator=ind_id, value=values.get(ind_id),
                score=s, district_value=district.get(ind_id), previous_value=previous_values.get(ind_id),
                reason=reason, severity=severity, dept_name=dept_name,
                indicator_name=config.indicators[ind_id].name, previous_score=prev, request=request,
            ))
    for ind_id, reason in CASE_LINKS:
        count = values.get(ind_id) or 0
        if count > 0:
            links.append(WeakLink(
                dept_code=dept_code, dimension=config.dimension_name(ind_id), indicator=ind_id, value=count,
                score=None, district_value=district.get(ind_id), previous_value=previous_values.get(ind_id),
                reason=reason, severity=SERIOUS, dept_name=dept_name,
                indicator_name=config.indicators[ind_id].name, previous_score=None, request=request,
            ))
    return links
