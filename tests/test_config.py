"""The indicator configuration (metrics/indicators.toml) and its validating loader."""

from __future__ import annotations

import copy

import pytest

from metrics.catalog import ALL_INDICATORS, KNOWN_INDICATORS
from metrics.config import ConfigError, config_from_dict, load_config, read_raw


def test_default_configuration_matches_spec() -> None:
    cfg = load_config()
    assert [d.name for d in cfg.dimensions] == ["办事流程", "服务渠道", "审批途径", "监管手段", "制度宣传保障"]
    assert [d.weight for d in cfg.dimensions] == [0.2] * 5
    assert cfg.dimension("process").scored == ("on_time_rate", "speedup_rate", "open_overdue_rate")
    on_time = cfg.indicator("on_time_rate")
    assert (on_time.floor, on_time.target, on_time.weight, on_time.direction) == (0.8, 1.0, 0.4, "up")
    rej = cfg.indicator("rejection_rate")
    assert (rej.floor, rej.target, rej.direction) == (0.2, 0.0, "down")
    assert (cfg.deductions.per_unreported, cfg.deductions.per_key_overdue, cfg.deductions.cap) == (2, 2, 10)
    assert (cfg.weak_links.low_score, cfg.weak_links.severe_score, cfg.weak_links.drop) == (60, 40, 15)
    assert cfg.indicator("nl_coverage").district_only
    assert len(cfg.scored_indicators) == 20


def test_every_engine_indicator_has_definition_text() -> None:
    cfg = load_config()
    assert set(cfg.indicators) == KNOWN_INDICATORS
    for ind_id in ALL_INDICATORS:
        ind = cfg.indicator(ind_id)
        assert ind.definition.strip(), ind_id
        assert ind.definition_en.strip(), ind_id
        assert ind.name.strip(), ind_id


def test_score_formula_both_directions() -> None:
    cfg = load_config()
    assert cfg.indicator("on_time_rate").score(0.9) == pytest.approx(50.0)
    assert cfg.indicator("on_time_rate").score(0.5) == 0.0
    assert cfg.indicator("open_overdue_rate").score(0.05) == pytest.approx(75.0)
    assert cfg.indicator("open_overdue_rate").score(0.5) == 0.0
    assert cfg.indicator("on_time_rate").score(None) is None
    assert cfg.indicator("overdue_count").score(3) is None


def _raw() -> dict:  # type: ignore[type-arg]
    return copy.deepcopy(read_raw())


def test_rejects_unknown_indicator_id() -> None:
    raw = _raw()
    raw["indicators"]["on_time_ratio"] = dict(raw["indicators"]["on_time_rate"])
    with pytest.raises(ConfigError, match="on_time_ratio"):
        config_from_dict(raw)


def test_rejects_indicator_weights_not_summing_to_one() -> None:
    raw = _raw()
    raw["indicators"]["on_time_rate"]["weight"] = 0.5
    with pytest.raises(ConfigError, match="办事流程"):
        config_from_dict(raw)


def test_rejects_dimension_weights_not_summing_to_one() -> None:
    raw = _raw()
    raw["dimensions"]["process"]["weight"] = 0.3
    with pytest.raises(ConfigError, match="dimension weights"):
        config_from_dict(raw)


def test_rejects_missing_definition() -> None:
    raw = _raw()
    raw["indicators"]["mapping_rate"]["definition"] = "  "
    with pytest.raises(ConfigError, match="mapping_rate"):
        config_from_dict(raw)
    raw = _raw()
    del raw["indicators"]["stage_hours"]
    with pytest.raises(ConfigError, match="stage_hours"):
        config_from_dict(raw)


def test_rejects_floor_equal_target_bad_unit_and_direction() -> None:
    raw = _raw()
    raw["indicators"]["online_rate"]["target"] = 0.3
    with pytest.raises(ConfigError, match="floor = target"):
        config_from_dict(raw)
    raw = _raw()
    raw["indicators"]["online_rate"]["unit"] = "percent"
    with pytest.raises(ConfigError, match="bad unit"):
        config_from_dict(raw)
    raw = _raw()
    raw["indicators"]["rejection_rate"]["target"] = 0.5  # ↓ needs target < floor
    with pytest.raises(ConfigError, match="down needs"):
        config_from_dict(raw)


def test_overrides_are_merged_and_validated() -> None:
    cfg = load_config(overrides={"indicators": {"on_time_rate": {"floor": 0.7}}})
    assert cfg.indicator("on_time_rate").floor == 0.7
    assert cfg.indicator("on_time_rate").target == 1.0
    with pytest.raises(ConfigError):
        load_config(overrides={"dimensions": {"process": {"weight": 0.9}}})


def test_error_lists_every_problem() -> None:
    raw = _raw()
    raw["indicators"]["online_rate"]["unit"] = "percent"
    raw["indicators"]["mapping_rate"]["definition"] = ""
    with pytest.raises(ConfigError) as info:
        config_from_dict(raw)
    assert len(info.value.problems) == 2


def test_better_is_only_for_unscored_indicators() -> None:
    """``better`` colours the change of an unscored indicator; a scored one has its direction."""
    cfg = config_from_dict(_raw())
    assert cfg.indicator("avg_processing_wd").polarity == "down"  # not scored, lower is better
    assert cfg.indicator("on_time_rate").polarity == "up"
    assert cfg.indicator("case_count").polarity == "none"
    raw = _raw()
    raw["indicators"]["on_time_rate"]["better"] = "down"
    with pytest.raises(ConfigError, match="better"):
        config_from_dict(raw)
    raw = _raw()
    raw["indicators"]["case_count"]["better"] = "sideways"
    with pytest.raises(ConfigError, match="better"):
        config_from_dict(raw)
