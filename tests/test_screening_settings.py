"""Screening settings: declared in indicators.toml, validated by the configuration loader,
overridable by the administrator (validated, stored, audited), applied by the CLI; and the
``market-access screen`` command itself."""

from __future__ import annotations

import copy
import json
import re

import pytest

from cli.main import main
from data import audit
from data import settings as store
from data.db import Database
from data.demo import planted
from metrics.config import ConfigError, config_from_dict, load_config, read_raw
from metrics.screening.settings import validate_overrides
from metrics.screening_rules import KINDS, SETTINGS


def test_file_declares_every_setting_and_kind() -> None:
    rules = load_config().screening
    assert (rules.local_prefix, rules.min_group, rules.min_rate_gap, rules.min_days_gap, rules.min_visits_gap,
            rules.fdr) == ("4407", 10, 0.10, 2.0, 0.5, 0.05)
    assert tuple(rules.kinds) == KINDS
    assert all(k.name and k.definition for k in rules.kinds.values())


@pytest.mark.parametrize("key", SETTINGS)
def test_a_setting_missing_from_the_file_fails(key: str) -> None:
    raw = copy.deepcopy(read_raw())
    del raw["screening"][key]
    with pytest.raises(ConfigError, match=key):
        config_from_dict(raw)


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_without_its_definition_fails(kind: str) -> None:
    raw = copy.deepcopy(read_raw())
    del raw["screening"]["kinds"][kind]["definition"]
    with pytest.raises(ConfigError, match=kind):
        config_from_dict(raw)


@pytest.mark.parametrize(("key", "value"), [
    ("local_prefix", "440"), ("local_prefix", "44070A"), ("local_prefix", 4407), ("local_prefix", "44070400"),
    ("min_group", 0), ("min_group", 2.5), ("min_group", True), ("min_rate_gap", -0.1), ("min_rate_gap", 1.5),
    ("min_days_gap", "2"), ("min_visits_gap", float("nan")), ("fdr", 0), ("fdr", 1.2), ("colour", 1),
])
def test_bad_values_are_refused_in_chinese(key: str, value: object) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(overrides={"screening": {key: value}})
    (problem,) = err.value.problems
    assert key in problem
    assert re.match("[\u4e00-\u9fff]", problem), problem  # the message leads in Chinese


@pytest.mark.parametrize("prefix", ["44", "4407", "440704"])
def test_each_prefix_level_is_accepted(prefix: str) -> None:
    assert load_config(overrides={"screening": {"local_prefix": prefix}}).screening.local_prefix == prefix


def test_only_the_six_settings_may_be_overridden() -> None:
    with pytest.raises(ConfigError, match="kinds"):
        validate_overrides({"screening": {"kinds": {"nonlocal_time": {"name": "x"}}}})
    assert validate_overrides({"screening": {"min_group": 20.0}}).screening.min_group == 20


def test_administrator_saves_validated_audited_settings(db: Database) -> None:
    with db.session() as s:
        store.put(s, store.INDICATOR_OVERRIDES, {"indicators": {"on_time_rate": {"floor": 0.7}}}, "admin")
        store.put_screening(s, {"local_prefix": "440704", "min_group": 20}, "admin", validate_overrides)
    with db.session() as s:
        saved = store.get(s, store.INDICATOR_OVERRIDES)
        entries = audit.entries(s)
    assert saved == {"indicators": {"on_time_rate": {"floor": 0.7}},
                     "screening": {"local_prefix": "440704", "min_group": 20}}
    assert (entries["action"] == "修改设置").sum() == 2
    cfg = load_config(overrides=saved)
    assert (cfg.screening.local_prefix, cfg.screening.min_group, cfg.indicator("on_time_rate").floor) == (
        "440704", 20, 0.7)

    with pytest.raises(ConfigError, match="local_prefix"), db.session() as s:
        store.put_screening(s, {"local_prefix": "4"}, "admin", validate_overrides)
    with db.session() as s:
        assert store.get(s, store.INDICATOR_OVERRIDES) == saved  # nothing half-changed

    with db.session() as s:
        store.clear_screening(s, "admin")
    with db.session() as s:
        assert store.get(s, store.INDICATOR_OVERRIDES) == {"indicators": {"on_time_rate": {"floor": 0.7}}}


# ---------------------------------------------------------------------- market-access screen


def run_screen(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_json_is_the_specs(demo_db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_screen(capsys, "--db", demo_db_url, "screen", "--from", "2026-01-01", "--to", "2026-10-31",
                              "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["period", "locality", "tested", "signals"]
    assert data["period"] == {"from": "2026-01-01", "to": "2026-10-31", "as_of": "2026-10-31"}
    assert data["locality"] == {"local_prefix": "4407"}
    assert list(data["tested"]) == list(KINDS[:4]) and all(v >= 15 for v in data["tested"].values())
    kinds = [s["kind"] for s in data["signals"]]
    assert kinds == list(KINDS)  # one planted barrier per kind, in the spec's order
    for s in data["signals"]:
        assert list(s) == ["kind", "dept_code", "item_code", "local", "nonlocal", "effect", "p_value", "q_value",
                           "records"]
    lifted = data["signals"][-1]
    assert (lifted["local"], lifted["nonlocal"], lifted["p_value"], lifted["q_value"]) == (None, None, None, None)
    assert lifted["effect"] == lifted["records"] > 0
    rejection = data["signals"][0]
    assert rejection["dept_code"] == planted.REJECTION_ITEM[0]
    assert rejection["records"] == rejection["local"]["n"] + rejection["nonlocal"]["n"]
    assert 0 <= rejection["local"]["value"] < rejection["nonlocal"]["value"] <= 1


def test_cli_department_table_and_errors(demo_db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    dept = planted.TIME_ITEM[0]
    code, out, _ = run_screen(capsys, "--db", demo_db_url, "screen", "--from", "2026-01-01", "--to", "2026-10-31",
                              "--dept", dept)
    assert code == 0
    assert {s["dept_code"] for s in json.loads(out)["signals"]} == {dept}
    code, out, _ = run_screen(capsys, "--db", demo_db_url, "screen", "--from", "2026-01-01", "--to", "2026-10-31",
                              "--format", "table")
    assert code == 0 and "【筛查线索】" in out and planted.VISITS_ITEM[1] in out and "待核实线索" in out
    code, _, err = run_screen(capsys, "--db", demo_db_url, "screen", "--from", "2026-13-01", "--to", "2026-10-31")
    assert code == 2 and "不是有效日期" in err
    code, _, err = run_screen(capsys, "--db", demo_db_url, "screen", "--from", "2026-01-01", "--to", "2026-10-31",
                              "--dept", "JH999")
    assert code == 1 and "部门编码 JH999 不存在" in err


def test_cli_applies_the_stored_settings(demo_db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = Database(demo_db_url)
    with db.session() as s:
        store.put_screening(s, {"min_group": 100000, "local_prefix": "44"}, "admin", validate_overrides)
    db.dispose()
    code, out, _ = run_screen(capsys, "--db", demo_db_url, "screen", "--from", "2026-01-01", "--to", "2026-10-31")
    data = json.loads(out)
    assert code == 0 and data["locality"] == {"local_prefix": "44"}
    assert set(data["tested"].values()) == {0}
    assert [s["kind"] for s in data["signals"]] == ["lifted_still_approved"]
