"""The screen's result as ``market-access screen`` prints it: JSON (screening.md) or a table."""

from __future__ import annotations

import json

from metrics.output import format_value, render_table
from metrics.screening.model import Group, ScreeningResult, Signal
from metrics.screening_rules import TESTED_KINDS, ScreeningRules

UNIT = {
    "nonlocal_rejection": "ratio", "nonlocal_suspension": "ratio", "nonlocal_time": "days",
    "nonlocal_visits": "number", "lifted_still_approved": "count",
}
"""How each kind's values read (format_value units): shares, working days, visits, applications."""

DASH = "—"
NO_VALUE = "无数据"
VALUE_FORM = {"nonlocal_time": "中位数{v}个工作日", "nonlocal_visits": "平均{v}次"}
"""How a group's value reads when it is not a share (a share reads as its percentage)."""


def value_text(kind: str, value: float | None) -> str:
    """A group's value as people read it: a share, a median in working days, a mean of visits."""
    if value is None:
        return NO_VALUE
    return VALUE_FORM.get(kind, "{v}").format(v=format_value(value, UNIT[kind]))


def group_text(kind: str, g: Group | None) -> str:
    """A group's size and value (``12件 / 33.3%``), or a dash when the signal has no such group."""
    return DASH if g is None else f"{g.n}件 / {value_text(kind, g.value)}"


def effect_text(s: Signal) -> str:
    """The gap 外地 − 本地 in the kind's unit, or the applications after the list took effect;
    written like the product's other changes (``+42.5个百分点``, see charts.delta)."""
    if s.kind in ("nonlocal_rejection", "nonlocal_suspension"):
        return f"{s.effect * 100:+.1f}个百分点"
    if s.kind == "nonlocal_time":
        return f"{s.effect:+.1f}个工作日"
    if s.kind == "nonlocal_visits":
        return f"{s.effect:+.2f}次"
    return f"{int(s.effect)}件申请"


def p_text(value: float | None, digits: int = 3) -> str:
    """A p or q value to ``digits`` significant digits, or a dash when it was not tested."""
    return DASH if value is None else f"{value:.{digits}g}"


def to_json(result: ScreeningResult, indent: int | None = 2) -> str:
    """Ratios are fractions, unrounded; missing values are null."""
    return json.dumps(result.to_json(), ensure_ascii=False, indent=indent, allow_nan=False)


def to_table(result: ScreeningResult, rules: ScreeningRules) -> str:
    """The signals as text, with the tested counts and the settings used."""
    p = result.period
    parts = [
        f"统计期间：{p.date_from.isoformat()} 至 {p.date_to.isoformat()}（统计时点 {p.as_of.isoformat()}）",
        f"本地范围：统一社会信用代码第3–8位以 {result.local_prefix} 开头；每组至少 {rules.min_group} 件，"
        f"q ≤ {rules.fdr:g}",
        "检验事项数：" + "，".join(f"{rules.kind_name(k)} {result.tested.get(k, 0)}" for k in TESTED_KINDS),
        "筛查结果为待核实线索，不是认定结论。",
    ]
    rows = []
    for s in result.signals:
        unit = UNIT[s.kind]
        effect_unit = "ratio" if unit == "ratio" else unit
        rows.append([
            rules.kind_name(s.kind), f"{s.dept_name}（{s.dept_code}）", f"{s.item_name}（{s.item_code}）",
            "—" if s.local is None else f"{s.local.n} 件 / {format_value(s.local.value, unit)}",
            "—" if s.nonlocal_ is None else f"{s.nonlocal_.n} 件 / {format_value(s.nonlocal_.value, unit)}",
            format_value(s.effect, effect_unit), p_text(s.p_value), p_text(s.q_value), str(s.records),
        ])
    headers = ["类型", "部门", "事项", "本地", "外地", "差异", "p值", "q值", "明细件数"]
    parts += ["", "【筛查线索】", render_table(headers, rows) if rows else "本期未发现筛查线索。"]
    return "\n".join(parts) + "\n"
