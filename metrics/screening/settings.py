"""Validation of the administrator's screening settings before they are stored.

The settings are stored with the indicator overrides (``data.settings.put_screening``) and
validated as a whole by the configuration loader; only the six settings of screening.md
may be overridden (the kinds' names and definitions stay as the file says).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from metrics.config import ConfigError, MetricsConfig, load_config
from metrics.screening_rules import SETTINGS


def validate_overrides(overrides: Mapping[str, Any]) -> MetricsConfig:
    """The configuration the overrides give; :class:`ConfigError` (Chinese) when refused."""
    screening = overrides.get("screening") or {}
    if not isinstance(screening, Mapping):
        raise ConfigError(["隐性壁垒筛查设置格式有误 (screening overrides must be a table)"])
    unknown = sorted(set(screening) - set(SETTINGS))
    if unknown:
        raise ConfigError([f"不能修改的隐性壁垒筛查设置：{'、'.join(unknown)} (not an overridable setting)"])
    return load_config(overrides=overrides)
