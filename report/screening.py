"""The deck's 隐性壁垒筛查 slide: the period's signals (kind, department, item, both groups,
effect, q) as the dashboard's 隐性壁垒筛查 page lists them — the same screen
(:mod:`metrics.views.screening`) on the deck's engine, so a department's self-check report
lists only its own items' signals.  A signal is a lead to verify, and the slide says so."""

from __future__ import annotations

from metrics.screening.model import ScreeningRequest, Signal
from metrics.screening.output import effect_text, group_text, p_text
from metrics.screening_rules import ScreeningRules
from metrics.views import screening as sv
from report.pagination import table_slides
from report.sections import DeckInputs
from report.slides import Column, Slide

TITLE = "隐性壁垒筛查线索"


def rows(signals: tuple[Signal, ...], rules: ScreeningRules) -> list[tuple[str, ...]]:
    return [(rules.kind_name(s.kind), s.dept_name, s.item_name, group_text(s.kind, s.nonlocal_),
             group_text(s.kind, s.local), effect_text(s), p_text(s.q_value, 2)) for s in signals]


def signals(c: DeckInputs) -> list[Slide]:
    """One slide (continued when long) listing the period's signals."""
    req = c.request
    result = c.on_engine(sv.screen, ScreeningRequest(req.date_from, req.date_to, req.as_of, c.dept))
    rules = sv.screener(c.engine).rules
    cols = [Column("类型", 2.4, max_lines=2), Column("责任单位", 1.9, max_lines=2), Column("事项", 3.0, max_lines=2),
            Column("外地主体", 2.0, "center", max_lines=2), Column("本地主体", 2.0, "center", max_lines=2), Column("差异", 1.5, "center"),
            Column("q值", 0.9, "center")]
    scope = "本部门" if c.dept else "全区"
    summary = (f"{scope}本期筛查线索 {len(result.signals)} 条（本地：统一社会信用代码区划码以 {result.local_prefix} 开头）。"
               "筛查线索为待核实线索，不是认定结论；差异为外地减本地，q为Benjamini–Hochberg校正后的p值。",)
    return table_slides(TITLE, cols, rows(result.signals, rules), None, summary, empty="本期未发现隐性壁垒筛查线索。")
