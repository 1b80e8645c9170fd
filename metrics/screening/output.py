"""The screen's result as ``market-access screen`` prints it: JSON (screening.md) or a table."""

from __future__ import annotations

import json

from metrics.output import format_value, render_table
from metrics.screening.model import ScreeningResult
from metrics.screening_rules import TESTED_KINDS, ScreeningRules

UNIT = {
    "nonlocal_rejection": "ratio", "nonlocal_suspension": "ratio", "nonlocal_time": "days",
    "nonlocal_visits": "number", "lifted_still_approved": "count",
}
"""How each kind's values read (format_value units): shares, working days, visits, applications."""


def to_json(result: ScreeningResult, indent: int | None = 2) -> str:
    """Ratios are fractions, unrounded; missing values are null."""
    return json.dumps(result.to_json(), ensure_ascii=False, indent=indent, allow_nan=False)


def _p(value: float | None) -> str:
    return "—" if value is None else f"{value:.3g}"


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
            format_value(s.effect, effect_unit), _p(s.p_value), _p(s.q_value), str(s.records),
        ])
    headers = ["类型", "部门", "事项", "本地", "外地", "差异", "p值", "q值", "明细件数"]
    parts += ["", "【筛查线索】", render_table(headers, rows) if rows else "本期未发现筛查线索。"]
    return "\n".join(parts) + "\n"
