"""Where a drilled page is: the district, a department, one of its items, a stage (the
办事流程, 服务渠道 and 审批途径 pages), and the indicator values of that level."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dashboard.labels import t
from metrics.results import MetricsResult


@dataclass(frozen=True)
class Scope:
    """Where a page is drilled to: the district, a department, one of its items, a stage."""

    dept: str | None
    dept_name: str = ""
    item: str | None = None
    item_name: str = ""
    stage: str | None = None
    item_values: Mapping[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The most specific level's name (全区 when nothing is selected)."""
        return self.item_name or self.dept_name or t("common.district")

    def values(self, result: MetricsResult) -> Mapping[str, Any]:
        """The indicator values of this scope: the item's (as given), the department's or the district's."""
        if self.item:
            return self.item_values
        if self.dept:
            return result.departments.get(self.dept, {})
        return result.district

    def dept_values(self, result: MetricsResult) -> Mapping[str, Any]:
        """The department's indicator values (the district's when no department is chosen)."""
        return result.departments.get(self.dept, {}) if self.dept else result.district
