"""Indicator configuration as data: ``metrics/indicators.toml`` loaded into frozen dataclasses.

The file declares every indicator of ``indicators.md`` (name, dimension, unit, direction,
definition text) and the scoring defaults (floors, targets, weights, deductions, weak-link
thresholds).  :func:`load_config` validates it against the engine's own indicator set, so a
typo in an id, weights that do not sum to 1 or a missing definition fail loudly with a
Chinese/English message instead of silently scoring wrong.  The administrator's changes to
floors, targets and weights arrive as an ``overrides`` dict with the same shape as the file.
"""

from __future__ import annotations

import copy
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from metrics.catalog import KNOWN_INDICATORS
from metrics.screening_rules import ScreeningRules, screening_from_dict

DEFAULT_PATH = Path(__file__).resolve().parent / "indicators.toml"
UNITS = frozenset({"ratio", "count", "days", "hours", "stage", "number", "score"})
DIRECTIONS = frozenset({"up", "down", "none"})
_EPS = 1e-9


class ConfigError(ValueError):
    """The indicator configuration is invalid; ``str(err)`` lists every problem (中文 / English)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("指标配置有误 (invalid indicator configuration):\n- " + "\n- ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Indicator:
    """One indicator of the dictionary: what it is called, measures and how it is scored."""

    id: str
    name: str
    dimension: str  # dimension id, e.g. "process"
    unit: str
    direction: str  # up / down / none
    definition: str  # 口径 in Chinese, shown beside the figure
    definition_en: str
    floor: float | None = None
    target: float | None = None
    weight: float | None = None  # weight within its dimension
    district_only: bool = False
    better: str = "none"  # an unscored indicator's better way (up / down / none), for colouring a change

    @property
    def scored(self) -> bool:
        return self.direction != "none"

    @property
    def polarity(self) -> str:
        """Which way is better: the direction of a scored indicator, else ``better`` (an
        unscored count such as 超期未办结件数 still improves when it falls); ``none`` when
        neither way is better.  Colours a change (:mod:`charts.delta`); never scores."""
        return self.direction if self.scored else self.better

    def score(self, value: float | None) -> float | None:
        """``100 × clip((value − floor) / (target − floor), 0, 1)``; None when unscored or null."""
        if not self.scored or value is None or self.floor is None or self.target is None:
            return None
        x = (float(value) - self.floor) / (self.target - self.floor)
        return 100.0 * min(1.0, max(0.0, x))


@dataclass(frozen=True)
class Dimension:
    """A scoring dimension: id, Chinese name (the key in outputs) and its weight."""

    id: str
    name: str
    weight: float
    indicators: tuple[str, ...]  # ids in file order
    scored: tuple[str, ...]  # ids of its scored indicators


@dataclass(frozen=True)
class Deductions:
    """扣分项: points per unreported case and per overdue key case, and the cap."""

    per_unreported: float = 2.0
    per_key_overdue: float = 2.0
    cap: float = 10.0


@dataclass(frozen=True)
class WeakLinkRules:
    """短板 thresholds: below ``low_score`` (严重 below ``severe_score``), or a fall ≥ ``drop``."""

    low_score: float = 60.0
    severe_score: float = 40.0
    drop: float = 15.0


@dataclass(frozen=True)
class MetricsConfig:
    """The whole validated configuration."""

    version: str
    dimensions: tuple[Dimension, ...]
    indicators: Mapping[str, Indicator]  # id -> Indicator, file order
    deductions: Deductions
    weak_links: WeakLinkRules
    screening: ScreeningRules  # hidden-barrier screening settings (metrics.screening_rules)

    def indicator(self, indicator_id: str) -> Indicator:
        return self.indicators[indicator_id]

    def dimension(self, dimension_id: str) -> Dimension:
        for dim in self.dimensions:
            if dim.id == dimension_id:
                return dim
        raise KeyError(dimension_id)

    def dimension_name(self, indicator_id: str) -> str:
        """Chinese name of the dimension an indicator belongs to."""
        return self.dimension(self.indicators[indicator_id].dimension).name

    @property
    def scored_indicators(self) -> tuple[str, ...]:
        return tuple(i for d in self.dimensions for i in d.scored)


def merged(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``over`` laid on it, table by table (the administrator's overrides on a
    settings file's defaults); neither argument is changed."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _number(raw: Any) -> float | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        return None
    return float(raw)


def config_from_dict(raw: Mapping[str, Any], known: frozenset[str] = KNOWN_INDICATORS) -> MetricsConfig:
    """Validate a configuration mapping (the TOML's shape) into :class:`MetricsConfig`."""
    problems: list[str] = []
    dims_raw = raw.get("dimensions") or {}
    inds_raw = raw.get("indicators") or {}
    if not isinstance(dims_raw, Mapping) or not dims_raw:
        problems.append("缺少维度定义 [dimensions] (no dimensions)")
        dims_raw = {}
    if not isinstance(inds_raw, Mapping) or not inds_raw:
        problems.append("缺少指标定义 [indicators] (no indicators)")
        inds_raw = {}

    indicators: dict[str, Indicator] = {}
    for ind_id, spec in inds_raw.items():
        if ind_id not in known:
            problems.append(f"未知指标 {ind_id}：引擎不计算该指标 (unknown indicator id {ind_id!r})")
            continue
        if not isinstance(spec, Mapping):
            problems.append(f"指标 {ind_id} 的定义格式有误 (indicator {ind_id!r} must be a table)")
            continue
        name = str(spec.get("name") or "").strip()
        dim = str(spec.get("dimension") or "")
        unit = str(spec.get("unit") or "")
        direction = str(spec.get("direction") or "")
        definition = str(spec.get("definition") or "").strip()
        definition_en = str(spec.get("definition_en") or "").strip()
        if not name:
            problems.append(f"指标 {ind_id} 缺少中文名称 (indicator {ind_id!r} has no name)")
        if dim not in dims_raw:
            problems.append(f"指标 {ind_id} 的维度 {dim!r} 不存在 (indicator {ind_id!r}: unknown dimension)")
        if unit not in UNITS:
            problems.append(
                f"指标 {ind_id} 的单位 {unit!r} 不在允许范围 {sorted(UNITS)} 内 (indicator {ind_id!r}: bad unit)"
            )
        if direction not in DIRECTIONS:
            problems.append(
                f"指标 {ind_id} 的方向 {direction!r} 应为 up/down/none (indicator {ind_id!r}: bad direction)"
            )
        if not definition:
            problems.append(f"指标 {ind_id} 缺少口径说明 (indicator {ind_id!r} has no definition text)")
        better = str(spec.get("better") or "none")
        if better not in DIRECTIONS or (direction in ("up", "down") and spec.get("better") is not None):
            problems.append(
                f"指标 {ind_id} 的 better {better!r} 应为 up/down，且只用于不计分指标 (indicator {ind_id!r}: bad better)"
            )
        floor = _number(spec.get("floor"))
        target = _number(spec.get("target"))
        weight = _number(spec.get("weight"))
        if direction in ("up", "down"):
            if floor is None or target is None or weight is None:
                problems.append(
                    f"计分指标 {ind_id} 须有数值型 floor、target、weight (scored indicator {ind_id!r} "
                    "needs numeric floor, target and weight)"
                )
            else:
                if abs(floor - target) < _EPS:
                    problems.append(f"指标 {ind_id} 的起评值与目标值相同 (indicator {ind_id!r}: floor = target)")
                elif direction == "up" and target < floor:
                    problems.append(
                        f"正向指标 {ind_id} 的目标值应大于起评值 (indicator {ind_id!r}: up needs target > floor)"
                    )
                elif direction == "down" and target > floor:
                    problems.append(
                        f"逆向指标 {ind_id} 的目标值应小于起评值 (indicator {ind_id!r}: down needs target < floor)"
                    )
                if weight < 0:
                    problems.append(f"指标 {ind_id} 的权重不能为负 (indicator {ind_id!r}: negative weight)")
        elif any(spec.get(k) is not None for k in ("floor", "target", "weight")):
            problems.append(
                f"不计分指标 {ind_id} 不应设置 floor/target/weight (unscored indicator {ind_id!r} has scoring)"
            )
        indicators[ind_id] = Indicator(
            id=ind_id, name=name, dimension=dim, unit=unit, direction=direction, definition=definition,
            definition_en=definition_en, floor=floor, target=target, weight=weight,
            district_only=bool(spec.get("district_only", False)), better=better,
        )

    missing = sorted(known - set(inds_raw))
    for ind_id in missing:
        problems.append(f"指标 {ind_id} 未在配置中定义（缺少名称与口径说明） (indicator {ind_id!r} is not configured)")

    dimensions: list[Dimension] = []
    for dim_id, spec in dims_raw.items():
        if not isinstance(spec, Mapping):
            problems.append(f"维度 {dim_id} 的定义格式有误 (dimension {dim_id!r} must be a table)")
            continue
        name = str(spec.get("name") or "").strip()
        weight = _number(spec.get("weight"))
        if not name:
            problems.append(f"维度 {dim_id} 缺少中文名称 (dimension {dim_id!r} has no name)")
        if weight is None or weight < 0:
            problems.append(f"维度 {dim_id} 的权重应为非负数 (dimension {dim_id!r}: bad weight)")
            weight = 0.0
        members = tuple(i for i, ind in indicators.items() if ind.dimension == dim_id)
        scored = tuple(i for i in members if indicators[i].scored)
        total = sum(indicators[i].weight or 0.0 for i in scored)
        if scored and abs(total - 1.0) > 1e-6:
            problems.append(
                f"维度 {name or dim_id} 内各指标权重之和为 {total:g}，应为 1 "
                f"(weights in dimension {dim_id!r} sum to {total:g}, not 1)"
            )
        if not scored:
            problems.append(f"维度 {name or dim_id} 没有计分指标 (dimension {dim_id!r} has no scored indicator)")
        dimensions.append(Dimension(dim_id, name, weight, members, scored))
    dim_total = sum(d.weight for d in dimensions)
    if dimensions and abs(dim_total - 1.0) > 1e-6:
        problems.append(f"各维度权重之和为 {dim_total:g}，应为 1 (dimension weights sum to {dim_total:g}, not 1)")
    names = [d.name for d in dimensions]
    if len(set(names)) != len(names):
        problems.append("维度中文名称重复 (duplicate dimension names)")

    ded_raw = raw.get("deductions") or {}
    ded_vals = {k: _number(ded_raw.get(k, getattr(Deductions, k))) for k in ("per_unreported", "per_key_overdue", "cap")}
    if any(v is None or v < 0 for v in ded_vals.values()):
        problems.append("扣分项设置应为非负数 (deductions must be non-negative numbers)")
    wl_raw = raw.get("weak_links") or {}
    wl_vals = {k: _number(wl_raw.get(k, getattr(WeakLinkRules, k))) for k in ("low_score", "severe_score", "drop")}
    if any(v is None for v in wl_vals.values()):
        problems.append("短板阈值应为数值 (weak-link thresholds must be numbers)")
    elif (wl_vals["severe_score"] or 0) > (wl_vals["low_score"] or 0):
        problems.append("严重短板阈值不应高于短板阈值 (severe_score must not exceed low_score)")
    screening = screening_from_dict(raw.get("screening"), problems)

    if problems or screening is None:
        raise ConfigError(problems)
    return MetricsConfig(
        version=str(raw.get("version", "")),
        dimensions=tuple(dimensions),
        indicators=indicators,
        deductions=Deductions(**{k: float(v or 0.0) for k, v in ded_vals.items()}),
        weak_links=WeakLinkRules(**{k: float(v or 0.0) for k, v in wl_vals.items()}),
        screening=screening,
    )


def read_raw(path: str | Path | None = None) -> dict[str, Any]:
    """The configuration file parsed as a dict (default: the project's indicators.toml)."""
    p = Path(path) if path is not None else DEFAULT_PATH
    try:
        with p.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError([f"配置文件 {p} 格式错误：{err} (TOML syntax error)"]) from err


def load_config(path: str | Path | None = None, overrides: Mapping[str, Any] | None = None) -> MetricsConfig:
    """Load and validate the configuration, applying the administrator's ``overrides``.

    ``overrides`` has the file's shape, e.g.
    ``{"indicators": {"on_time_rate": {"floor": 0.7}}, "dimensions": {"process": {"weight": 0.3}}}``;
    the result is validated as a whole, so overrides that break the weights are rejected.
    """
    raw = read_raw(path)
    if overrides:
        raw = merged(raw, overrides)
    return config_from_dict(raw)
