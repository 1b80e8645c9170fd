"""The deck's figure sections: the headline figures with their change, the monthly trends
and the five dimension scores (charts from :mod:`charts`, values from :mod:`metrics`), and
:class:`DeckInputs`, what every section is built from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from charts.common import department_bars, dimension_bars, dimension_radar, trend_lines, trend_window_start
from charts.delta import delta_text, delta_tone
from metrics.config import MetricsConfig
from metrics.engine import MetricsEngine
from metrics.output import format_score, format_value
from metrics.periods import span_label
from metrics.results import MetricsRequest, MetricsResult, PeriodValues
from metrics.series import monthly_values, series_of
from metrics.tables import HEADLINE_INDICATORS, department_scores
from report.slides import DISTRICT, Chart, ChartSlide, Headline, HeadlineSlide, Slide


@dataclass(frozen=True)
class DeckInputs:
    """What every section of a deck is built from: the engine (a department's own records
    for its self-check report), the period's result and the district's engine."""

    engine: MetricsEngine
    config: MetricsConfig
    request: MetricsRequest
    result: MetricsResult
    dept: str | None
    dept_name: str
    district: MetricsEngine  # the engine of the district's published figures (trend lines)
    today: dt.date  # the day live work (ledger deadlines, tasks) is judged at (Asia/Shanghai)
    urgings: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (kind, item id) -> 催办次数
    year_ago: PeriodValues | None = None  # 同比 of ``request``, when the caller has it (else computed)
    view: Callable[..., Any] | None = None  # view(fn, *args) = fn(engine, *args), kept by the caller

    def on_engine(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(engine, *args)`` (a pure function of the deck's engine and hashable arguments):
        the caller's kept result when it gave :attr:`view`, else computed here."""
        return self.view(fn, *args) if self.view is not None else fn(self.engine, *args)

    def unit(self, ind: str) -> str:
        return self.config.indicator(ind).unit

    def fmt(self, ind: str, v: Any) -> str:
        return format_value(v, self.unit(ind))


def headlines(c: DeckInputs) -> Slide:
    """The headline figures with their change against 上期 (the calendar period before,
    indicators.md v1.1) and 同比 (the same period a year before), or against the district."""
    r = c.result
    ya = c.year_ago if c.year_ago is not None else c.engine.year_ago(c.request)
    cards = []
    for ind in HEADLINE_INDICATORS:
        cfg = c.config.indicator(ind)
        if c.dept:
            value, prev = r.value(ind, c.dept), r.previous_departments.get(c.dept, {}).get(ind)
            compare = f"全区 {c.fmt(ind, r.district.get(ind))}"
        else:
            value, prev = r.district.get(ind), r.previous_district.get(ind)
            compare = f"上期 {c.fmt(ind, prev)}"
        compare += f" · 同比 {delta_text(value, ya.value(ind, c.dept), cfg.unit) or '无可比数据'}"
        cards.append(Headline(ind, cfg.name, c.fmt(ind, value), delta_text(value, prev, cfg.unit),
                              # part of a period against a whole one is neither better nor worse
                              "neutral" if r.incomplete else delta_tone(value, prev, cfg.polarity, cfg.unit),
                              compare))
    pp, yp = r.previous_period, ya.period
    summary = [f"较上期（{span_label(pp.date_from, pp.date_to)}）、同比（{span_label(yp.date_from, yp.date_to)}）："
               + ("本期数据不完整，变化只比较了部分时段，不标注好坏。" if r.incomplete else "绿色为改善，红色为退步。")]
    if not r.scored:
        summary.append(f"所选时段晚于数据截至日 {r.data_end:%Y-%m-%d}，数据不完整：未评分、未列短板。")
    elif c.dept:
        sc = r.scores[c.dept]
        summary.append(f"综合得分 {format_score(sc.composite)}（扣分 {sc.deductions:.1f}）；"
                       f"全区综合得分 {format_score(c.engine.scores_of(r.district).composite)}。")
    else:
        summary.append(f"全区综合得分 {format_score(c.engine.scores_of(r.district).composite)}；"
                       f"本期短板 {len(r.weak_links)} 条。")
    return HeadlineSlide(title="核心指标", headlines=tuple(cards), summary=tuple(summary))


def _trend_from(c: DeckInputs) -> dt.date:
    req = c.request
    start = trend_window_start(req.date_from, req.date_to)
    first = c.engine.frames.applications["submitted_at"].min()
    if first is not None and not pd.isna(first):
        start = max(start, pd.Timestamp(first).date().replace(day=1))
    return min(start, req.date_from)


def trends(c: DeckInputs) -> list[Slide]:
    """The monthly trends of the headline figures, three charts a slide."""
    start, end = _trend_from(c), c.request.date_to
    # every month's values of every headline indicator in one pass per month (published
    # district line from the district engine; a department's own line from its own engine)
    # (a department's deck: the published district line, not its street's records of everyone)
    district_street = c.request.street if c.engine is c.district else None
    if c.engine is c.district:
        district = c.on_engine(monthly_values, HEADLINE_INDICATORS, start, end, district_street)
    else:
        district = monthly_values(c.district, HEADLINE_INDICATORS, start, end, district_street)
    own = None
    if c.dept:
        own = district if c.engine is c.district else c.on_engine(monthly_values, HEADLINE_INDICATORS, start, end,
                                                                  c.request.street)
    charts = []
    for ind in HEADLINE_INDICATORS:
        lines = {DISTRICT: series_of(district, ind)}
        if c.dept and own is not None:
            lines[c.dept_name] = series_of(own, ind, c.dept)
        fig = trend_lines(lines, unit=c.unit(ind), title=c.config.indicator(ind).name)
        charts.append(Chart(f"trend_{ind}", fig))
    note = (f"按月统计，{start:%Y年%m月} 至 {end:%Y年%m月}；每月为独立统计期间。",)
    return [
        ChartSlide(title=f"月度趋势（{i + 1}/2）", charts=tuple(charts[3 * i:3 * i + 3]), summary=note)
        for i in range(2)
    ]


def scores(c: DeckInputs) -> list[Slide]:
    """The five dimension scores: the department against the district, or the district and every department."""
    dims = [d.name for d in c.config.dimensions]
    district = c.engine.scores_of(c.result.district)
    if c.dept:
        sc = c.result.scores[c.dept]
        radar = dimension_radar(dims, {c.dept_name: [sc.dimensions.get(d) for d in dims],
                                       DISTRICT: [district.dimensions.get(d) for d in dims]},
                                title="维度得分与全区对比")
        bars = dimension_bars(dims, [sc.dimensions.get(d) for d in dims], title=f"{c.dept_name}维度得分",
                              compare=[district.dimensions.get(d) for d in dims])
        charts = (Chart("dims_radar", radar), Chart("dims_bars", bars, 1.2))
    else:
        table = department_scores(c.result, c.config)
        dept_fig = department_bars(table, "composite", unit="score", district=district.composite,
                                   title="各部门综合得分")
        charts = (Chart("dims_district", dimension_bars(dims, [district.dimensions.get(d) for d in dims],
                                                       title="全区维度得分"), 1.0),
                  Chart("dept_composite", dept_fig, 1.25))
    summary = ("得分 0–100，按各指标下限与目标值折算；综合得分为五个维度加权后减去扣分项（最多扣10分）。",)
    return [ChartSlide(title="五维效能评分", charts=charts, summary=summary)]
