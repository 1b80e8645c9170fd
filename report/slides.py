"""The joint meeting's deck as ONE slide model, built from the metrics results.

:func:`build_deck` turns a period (and optionally one department, for its self-check report)
into a :class:`Deck`: a tuple of frozen slide dataclasses — a cover, headline figures with
their change, charts (the dashboard's own Plotly figures), tables already paginated, and
messages.  The PowerPoint writer, the PDF writer and the dashboard's presentation mode all
render this same model, so the three show the same slides with the same numbers, and those
numbers are the pages' numbers: every value comes from :mod:`metrics` and is formatted with
:func:`metrics.output.format_value`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import department_bars, dimension_bars, dimension_radar, trend_lines
from metrics.config import MetricsConfig
from metrics.engine import MetricsEngine
from metrics.output import format_score, format_value
from metrics.periods import KINDS, period_containing
from metrics.results import MetricsRequest, MetricsResult
from metrics.series import monthly_values, series_of
from metrics.tables import HEADLINE_INDICATORS, department_scores, weak_link_table
from report import layout
from report import tasks as task_source
from report.cases import DONE, IN_PROGRESS, OVERDUE, key_case_ledger, report_candidates
from report.tasks import TasksSource, open_tasks

ISSUER = "江门高新区（江海区）发展和改革局"
MEETING = "市场准入负面清单制度贯彻落实部门联席会议"
DECK_TITLE = "市场准入效能评估情况汇报"
SELF_CHECK_TITLE = "市场准入效能部门自查报告"
DISTRICT = "全区"
NO_TASKS_DATA = "暂无整改任务数据"
NO_OPEN_TASKS = "当前没有未完成的整改任务。"
DASH = "—"

# ---------------------------------------------------------------- the model


@dataclass(frozen=True)
class Headline:
    """A headline figure: the value as people read it, its change and a comparison."""

    indicator: str
    name: str
    value: str
    delta: str | None  # "+1.2个百分点", "-0.5", "持平"; None when either value is missing
    tone: str  # good | bad | neutral: whether the change is an improvement
    compare: str  # "上期 93.1%" or "全区 93.1%"


def headline_delta(h: Headline) -> str:
    """The change line of a headline card."""
    return f"较上期 {h.delta}" if h.delta else "较上期 无可比数据"


@dataclass(frozen=True)
class Chart:
    """A dashboard figure to show on a slide; ``weight`` is its share of the slide's width."""

    key: str
    figure: go.Figure = field(compare=False, repr=False)
    weight: float = 1.0


@dataclass(frozen=True)
class Column:
    header: str
    weight: float
    align: str = "left"  # left | center | right
    max_lines: int = 1


@dataclass(frozen=True)
class Table:
    """A table (or one page of it): headers, rows of display text and per-cell tones."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # inches, summing to the body width
    tones: tuple[tuple[str, ...], ...] = ()  # same shape as rows: "" | good | bad

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def tone(self, row: int, col: int) -> str:
        return self.tones[row][col] if self.tones else ""

    def geometry(self) -> layout.TableGeometry:
        return layout.table_geometry(self.headers, self.rows, self.widths)


@dataclass(frozen=True, kw_only=True)
class Slide:
    title: str
    summary: tuple[str, ...] = ()  # short lines under the body (bullets)

    @property
    def kind(self) -> str:
        return type(self).__name__.removesuffix("Slide").lower()


@dataclass(frozen=True, kw_only=True)
class CoverSlide(Slide):
    subtitle: str
    period: str
    issuer: str
    date_line: str


@dataclass(frozen=True, kw_only=True)
class HeadlineSlide(Slide):
    headlines: tuple[Headline, ...]


@dataclass(frozen=True, kw_only=True)
class ChartSlide(Slide):
    charts: tuple[Chart, ...]


@dataclass(frozen=True, kw_only=True)
class TableSlide(Slide):
    table: Table
    page: int = 1
    pages: int = 1
    section: str = ""  # the title without the page counter


@dataclass(frozen=True, kw_only=True)
class MessageSlide(Slide):
    message: str


@dataclass(frozen=True)
class Deck:
    """The slides of one deck, and what it is about."""

    title: str
    subtitle: str
    period_label: str
    issuer: str
    request: MetricsRequest
    dept: str | None
    dept_name: str
    slides: tuple[Slide, ...]
    names: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)  # dept_code -> name

    def __len__(self) -> int:
        return len(self.slides)

    @property
    def footer(self) -> str:
        scope = self.dept_name if self.dept else DISTRICT
        return f"{self.issuer} · {self.period_label} · {scope}"

    @property
    def charts(self) -> tuple[Chart, ...]:
        return tuple(c for s in self.slides if isinstance(s, ChartSlide) for c in s.charts)

    def file_stem(self) -> str:
        scope = self.dept_name if self.dept else "联席会议"
        return f"市场准入效能评估_{scope}_{self.request.date_from:%Y%m%d}-{self.request.date_to:%Y%m%d}"


# ---------------------------------------------------------------- formatting


def period_label(date_from: dt.date, date_to: dt.date) -> str:
    """2026年第三季度 when the dates are a named period, else 2026-07-01 至 2026-08-15."""
    for kind in KINDS:
        p = period_containing(kind, date_from)
        if p.start == date_from and p.end == date_to:
            return p.label
    return f"{date_from:%Y-%m-%d} 至 {date_to:%Y-%m-%d}"


def delta_text(value: Any, previous: Any, unit: str) -> str | None:
    """The change from the previous value as the dashboard's figures write it."""
    if not _number(value) or not _number(previous):
        return None
    diff = float(value) - float(previous)
    if math.isclose(diff, 0.0, abs_tol=1e-12):
        return "持平"
    if unit == "ratio":
        text = f"{diff * 100:+.1f}"
        return "持平" if text in ("+0.0", "-0.0") else f"{text}个百分点"
    text = f"{diff:+.2f}".rstrip("0").rstrip(".")
    return "持平" if text in ("+0", "-0") else text


def delta_tone(value: Any, previous: Any, direction: str, unit: str = "") -> str:
    if not _number(value) or not _number(previous) or direction not in ("up", "down"):
        return "neutral"
    diff = float(value) - float(previous)
    if math.isclose(diff, 0.0, abs_tol=1e-12) or delta_text(value, previous, unit) == "持平":
        return "neutral"
    return "good" if (diff > 0) == (direction == "up") else "bad"


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and not (isinstance(v, float) and math.isnan(v))


def _date(v: Any) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return DASH
    return f"{pd.Timestamp(v):%Y-%m-%d}"


def _text(v: Any) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return DASH
    return " ".join(str(v).split())


def _missing(v: Any) -> bool:
    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))


def _score(v: Any) -> str:
    return DASH if _missing(v) else format_score(float(v))


def _insufficient(v: Any) -> str:
    """A score, or 数据不足 where there is none."""
    return format_score(None if _missing(v) else float(v))


def _change(v: Any) -> str:
    if _missing(v):
        return DASH
    text = f"{float(v):+.1f}"
    return "持平" if text in ("+0.0", "-0.0") else text


# ---------------------------------------------------------------- tables


def table_slides(title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]],
                 tones: Sequence[Sequence[str]] | None = None, summary: Sequence[str] = (),
                 empty: str = "") -> list[Slide]:
    """One or more table slides (a long table continues on the next slide, header repeated);
    a message slide saying ``empty`` when there are no rows."""
    if not rows:
        return [MessageSlide(title=title, message=empty or "无", summary=tuple(summary))]
    # a one-line column (dates, codes, figures) is widened to its longest cell, never cut
    minimums = [layout.one_line_width([r[j] for r in rows], layout.TABLE_PT) if c.max_lines == 1 else 0.0
                for j, c in enumerate(columns)]
    widths = layout.column_widths([c.weight for c in columns], minimums=minimums)
    fitted = [
        tuple(cell if col.max_lines == 1 else layout.fit_text(cell, layout.text_width(w), layout.TABLE_PT,
                                                                col.max_lines)
              for cell, w, col in zip(row, widths, columns, strict=True))
        for row in rows
    ]
    tone_rows = [tuple(r) for r in tones] if tones else [("",) * len(columns)] * len(rows)
    cols = tuple(columns)
    geo = Table(cols, tuple(fitted), widths).geometry()
    pages = layout.paginate(geo.row_heights, geo.header_height, layout.body_height(summary))
    out: list[Slide] = []
    for i, rng in enumerate(pages, start=1):
        suffix = f"（{i}/{len(pages)}）" if len(pages) > 1 else ""
        out.append(TableSlide(
            title=f"{title}{suffix}", section=title, page=i, pages=len(pages), summary=tuple(summary),
            table=Table(cols, tuple(fitted[j] for j in rng), widths, tuple(tone_rows[j] for j in rng)),
        ))
    return out


# ---------------------------------------------------------------- building


@dataclass
class _Ctx:
    engine: MetricsEngine
    config: MetricsConfig
    request: MetricsRequest
    result: MetricsResult
    dept: str | None
    dept_name: str
    district: MetricsEngine  # the engine of the district's published figures (trend lines)

    def unit(self, ind: str) -> str:
        return self.config.indicator(ind).unit

    def fmt(self, ind: str, v: Any) -> str:
        return format_value(v, self.unit(ind))


def _headlines(c: _Ctx) -> Slide:
    r = c.result
    cards = []
    for ind in HEADLINE_INDICATORS:
        cfg = c.config.indicator(ind)
        if c.dept:
            value, prev = r.value(ind, c.dept), r.previous_departments.get(c.dept, {}).get(ind)
            compare = f"全区 {c.fmt(ind, r.district.get(ind))}"
        else:
            value, prev = r.district.get(ind), r.previous_district.get(ind)
            compare = f"上期 {c.fmt(ind, prev)}"
        cards.append(Headline(ind, cfg.name, c.fmt(ind, value), delta_text(value, prev, cfg.unit),
                              delta_tone(value, prev, cfg.direction, cfg.unit), compare))
    pp = r.previous_period
    summary = [f"较上期：与 {pp.date_from:%Y-%m-%d} 至 {pp.date_to:%Y-%m-%d} 相比；绿色为改善，红色为退步。"]
    if c.dept:
        sc = r.scores[c.dept]
        summary.append(f"综合得分 {format_score(sc.composite)}（扣分 {sc.deductions:.1f}）；"
                       f"全区综合得分 {format_score(c.engine.scores_of(r.district).composite)}。")
    else:
        summary.append(f"全区综合得分 {format_score(c.engine.scores_of(r.district).composite)}；"
                       f"本期短板 {len(r.weak_links)} 条。")
    return HeadlineSlide(title="核心指标", headlines=tuple(cards), summary=tuple(summary))


def _trend_from(c: _Ctx) -> dt.date:
    req = c.request
    start = req.date_to.replace(year=req.date_to.year - 1, day=1) if (req.date_to - req.date_from).days < 330 \
        else req.date_from
    first = c.engine.frames.applications["submitted_at"].min()
    if first is not None and not pd.isna(first):
        start = max(start, pd.Timestamp(first).date().replace(day=1))
    return min(start, req.date_from)


def _trends(c: _Ctx) -> list[Slide]:
    start, end = _trend_from(c), c.request.date_to
    # every month's values of every headline indicator in one pass per month (published
    # district line from the district engine; a department's own line from its own engine)
    district = monthly_values(c.district, HEADLINE_INDICATORS, start, end, c.request.street)
    own = None
    if c.dept:
        own = district if c.engine is c.district else monthly_values(c.engine, HEADLINE_INDICATORS, start, end,
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


def _scores(c: _Ctx) -> list[Slide]:
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


def _scorecard(c: _Ctx) -> list[Slide]:
    dims = [d.name for d in c.config.dimensions]
    df = department_scores(c.result, c.config)
    cols = [Column("部门", 2.6, max_lines=2)] + [Column(d, 1.45 if len(d) > 4 else 1.05, "center") for d in dims]
    cols += [Column("扣分", 0.8, "center"), Column("综合得分", 1.15, "center"), Column("上期得分", 1.1, "center"),
             Column("较上期", 1.0, "center")]
    rows, tones = [], []
    low = c.config.weak_links.low_score
    for r in df.itertuples(index=False):
        d = r._asdict()
        vals = [d[x] for x in dims]
        change = d["composite_change"]
        rows.append((d["dept_name"], *[_insufficient(v) for v in vals], f"{d['deductions']:.1f}",
                     _insufficient(d["composite"]), _insufficient(d["previous_composite"]), _change(change)))
        tones.append(("", *["bad" if v is not None and not pd.isna(v) and v < low else "" for v in vals],
                      "bad" if d["deductions"] > 0 else "", "", "",
                      "" if change is None or pd.isna(change) else ("good" if change > 0 else "bad" if change < 0 else "")))
    summary = (f"红色：低于{low:g}分的维度得分、扣分项；“{format_score(None)}”表示无可计分指标。按部门编码排列，不排名。",)
    return table_slides("效能评分表", cols, rows, tones, summary)


def _weak_links(c: _Ctx) -> list[Slide]:
    links = weak_link_table(c.result)
    cols = [Column("部门", 2.3, max_lines=2), Column("维度", 1.4), Column("指标", 2.5, max_lines=2),
            Column("本期值", 1.1, "right"), Column("得分", 0.8, "right"), Column("全区值", 1.1, "right"),
            Column("上期值", 1.1, "right"), Column("原因", 1.6), Column("程度", 0.8, "center")]
    rows, tones = [], []
    for r in links.itertuples(index=False):
        unit = c.unit(r.indicator)
        rows.append((r.dept_name, r.dimension, r.indicator_name, format_value(r.value, unit), _score(r.score),
                     format_value(r.district_value, unit), format_value(r.previous_value, unit), r.reason,
                     r.severity))
        tones.append(("",) * 8 + ("bad" if r.severity == "严重" else "",))
    severe = int((links["severity"] == "严重").sum()) if len(links) else 0
    depts = links["dept_code"].nunique() if len(links) else 0
    scope = "本部门" if c.dept else "全区"
    summary = (f"{scope}本期短板 {len(links)} 条，其中严重 {severe} 条"
               + ("" if c.dept else f"，涉及 {depts} 个部门") + "。短板：得分低于60分，或较上期下降15分及以上，"
               "或存在应报未报、重点督办逾期案例。",)
    return table_slides("主要短板", cols, rows, tones, summary, empty="本期未发现短板。")


def _ledger(c: _Ctx) -> list[Slide]:
    df = key_case_ledger(c.engine, c.request, c.dept)
    cols = [Column("责任单位", 1.7, max_lines=2), Column("问题摘要", 3.0, max_lines=3),
            Column("整改任务", 3.0, max_lines=3), Column("责任人", 1.8, max_lines=2),
            Column("整改时限", 1.45, "center"), Column("进展", 2.1, "center", max_lines=2)]
    rows, tones = [], []
    for r in df.itertuples(index=False):
        days = None if pd.isna(r.days) else int(r.days)
        if r.progress == OVERDUE:
            progress = r.progress if days is None else f"逾期{-days}天未整改"
        elif r.progress == DONE:
            progress = f"{_date(r.rectified_date)}已整改"
        elif days is not None:
            progress = f"整改中，剩余{days}天"
        else:
            progress = IN_PROGRESS
        rows.append((r.dept_name, _text(r.summary), _text(r.rectify_tasks), _text(r.responsible_person),
                     _date(r.rectify_deadline), progress))
        tones.append(("",) * 5 + ("bad" if r.overdue else "good" if r.progress == DONE else "",))
    overdue = int(df["overdue"].sum()) if len(df) else 0
    summary = (f"重点督办案例 {len(df)} 件（截至 {c.request.effective_as_of:%Y-%m-%d} 已接收、本期前未办结），"
               f"其中逾期未整改 {overdue} 件。",)
    return table_slides("督查督办台账", cols, rows, tones, summary, empty="本期没有重点督办案例。")


def _candidates(c: _Ctx) -> list[Slide]:
    df = report_candidates(c.engine, c.request, c.dept)
    cols = [Column("线索编号", 1.6), Column("责任单位", 2.0, max_lines=2), Column("线索来源", 1.5, max_lines=2),
            Column("问题类别", 2.0, max_lines=2), Column("接收日期", 1.45, "center"),
            Column("问题摘要", 4.3, max_lines=3)]
    rows = [(_text(r.case_id), r.dept_name, _text(r.source), _text(r.category), _date(r.received_date),
             _text(r.summary)) for r in df.itertuples(index=False)]
    summary = (f"通报候选 {len(df)} 件：本期接收、核实属实、由其他渠道发现且责任单位未自行填报的案例。",)
    return table_slides("通报候选（应报未报案例）", cols, rows, None, summary, empty="本期没有应报未报案例。")


TASKS_TITLE = "整改任务（未完成及逾期）"


def task_slides(frame: pd.DataFrame | None, dept: str | None, names: Mapping[str, str]) -> list[Slide]:
    """The tasks slide(s) for a frame of open tasks (None: no tasks data at all)."""
    frame = open_tasks(frame, dept)
    if frame is None:
        return [MessageSlide(title=TASKS_TITLE, message=NO_TASKS_DATA)]
    cols = [Column("整改任务", 4.4, max_lines=3), Column("责任单位", 2.0, max_lines=2),
            Column("责任人", 1.7, max_lines=2), Column("完成时限", 1.45, "center"),
            Column("状态", 1.3, "center", max_lines=2), Column("是否逾期", 1.1, "center")]
    rows, tones = [], []
    for r in frame.itertuples(index=False):
        rows.append((_text(r.title), names.get(r.dept_code, _text(r.dept_code)), _text(r.responsible),
                     _date(r.deadline), _text(r.status), "逾期" if r.overdue else "否"))
        tones.append(("",) * 5 + ("bad" if r.overdue else "",))
    summary = (f"未完成整改任务 {len(frame)} 项，其中逾期 {int(frame['overdue'].sum())} 项。",)
    return table_slides(TASKS_TITLE, cols, rows, tones, summary, empty=NO_OPEN_TASKS)


def _tasks(c: _Ctx, source: TasksSource) -> list[Slide]:
    return task_slides(source(c.request, c.dept), c.dept, c.engine.data.dept_names)


def with_tasks(deck: Deck, frame: pd.DataFrame | None) -> Deck:
    """``deck`` with its tasks slide(s) rebuilt from ``frame`` (open tasks; None = no data)."""
    idx = [i for i, s in enumerate(deck.slides) if s.title.startswith(TASKS_TITLE)]
    if not idx:
        return deck
    new = task_slides(frame, deck.dept, deck.names)
    slides = (*deck.slides[:idx[0]], *new, *deck.slides[idx[-1] + 1:])
    return replace(deck, slides=slides)


APPENDIX_EXTRA = (
    ("综合得分", "各计分指标按“100 ×（数值 − 下限）÷（目标 − 下限）”折算为0–100分，维度内按权重加权，"
                "五个维度各占20%；再减去扣分项：每件应报未报案例、每件重点督办逾期未整改案例各扣2分，最多扣10分。", "↑ 越高越好"),
    ("短板", "某部门某计分指标得分低于60分（低于40分为严重），或较上期下降15分及以上；"
            "存在应报未报或重点督办逾期案例的，亦列为监管手段短板（严重）。", "—"),
)


def _appendix(c: _Ctx) -> list[Slide]:
    arrow = {"up": "↑ 越高越好", "down": "↓ 越低越好"}
    rows = []
    for ind in (*HEADLINE_INDICATORS, "key_overdue_count", "unreported_count"):
        cfg = c.config.indicator(ind)
        rows.append((cfg.name, cfg.definition, arrow.get(cfg.direction, "· 仅展示，不计分")))
    rows.extend(APPENDIX_EXTRA)
    cols = [Column("指标", 3.1, max_lines=2), Column("口径", 7.5, max_lines=4),
            Column("方向", 1.7, "center", max_lines=2)]
    summary = ("口径与看板各页面“口径说明”一致（指标口径字典 v1）。",)
    return table_slides("附录：核心指标口径", cols, rows, None, summary)


def _cover(c: _Ctx, label: str) -> Slide:
    req = c.request
    period = f"{label}（{req.date_from:%Y-%m-%d} 至 {req.date_to:%Y-%m-%d}）"
    date_line = f"评估基准日 {req.effective_as_of:%Y-%m-%d}"
    if req.street:
        date_line += f" · 街道：{c.engine.data.dept_names.get(req.street, req.street)}"
    if c.dept:
        return CoverSlide(title=SELF_CHECK_TITLE, subtitle=c.dept_name, period=period,
                          issuer=f"{ISSUER}\n{MEETING}", date_line=date_line)
    return CoverSlide(title=DECK_TITLE, subtitle=MEETING, period=period, issuer=ISSUER, date_line=date_line)


def build_deck(engine: MetricsEngine, request: MetricsRequest, dept: str | None = None,
               tasks: TasksSource | None = None, result: MetricsResult | None = None,
               district_engine: MetricsEngine | None = None) -> Deck:
    """The deck for ``request``'s period: the district's, or ``dept``'s self-check report.

    ``tasks`` supplies the open rectification tasks (see :mod:`report.tasks`); by default
    :data:`report.tasks.DEFAULT_SOURCE`.  ``result`` is the period's computed result when
    the caller has it already — e.g. a department's, with the district's published figures
    (:func:`metrics.access.with_published_district`), when ``engine`` holds only that
    department's records.  Raises :class:`metrics.results.MetricsRequestError` (a Chinese
    message) for an unknown department.  ``district_engine`` draws the district's trend lines
    when ``engine`` is restricted to one department (published aggregates only).
    """
    dept = dept if dept is not None else request.dept
    req = MetricsRequest(request.date_from, request.date_to, request.as_of, dept, request.street)
    if result is None or result.request != req:
        result = engine.compute(req)
    name = engine.data.dept_names.get(dept, dept) if dept else DISTRICT
    c = _Ctx(engine, engine.config, req, result, dept, name, district_engine or engine)
    label = period_label(req.date_from, req.date_to)
    slides: list[Slide] = [_cover(c, label), _headlines(c), *_trends(c), *_scores(c)]
    if not dept:
        slides += _scorecard(c)
    slides += [*_weak_links(c), *_ledger(c), *_candidates(c), *_tasks(c, tasks or task_source.DEFAULT_SOURCE), *_appendix(c)]
    cover = slides[0]
    assert isinstance(cover, CoverSlide)
    return Deck(title=cover.title, subtitle=cover.subtitle, period_label=label, issuer=ISSUER, request=req,
                dept=dept, dept_name=name, slides=tuple(slides), names=dict(engine.data.dept_names))
