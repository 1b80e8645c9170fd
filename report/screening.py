"""The deck's 隐性壁垒筛查 slide: the period's signals (kind, department, item, both groups,
effect, q) as the dashboard's 隐性壁垒筛查 page lists them — the same screen
(:mod:`metrics.views.screening`) on the deck's engine, so a department's self-check report
lists only its own items' signals.  A signal is a lead to verify, and the slide says so."""

from __future__ import annotations

from metrics.output import format_value
from metrics.screening.model import Group, ScreeningRequest, Signal
from metrics.screening.output import UNIT
from metrics.screening_rules import ScreeningRules
from metrics.views import screening as sv
from report.pagination import table_slides
from report.sections import DeckInputs
from report.slides import DASH, Column, Slide

TITLE = "隐性壁垒筛查线索"


VALUE_FORM = {"nonlocal_time": "中位数{v}个工作日", "nonlocal_visits": "平均{v}次"}
"""How a group's value reads when it is not a share."""


def _group(kind: str, g: Group | None) -> str:
    if g is None:
        return DASH
    return f"{g.n}件 / {VALUE_FORM.get(kind, '{v}').format(v=format_value(g.value, UNIT[kind]))}"


def effect_text(s: Signal) -> str:
    """The gap 外地 − 本地 in the kind's unit, or the applications after the list took effect."""
    if s.kind in ("nonlocal_rejection", "nonlocal_suspension"):
        return f"{s.effect * 100:+.1f}个百分点"
    if s.kind == "nonlocal_time":
        return f"{s.effect:+.1f}个工作日"
    if s.kind == "nonlocal_visits":
        return f"{s.effect:+.2f}次"
    return f"{int(s.effect)}件申请"


def _q(s: Signal) -> str:
    return DASH if s.q_value is None else f"{s.q_value:.2g}"


def rows(signals: tuple[Signal, ...], rules: ScreeningRules) -> list[tuple[str, ...]]:
    return [(rules.kind_name(s.kind), s.dept_name, s.item_name, _group(s.kind, s.nonlocal_), _group(s.kind, s.local),
             effect_text(s), _q(s)) for s in signals]


def signals(c: DeckInputs) -> list[Slide]:
    """One slide (continued when long) listing the period's signals."""
    req = c.request
    result = sv.screen(c.engine, ScreeningRequest(req.date_from, req.date_to, req.as_of, c.dept))
    rules = sv.screener(c.engine).rules
    cols = [Column("类型", 2.4, max_lines=2), Column("责任单位", 1.9, max_lines=2), Column("事项", 3.0, max_lines=2),
            Column("外地主体", 2.0, "center", max_lines=2), Column("本地主体", 2.0, "center", max_lines=2), Column("差异", 1.5, "center"),
            Column("q值", 0.9, "center")]
    scope = "本部门" if c.dept else "全区"
    summary = (f"{scope}本期筛查线索 {len(result.signals)} 条（本地：统一社会信用代码区划码以 {result.local_prefix} 开头）。"
               "筛查线索为待核实线索，不是认定结论；差异为外地减本地，q为Benjamini–Hochberg校正后的p值。",)
    return table_slides(TITLE, cols, rows(result.signals, rules), None, summary, empty="本期未发现隐性壁垒筛查线索。")
