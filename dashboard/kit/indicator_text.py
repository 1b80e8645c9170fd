"""An indicator as people read it, from the indicator configuration: its name, a value
formatted (ratios as %, 无数据 for null), a score, and its 口径 (definition) text."""

from __future__ import annotations

from functools import cache
from typing import Any

from metrics.config import MetricsConfig, load_config
from metrics.output import format_score, format_value


@cache
def config() -> MetricsConfig:
    """The indicator configuration file's defaults (names, units, directions, 口径)."""
    return load_config()


def name(indicator_id: str) -> str:
    return config().indicator(indicator_id).name


def fmt(indicator_id: str, value: Any) -> str:
    """A value as people read it (ratios as %, 无数据 for null)."""
    return format_value(value, config().indicator(indicator_id).unit)


def score_text(score: float | None) -> str:
    """A score to one decimal, or 数据不足."""
    return format_score(score)


def definition_text(indicator_id: str) -> str:
    """The 口径 of an indicator in markdown: name, id, direction, definition and scoring."""
    ind = config().indicator(indicator_id)
    arrow = {"up": "↑ 越高越好", "down": "↓ 越低越好"}.get(ind.direction, "· 仅展示，不计分")
    text = f"**{ind.name}**（`{ind.id}`，{arrow}）\n\n{ind.definition}"
    if ind.scored:
        text += f"\n\n计分：下限 {ind.floor:g} → 目标 {ind.target:g}，维度内权重 {ind.weight:g}。"
    return text
