"""A signal as the request that creates its case (``data.screening_cases.create_case``).

The summary names the signal: its kind, the item and department, both groups' figures (or,
for 国家已放开地方仍审批, the dropped list basis and the applications after it), the
effect, p and q, and the period — and says that it is a lead still to be verified.
"""

from __future__ import annotations

import datetime as dt

from data.screening_cases import SignalCase, signal_key
from metrics.output import format_value
from metrics.screening.model import Group, ScreeningResult, Signal
from metrics.screening.output import UNIT
from metrics.screening.screener import LIFTED, Screener


def _group(label: str, group: Group | None, unit: str) -> str:
    if group is None:
        return f"{label}无数据"
    return f"{label}主体 {group.n} 件，{format_value(group.value, unit)}"


def case_request(screener: Screener, result: ScreeningResult, signal: Signal) -> SignalCase:
    """The case of ``signal`` (found by ``result``): key, the item's department, summary."""
    p = result.period
    rules = screener.rules
    head = (f"隐性壁垒筛查线索（待核实，非认定结论）：{rules.kind_name(signal.kind)}。"
            f"事项：{signal.item_name}（{signal.item_code}），责任单位：{signal.dept_name}（{signal.dept_code}）。"
            f"统计期间 {p.date_from.isoformat()} 至 {p.date_to.isoformat()}（统计时点 {p.as_of.isoformat()}）。")
    if signal.kind == LIFTED:
        scope = screener.scope(result.request)
        version = scope.current_version or ""
        effective = screener.data.versions.effective.get(version)
        since = "" if effective is None else (dt.date(1970, 1, 1) + dt.timedelta(days=effective)).isoformat()
        nl_code = screener.data.items.nl_code[screener.data.items.position[signal.item_code]]
        body = (f"该行政许可事项对应的负面清单事项 {nl_code} 已不在现行负面清单（{version}年版，{since} 起施行）中，"
                f"本期在该日及之后仍有 {signal.records} 件申请。")
    else:
        unit = UNIT[signal.kind]
        body = (f"{_group('外地', signal.nonlocal_, unit)}；{_group('本地', signal.local, unit)}；"
                f"差异 {format_value(signal.effect, unit)}，p = {signal.p_value:.3g}，q = {signal.q_value:.3g}"
                f"（本地范围：统一社会信用代码区划码以 {result.local_prefix} 开头）。")
    return SignalCase(signal_key(signal.kind, signal.item_code, p.date_from, p.date_to), signal.dept_code, head + body)
