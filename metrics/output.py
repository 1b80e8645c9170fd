"""Rendering a :class:`~metrics.results.MetricsResult`: the JSON of indicators.md and a text table.

JSON: ratios unrounded fractions, counts integers, missing values ``null``; scores shown to
one decimal.  The table is for people at a terminal: percentages, 无数据 for nulls, Chinese
headers aligned by display width.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from metrics.catalog import ALL_INDICATORS, STAGES
from metrics.config import MetricsConfig
from metrics.results import DepartmentScore, MetricsResult

NO_DATA = "无数据"
INSUFFICIENT = "数据不足"


def round_score(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def _clean(value: Any) -> Any:
    """JSON-safe: NaN never leaks out (it would be invalid JSON); numpy scalars become Python."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return None if math.isnan(value) else float(value)
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def scores_json(score: DepartmentScore) -> dict[str, float | None]:
    out: dict[str, float | None] = {name: round_score(v) for name, v in score.dimensions.items()}
    out["deductions"] = float(score.deductions)
    out["composite"] = round_score(score.composite)
    return out


def to_json_dict(result: MetricsResult) -> dict[str, Any]:
    """The object ``market-access metrics --format json`` prints (shape of indicators.md)."""
    return {
        "period": result.period.to_json(),
        "district": _clean(dict(result.district)),
        "departments": {k: _clean(dict(v)) for k, v in result.departments.items()},
        "scores": {k: scores_json(v) for k, v in result.scores.items()},
        "weak_links": [_clean(link.to_json()) for link in result.weak_links],
    }


def to_json(result: MetricsResult, indent: int | None = 2) -> str:
    return json.dumps(to_json_dict(result), ensure_ascii=False, indent=indent, allow_nan=False)


# ---------------------------------------------------------------------- text table


def format_value(value: Any, unit: str) -> str:
    """A value for people: ratios as percentages, counts whole, 无数据 for null."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA
    if isinstance(value, dict):
        return " / ".join(f"{s} {format_value(value.get(s), 'hours')}" for s in STAGES)
    if isinstance(value, str):
        return value
    if unit == "ratio":
        return f"{100 * float(value):.1f}%"
    if unit == "count":
        return str(int(value))
    return f"{float(value):.2f}".rstrip("0").rstrip(".") if not float(value).is_integer() else f"{float(value):.0f}"


def format_score(x: float | None) -> str:
    return INSUFFICIENT if x is None else f"{x:.1f}"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain text table aligned by display width (CJK characters count double)."""
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(r) for r in rows)
    return "\n".join(out)


def to_table(result: MetricsResult, config: MetricsConfig) -> str:
    """The result as text: indicators (district, and the department when one is asked for),
    scores of every department, weak links."""
    p = result.period
    parts = [f"统计期间：{p.date_from.isoformat()} 至 {p.date_to.isoformat()}（统计时点 {p.as_of.isoformat()}）"]
    if result.calendar_note:
        parts.append(f"说明：{result.calendar_note}")

    single = list(result.departments) if len(result.departments) == 1 else []
    headers = ["维度", "指标", "全区", *[f"{result.dept_names.get(d, d)}（{d}）" for d in single]]
    rows = []
    for ind_id in ALL_INDICATORS:
        ind = config.indicators[ind_id]
        cells = [config.dimension(ind.dimension).name, ind.name, format_value(result.district.get(ind_id), ind.unit)]
        for d in single:
            cells.append("—" if ind.district_only else format_value(result.departments[d].get(ind_id), ind.unit))
        rows.append(cells)
    parts += ["", "【指标】", render_table(headers, rows)]

    dim_names = [d.name for d in config.dimensions]
    score_rows = []
    for code, score in result.scores.items():
        score_rows.append([
            code, result.dept_names.get(code, code),
            *[format_score(score.dimensions.get(n)) for n in dim_names],
            f"{score.deductions:.1f}", format_score(score.composite),
        ])
    parts += ["", "【效能评分】", render_table(["部门编码", "部门名称", *dim_names, "扣分", "综合得分"], score_rows)]

    link_rows = []
    for link in result.weak_links:
        unit = config.indicators[link.indicator].unit
        link_rows.append([
            link.dept_code, result.dept_names.get(link.dept_code, link.dept_code), link.dimension,
            config.indicators[link.indicator].name, format_value(link.value, unit),
            "—" if link.score is None else format_score(link.score),
            format_value(link.district_value, unit), format_value(link.previous_value, unit),
            link.reason, link.severity,
        ])
    parts += ["", "【短板】"]
    if link_rows:
        parts.append(render_table(
            ["部门编码", "部门名称", "维度", "指标", "本期值", "得分", "全区值", "上期值", "原因", "程度"], link_rows
        ))
    else:
        parts.append("无")
    return "\n".join(parts) + "\n"


def indicator_catalogue(config: MetricsConfig) -> list[Mapping[str, Any]]:
    """Every indicator with its 口径, for pages and exports (口径说明)."""
    return [
        {
            "id": i.id, "name": i.name, "dimension": config.dimension(i.dimension).name, "unit": i.unit,
            "direction": i.direction, "definition": i.definition, "definition_en": i.definition_en,
            "floor": i.floor, "target": i.target, "weight": i.weight, "district_only": i.district_only,
        }
        for i in config.indicators.values()
    ]
