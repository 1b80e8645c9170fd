"""Screening settings as data: the ``[screening]`` table of ``metrics/indicators.toml``.

Every setting must be present in the file (no default hidden in code) and is validated
here, called by :func:`metrics.config.config_from_dict`, so that the administrator's
overrides (same shape, stored with the indicator overrides) are refused when they are
out of range, with a Chinese message naming the setting.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

KINDS: tuple[str, ...] = (
    "nonlocal_rejection", "nonlocal_time", "nonlocal_visits", "nonlocal_suspension", "lifted_still_approved",
)
"""Signal kinds in the spec's order (the order of the output)."""
TESTED_KINDS: tuple[str, ...] = KINDS[:4]
"""The kinds compared between 外地 and 本地 with a test (the keys of ``tested``)."""

PREFIX_LENGTHS = (2, 4, 6)
"""Allowed lengths of ``local_prefix``: province (44), city (4407), district (440704)."""

SETTINGS: tuple[str, ...] = ("local_prefix", "min_group", "min_rate_gap", "min_days_gap", "min_visits_gap", "fdr")


@dataclass(frozen=True)
class ScreeningKind:
    """One signal kind: its Chinese name and 口径说明 (shown beside each signal)."""

    id: str
    name: str
    definition: str


@dataclass(frozen=True)
class ScreeningRules:
    """The validated screening settings and kinds."""

    local_prefix: str
    min_group: int
    min_rate_gap: float
    min_days_gap: float
    min_visits_gap: float
    fdr: float
    kinds: Mapping[str, ScreeningKind]

    def kind_name(self, kind: str) -> str:
        return self.kinds[kind].name

    def gap(self, kind: str) -> float:
        """The effect a signal of ``kind`` must reach to be flagged."""
        return {
            "nonlocal_rejection": self.min_rate_gap, "nonlocal_suspension": self.min_rate_gap,
            "nonlocal_time": self.min_days_gap, "nonlocal_visits": self.min_visits_gap,
        }[kind]


def _finite(raw: Any) -> float | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        return None
    return float(raw)


def screening_from_dict(raw: Any, problems: list[str]) -> ScreeningRules | None:
    """The ``[screening]`` table validated; problems (中文 / English) appended to ``problems``."""
    if not isinstance(raw, Mapping):
        problems.append("缺少隐性壁垒筛查设置 [screening] (no [screening] table)")
        return None
    before = len(problems)
    for key in SETTINGS:
        if key not in raw:
            problems.append(f"隐性壁垒筛查设置缺少 {key} (screening setting {key!r} is missing)")
    for key in raw:
        if key not in (*SETTINGS, "kinds"):
            problems.append(f"未知的隐性壁垒筛查设置 {key} (unknown screening setting {key!r})")
    prefix = raw.get("local_prefix")
    if "local_prefix" in raw and not (
        isinstance(prefix, str) and prefix.isascii() and prefix.isdigit() and len(prefix) in PREFIX_LENGTHS
    ):
        problems.append(
            f"本地范围 local_prefix 应为 2 位（省）、4 位（市）或 6 位（区县）行政区划代码，当前为 {prefix!r} "
            "(local_prefix must be 2, 4 or 6 digits)"
        )
    group = raw.get("min_group")
    if isinstance(group, float) and group.is_integer():
        group = int(group)  # 10.0 from a number input or JSON
    if "min_group" in raw and (isinstance(group, bool) or not isinstance(group, int) or group < 1):
        problems.append(f"最小组样本量 min_group 应为不小于 1 的整数，当前为 {group!r} (min_group must be an integer ≥ 1)")
    gaps = {"min_rate_gap": "最小比率差 min_rate_gap", "min_days_gap": "最小用时差 min_days_gap",
            "min_visits_gap": "最小到现场次数差 min_visits_gap"}
    for key, label in gaps.items():
        value = _finite(raw.get(key))
        if key in raw and (value is None or value < 0):
            problems.append(f"{label} 应为非负数，当前为 {raw.get(key)!r} ({key} must be a non-negative number)")
    rate_gap = _finite(raw.get("min_rate_gap"))
    if rate_gap is not None and rate_gap > 1:
        problems.append(f"最小比率差 min_rate_gap 为比例，不应大于 1，当前为 {rate_gap:g} (min_rate_gap must be ≤ 1)")
    fdr = _finite(raw.get("fdr"))
    if "fdr" in raw and (fdr is None or not 0 < fdr <= 1):
        problems.append(f"错误发现率 fdr 应大于 0 且不大于 1，当前为 {raw.get('fdr')!r} (fdr must be in (0, 1])")

    kinds_raw = raw.get("kinds")
    kinds: dict[str, ScreeningKind] = {}
    if not isinstance(kinds_raw, Mapping):
        problems.append("缺少筛查信号类型说明 [screening.kinds] (no [screening.kinds] table)")
        kinds_raw = {}
    for kind in KINDS:
        spec = kinds_raw.get(kind)
        name = str(spec.get("name") or "").strip() if isinstance(spec, Mapping) else ""
        definition = str(spec.get("definition") or "").strip() if isinstance(spec, Mapping) else ""
        if not name or not definition:
            problems.append(f"筛查信号 {kind} 缺少中文名称或口径说明 (screening kind {kind!r} needs name and definition)")
        kinds[kind] = ScreeningKind(kind, name, definition)
    for kind in kinds_raw:
        if kind not in KINDS:
            problems.append(f"未知的筛查信号类型 {kind} (unknown screening kind {kind!r})")
    if len(problems) > before:
        return None
    return ScreeningRules(
        local_prefix=str(prefix), min_group=int(group or 0), min_rate_gap=float(raw["min_rate_gap"]),
        min_days_gap=float(raw["min_days_gap"]), min_visits_gap=float(raw["min_visits_gap"]), fdr=float(raw["fdr"]),
        kinds=kinds,
    )
