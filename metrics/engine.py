"""The engine facade: ``MetricsEngine(frames, config).compute(MetricsRequest(...))``.

The engine derives per-record columns once (:mod:`metrics.prepared`), then answers each
request with a few vectorised passes: every indicator family computes the district and all
departments at once through a :class:`~metrics.grouping.Grouping`, for the period and for
its previous period (上期, indicators.md v1.1); scores and weak links follow per department.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from data.frames import Frames
from metrics import coverage
from metrics.calendar import calendar_note
from metrics.catalog import ALL_INDICATORS, APPLICATION_BASED, DISTRICT_ONLY
from metrics.config import MetricsConfig, load_config
from metrics.families import FAMILIES
from metrics.grouping import Grouping, Measure, codes_for
from metrics.populations import Scope, Window, window_of
from metrics.prepared import Prepared, prepare
from metrics.results import (
    DepartmentScore,
    MetricsRequest,
    MetricsRequestError,
    MetricsResult,
    Period,
    PeriodValues,
    Value,
    WeakLink,
    narrowed,
    narrowed_values,
    whole_request,
)
from metrics.rows import application_rows, case_rows
from metrics.scores import score_department
from metrics.weak_links import department_weak_links

MONTHS_KEPT = 1024
"""Month results an engine keeps (:meth:`MetricsEngine.month_measures`): a few KB each."""


def period_of(window: Window) -> Period:
    return Period(window.date_from, window.date_to, window.as_of)


class MetricsEngine:
    """Computes indicators, scores and weak links over one set of :class:`Frames`.

    Create it once per loaded data set (derivation costs about as much as one compute) and
    call :meth:`compute` for as many periods as needed.  ``config`` defaults to the project's
    ``metrics/indicators.toml``.
    """

    def __init__(self, frames: Frames, config: MetricsConfig | None = None, *,
                 data_end: dt.date | None = None) -> None:
        self.frames = frames
        self.config = config if config is not None else load_config()
        # 数据截至 (a department's engine is given the whole data's end: its periods are
        # complete or not as the district's are)
        self.data_end = data_end if data_end is not None else coverage.data_end(frames)
        self.data: Prepared = prepare(frames)
        _ = self.department_grouping  # derive the department codes now, not in the first compute
        self._months = lru_cache(maxsize=MONTHS_KEPT)(self._month_measures)

    # ------------------------------------------------------------------ groupings

    @cached_property
    def department_grouping(self) -> Grouping:
        d = self.data
        keys = d.dept_keys
        return Grouping(
            "dept", keys,
            apps=codes_for(d.apps.dept, keys),
            items=codes_for(d.items.dept, keys),
            cases=codes_for(d.cases.frame["dept_code"], keys),
            departments=True,
        )

    @cached_property
    def street_grouping(self) -> Grouping:
        d = self.data
        keys = d.street_keys
        return Grouping(
            "street", keys,
            apps=codes_for(d.apps.frame["street_code"], keys),
            cases=codes_for(d.cases.frame["street_code"], keys),
        )

    @cached_property
    def district_grouping(self) -> Grouping:
        """No breakdown: district values only."""
        return Grouping("district", ())

    def item_grouping(self, dept: str | None = None) -> Grouping:
        """Applications by item (of one department's applications when ``dept`` is given)."""
        d = self.data
        items = d.items.frame
        if dept is not None:
            items = items[(items["dept_code"] == dept).fillna(False)]
        keys = tuple(str(k) for k in items["item_code"].tolist())
        codes = codes_for(d.apps.frame["item_code"], keys)
        if dept is not None:
            codes[(d.apps.dept != dept).fillna(True).to_numpy(dtype=bool)] = len(keys)
        return Grouping("item", keys, apps=codes)

    # ------------------------------------------------------------------ records

    def record_rows(self, scope: Scope, table: str, mask: np.ndarray) -> pd.DataFrame:
        """The drill-down rows of ``mask`` in ``table`` (``apps`` or ``cases``), in table order:
        the stored columns and the derived ones of :mod:`metrics.rows`."""
        return application_rows(scope, mask) if table == "apps" else case_rows(scope, mask)

    # ------------------------------------------------------------------ core

    def check(self, request: MetricsRequest) -> None:
        """Reject a request naming an unknown department or street (Chinese message)."""
        if request.dept is not None and request.dept not in self.data.dept_names:
            raise MetricsRequestError(f"部门编码 {request.dept} 不存在。")
        if request.street is not None and request.street not in self.data.dept_names:
            raise MetricsRequestError(f"街道编码 {request.street} 不存在。")

    def measures(
        self,
        window: Window,
        grouping: Grouping,
        street: str | None = None,
        indicators: Iterable[str] | None = None,
    ) -> dict[str, Measure]:
        """Measures of the families needed for ``indicators`` (all by default) in one window."""
        scope = Scope(self.data, window, street)
        wanted = set(ALL_INDICATORS if indicators is None else indicators)
        out: dict[str, Measure] = {}
        for family in FAMILIES:
            if wanted & set(family.INDICATORS):
                out.update(family.compute(scope, grouping))
        return {k: v for k, v in out.items() if k in wanted}

    def month_measures(self, first: dt.date, last: dt.date, street: str | None,
                       indicators: tuple[str, ...]) -> dict[str, Measure]:
        """:meth:`measures` of one month ``[first, last]`` judged at ``last``, for the district
        and every department.  Kept per engine (which never changes its data): trend windows
        that move by a month share all their other months.  Do not modify the result."""
        return self._months(first, last, street, indicators)  # type: ignore[no-any-return]

    def _month_measures(self, first: dt.date, last: dt.date, street: str | None,
                        indicators: tuple[str, ...]) -> dict[str, Measure]:
        return self.measures(Window(first, last, last), self.department_grouping, street, indicators)

    @staticmethod
    def tables(
        measures: Mapping[str, Measure], grouping: Grouping, indicators: Iterable[str] = ALL_INDICATORS
    ) -> tuple[dict[str, Value], dict[str, dict[str, Value]]]:
        """(district values, {group key: values}) in indicator order; groups omit district-only ones."""
        order = [i for i in indicators if i in measures]
        district = {i: measures[i].district for i in order}
        per_group: dict[str, dict[str, Value]] = {}
        for pos, key in enumerate(grouping.keys):
            per_group[key] = {
                i: measures[i].groups[pos]  # type: ignore[index]
                for i in order
                if i not in DISTRICT_ONLY and measures[i].groups is not None
            }
        return district, per_group

    def values(
        self, request: MetricsRequest, window: Window | None = None
    ) -> tuple[dict[str, Value], dict[str, dict[str, Value]]]:
        """District values and the values of every department, for the request's period."""
        self.check(request)
        g = self.department_grouping
        return self.tables(self.measures(window or window_of(request), g, request.street), g)

    def compute(self, request: MetricsRequest) -> MetricsResult:
        """Indicators, scores and weak links for the request (and its previous period).  A
        department's request is the district's result narrowed to it (:func:`narrowed`)."""
        self.check(request)
        if request.dept is not None:
            return narrowed(self.compute(whole_request(request)), request)
        window = window_of(request)
        prev_window = window.previous()
        district, depts = self.values(request, window)
        prev_district, prev_depts = self.values(request, prev_window)
        config = self.config
        incomplete = self.data_end is not None and window.date_to > self.data_end
        scored = request.score_incomplete or not incomplete
        scores = {k: score_department(k, v, config) if scored else unscored(k, config) for k, v in depts.items()}
        prev_scores = {k: score_department(k, v, config) for k, v in prev_depts.items()}

        links: list[WeakLink] = []
        for code in depts if scored else ():
            links.extend(department_weak_links(
                code, depts[code], scores[code], prev_depts.get(code, {}), prev_scores.get(code),
                district, config, request=request, dept_name=self.data.dept_names.get(code, ""),
            ))
        first = min(prev_window.date_from, window.as_of)
        last = max(window.date_to, window.as_of)
        return MetricsResult(
            request=request,
            period=period_of(window),
            district=district,
            departments=depts,
            scores=scores,
            weak_links=tuple(links),
            previous_period=period_of(prev_window),
            previous_district=prev_district,
            previous_departments=prev_depts,
            previous_scores=prev_scores,
            dept_names=dict(self.data.dept_names),
            calendar_note=calendar_note(first, last),
            data_end=self.data_end,
            incomplete=incomplete,
            scored=scored,
        )

    def year_ago(self, request: MetricsRequest) -> PeriodValues:
        """同比: the values of the same period one calendar year before the request's, judged
        at that period's last day (indicators.md, "Same period last year")."""
        self.check(request)
        window = window_of(request).year_ago()
        district, depts = self.values(request, window)
        return narrowed_values(PeriodValues(period_of(window), district, depts), request.dept)

    # ------------------------------------------------------------------ breakdowns

    def street_values(self, request: MetricsRequest) -> dict[str, dict[str, Value]]:
        """The application-based indicators per street (departments of type 街道), by street_code."""
        self.check(request)
        g = self.street_grouping
        m = self.measures(window_of(request), g, request.street, APPLICATION_BASED)
        return self.tables(m, g, APPLICATION_BASED)[1]

    def scores_of(self, values: Mapping[str, Value], dept_code: str = "") -> DepartmentScore:
        """Scores of any set of values (e.g. the district's, for a benchmark line)."""
        return score_department(dept_code, values, self.config)


def unscored(dept_code: str, config: MetricsConfig) -> DepartmentScore:
    """The score of a department in a period left unscored (数据不完整): every score None."""
    return DepartmentScore(dept_code, dict.fromkeys(config.scored_indicators), dict.fromkeys(
        d.name for d in config.dimensions), 0.0, None)


def compute(frames: Frames, request: MetricsRequest, config: MetricsConfig | None = None) -> MetricsResult:
    """One-shot convenience: a fresh engine over ``frames`` computing ``request``."""
    return MetricsEngine(frames, config).compute(request)


def indicator_names(config: MetricsConfig) -> dict[str, str]:
    return {i: ind.name for i, ind in config.indicators.items()}


__all__ = ["MetricsEngine", "compute", "indicator_names", "window_of"]


