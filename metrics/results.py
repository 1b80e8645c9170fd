"""The engine's request and result types (frozen dataclasses, MetricFlow style).

A caller states what it wants in a :class:`MetricsRequest` and receives a
:class:`MetricsResult`: indicator values for the district and every department, scores,
weak links and the calendar note.  Values are plain Python: ``float`` for ratios, means and
quantiles (unrounded), ``int`` for counts, ``dict`` for ``stage_hours``, ``str`` for
``bottleneck_stage`` and ``None`` where there is no data (无数据, never 0).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

Value = Any  # float | int | str | dict[str, float | None] | None


class MetricsRequestError(ValueError):
    """A request the engine cannot answer; ``str(err)`` is a Chinese message."""


@dataclass(frozen=True)
class DatedRequest:
    """A period ``[date_from, date_to]`` judged at ``as_of`` (default ``date_to``): the part
    every engine request shares (indicators, screening).  Date-times are cut to dates; a
    period that ends before it starts is refused with a Chinese message."""

    date_from: dt.date
    date_to: dt.date
    as_of: dt.date | None = None

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to", "as_of"):
            v = getattr(self, name)
            if isinstance(v, dt.datetime):
                object.__setattr__(self, name, v.date())
        if self.date_from > self.date_to:
            raise MetricsRequestError(
                f"开始日期 {self.date_from.isoformat()} 晚于结束日期 {self.date_to.isoformat()}。"
            )

    @property
    def effective_as_of(self) -> dt.date:
        return self.as_of if self.as_of is not None else self.date_to


@dataclass(frozen=True)
class MetricsRequest(DatedRequest):
    """What to compute: the period ``[date_from, date_to]`` judged at ``as_of`` (default ``date_to``).

    ``dept`` restricts departments, scores and weak links to one department (the district
    stays whole).  ``street`` restricts applications and cases, for district and departments
    alike, to that street's ``street_code``.

    ``score_incomplete`` False: a period ending after the data (数据不完整, see
    :mod:`metrics.coverage`) gets its indicator values but no scores and no weak links; the
    dashboard asks so unless the user chooses 仍按不完整数据评分.  The default (True) scores
    every period, as ``market-access metrics`` prints it (indicators.md).
    """

    dept: str | None = None
    street: str | None = None
    score_incomplete: bool = True


@dataclass(frozen=True)
class Period:
    """A computed period: ``[date_from, date_to]`` judged at ``as_of``."""

    date_from: dt.date
    date_to: dt.date
    as_of: dt.date

    def to_json(self) -> dict[str, str]:
        return {"from": self.date_from.isoformat(), "to": self.date_to.isoformat(), "as_of": self.as_of.isoformat()}


@dataclass(frozen=True)
class DepartmentScore:
    """效能评分 of one department: per scored indicator, per dimension, deductions, composite.

    Scores are unrounded (0..100); a dimension without any scored value is None (数据不足),
    and so is the composite when no dimension has a score.
    """

    dept_code: str
    indicators: Mapping[str, float | None]  # scored indicator id -> score
    dimensions: Mapping[str, float | None]  # dimension Chinese name -> score, config order
    deductions: float
    composite: float | None
    unreported_count: int = 0
    key_overdue_count: int = 0


@dataclass(frozen=True)
class WeakLink:
    """A 短板: one department's indicator that scores low, fell, or a case count that must be 0.

    ``reason`` is 低于60分, 较上期下降N分, 应报未报 or 重点督办逾期; ``severity`` 严重 or 一般.
    Fetch the records behind it with :func:`metrics.records.link_records`; ``request`` is
    the request it came from (excluded from comparisons and JSON).
    """

    dept_code: str
    dimension: str  # Chinese dimension name
    indicator: str
    value: Value
    score: float | None
    district_value: Value
    previous_value: Value
    reason: str
    severity: str
    dept_name: str = ""
    indicator_name: str = ""
    previous_score: float | None = None
    request: MetricsRequest | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, Value]:
        return {
            "dept_code": self.dept_code,
            "dimension": self.dimension,
            "indicator": self.indicator,
            "value": self.value,
            "score": None if self.score is None else round(self.score, 1),
            "district_value": self.district_value,
            "previous_value": self.previous_value,
            "reason": self.reason,
            "severity": self.severity,
        }


@dataclass(frozen=True)
class PeriodValues:
    """The indicator values of one comparison period (e.g. 同比, the same period a year
    before): the district's and each department's, as in :class:`MetricsResult`."""

    period: Period
    district: Mapping[str, Value]
    departments: Mapping[str, Mapping[str, Value]]

    def value(self, indicator: str, dept: str | None = None) -> Value:
        if dept is None:
            return self.district.get(indicator)
        return self.departments.get(dept, {}).get(indicator)


@dataclass(frozen=True)
class MetricsResult:
    """Everything ``market-access metrics`` prints, plus the previous period for comparisons.

    ``departments`` and ``scores`` hold every department in the database (only
    ``request.dept`` when given), keyed by dept_code in code order; department dicts omit
    district-only indicators (nl_coverage).
    """

    request: MetricsRequest
    period: Period
    district: Mapping[str, Value]
    departments: Mapping[str, Mapping[str, Value]]
    scores: Mapping[str, DepartmentScore]
    weak_links: tuple[WeakLink, ...]
    previous_period: Period
    previous_district: Mapping[str, Value]
    previous_departments: Mapping[str, Mapping[str, Value]]
    previous_scores: Mapping[str, DepartmentScore]
    dept_names: Mapping[str, str]
    calendar_note: str | None = None
    data_end: dt.date | None = None  # 数据截至: the last day the data covers
    incomplete: bool = False  # the period ends after data_end (数据不完整)
    scored: bool = True  # False: an incomplete period left unscored (no scores, no weak links)

    def value(self, indicator: str, dept: str | None = None) -> Value:
        """A value of this period: the district's, or a department's."""
        if dept is None:
            return self.district.get(indicator)
        return self.departments.get(dept, {}).get(indicator)


def whole_request(request: MetricsRequest) -> MetricsRequest:
    """``request`` without its department: the one computation every department's result of
    the same period is narrowed from (:func:`narrowed`)."""
    return request if request.dept is None else replace(request, dept=None)


def narrowed(whole: MetricsResult, request: MetricsRequest) -> MetricsResult:
    """The result of ``request`` made from ``whole``, the result of
    :func:`whole_request` of it: the same values (a department filter selects, it never
    changes a value), with only ``request.dept``'s departments, scores and weak links.
    :meth:`metrics.engine.MetricsEngine.compute` answers a department's request this way, so
    a cache holding the district's result answers every department's without computing."""
    if request.dept is None:
        return whole
    code = request.dept
    return replace(
        whole,
        request=request,
        departments={code: whole.departments[code]},
        scores={code: whole.scores[code]},
        weak_links=tuple(replace(w, request=request) for w in whole.weak_links if w.dept_code == code),
        previous_departments={code: whole.previous_departments[code]},
        previous_scores={code: whole.previous_scores[code]},
    )


def narrowed_values(whole: PeriodValues, dept: str | None) -> PeriodValues:
    """:class:`PeriodValues` of every department narrowed to ``dept`` (None: unchanged), as
    :func:`narrowed` does for a result."""
    return whole if dept is None else replace(whole, departments={dept: whole.departments[dept]})
