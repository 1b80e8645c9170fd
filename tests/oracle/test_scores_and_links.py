"""Oracle tests of scores, deductions, weak links, breakdowns, 同比 and the CLI JSON on the
hand-built data set described in tests/fixtures/oracle.py."""


from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from metrics.engine import MetricsEngine
from metrics.records import link_records, records_behind
from metrics.results import MetricsRequest
from metrics.series import item_breakdown, monthly_series
from tests.fixtures.oracle import Q1, RATING_WORDS, D, approx, fixture_tables

D01_PROCESS = 0.4 * 0 + 0.3 * ((1 - 28 / 65) / 0.7 * 100) + 0.3 * 0
D01_CHANNELS = 0.3 * (11 / 18 * 100) + 0.2 * (33 / 49 * 100) + 0.2 * (9 / 14 * 100) + 0.2 * 0 + 0.1 * (1 / 18 * 100)
D01_ROUTES = 0.3 * 100 + 0.3 * 100 + 0.2 * 0 + 0.2 * (200 / 3)
D01_SUPERVISION = 0.3 * 0 + 0.4 * 0 + 0.3 * (0.5 / 0.6 * 100)
D01_PUBLICITY = 0.3 * 50 + 0.2 * 0 + 0.2 * 100 + 0.15 * (200 / 3) + 0.15 * 0


def test_scores_d01(q1) -> None:  # type: ignore[no-untyped-def]
    s = q1.scores["D01"]
    assert s.indicators["on_time_rate"] == approx(0.0)
    assert s.indicators["open_overdue_rate"] == approx(0.0)  # ↓: 1.0 is past the floor 0.2
    assert s.indicators["rejection_rate"] == approx(0.0)  # ↓: 0.25 > floor 0.2
    assert s.indicators["online_rate"] == approx(1100 / 18)
    assert s.dimensions == {
        "办事流程": approx(D01_PROCESS),
        "服务渠道": approx(D01_CHANNELS),
        "审批途径": approx(D01_ROUTES),
        "监管手段": approx(D01_SUPERVISION),
        "制度宣传保障": approx(D01_PUBLICITY),
    }
    assert s.deductions == 4.0  # 1 unreported + 1 key overdue
    expected = 0.2 * (D01_PROCESS + D01_CHANNELS + D01_ROUTES + D01_SUPERVISION + D01_PUBLICITY) - 4
    assert s.composite == approx(expected)
    assert round(s.composite, 1) == 38.6


def test_scores_deductions_capped_at_ten(q1) -> None:  # type: ignore[no-untyped-def]
    s = q1.scores["D02"]
    assert s.deductions == 10.0  # 2 × 4 + 2 × 2 = 12 → 10
    assert s.dimensions["办事流程"] == approx(60.0)
    assert s.dimensions["服务渠道"] == approx(0.3 * 100 / 3 + 0.1 * 100 / 3)
    assert s.dimensions["审批途径"] == approx(0.3 * 250 / 3 + 0.3 * 250 / 9 + 0.2 * 100)
    assert s.dimensions["监管手段"] == approx(30.0)
    assert s.dimensions["制度宣传保障"] == approx(50.0)
    assert s.composite == approx(0.2 * (60 + 40 / 3 + 160 / 3 + 30 + 50) - 10)


def test_scores_null_indicators_rescale_and_missing_dimensions(q1) -> None:  # type: ignore[no-untyped-def]
    s = q1.scores["D03"]
    assert s.dimensions["办事流程"] is None  # 数据不足
    assert s.dimensions["监管手段"] is None
    assert s.dimensions["服务渠道"] == approx(0.0)  # only full_online_item_rate 0.0
    assert s.dimensions["审批途径"] == approx(250 / 3)  # only compression_rate 0.5
    # data_completeness null: (0.3 × 100 + 0.2 × 100 + 0.2 × 100 + 0.15 × 0) / 0.85
    assert s.dimensions["制度宣传保障"] == approx(70 / 0.85)
    assert s.composite == approx((0 + 250 / 3 + 70 / 0.85) / 3)
    # A street office with no items, applications or cases: only channel_coverage has a value
    # (0 of 3 channels; its denominator is never empty), so only 制度宣传保障 is scored.
    street = q1.scores["S01"]
    assert street.dimensions == {"办事流程": None, "服务渠道": None, "审批途径": None, "监管手段": None,
                                 "制度宣传保障": 0.0}
    assert street.composite == 0.0


# ---------------------------------------------------------------------- weak links


def test_weak_links_q1(q1) -> None:  # type: ignore[no-untyped-def]
    got = [(w.dept_code, w.indicator, w.reason, w.severity) for w in q1.weak_links]
    low, drop_ = "严重", "一般"
    assert got == [
        ("D01", "on_time_rate", "低于60分", low),
        ("D01", "speedup_rate", "较上期下降19分", drop_),  # 100 → 81.3
        ("D01", "open_overdue_rate", "低于60分", low),
        ("D01", "online_rate", "较上期下降39分", drop_),  # 100 → 61.1
        ("D01", "zero_visit_rate", "较上期下降33分", drop_),  # 100 → 67.3
        ("D01", "one_visit_rate", "较上期下降36分", drop_),  # 100 → 64.3
        ("D01", "good_rating_rate", "低于60分", low),
        ("D01", "full_online_item_rate", "低于60分", low),
        ("D01", "instant_rate", "较上期下降33分", drop_),  # 100 → 66.7
        ("D01", "rejection_rate", "低于60分", low),
        ("D01", "transfer_on_time_rate", "低于60分", low),
        ("D01", "rectify_on_time_rate", "低于60分", low),
        ("D01", "disclosure_rate", "低于60分", "一般"),  # 50: not below 40
        ("D01", "mapping_rate", "低于60分", low),
        ("D01", "data_completeness", "低于60分", low),
        ("D01", "unreported_count", "应报未报", low),
        ("D01", "key_overdue_count", "重点督办逾期", low),
        ("D02", "open_overdue_rate", "低于60分", low),
        ("D02", "online_rate", "低于60分", low),
        ("D02", "zero_visit_rate", "低于60分", low),
        ("D02", "one_visit_rate", "低于60分", low),
        ("D02", "good_rating_rate", "低于60分", low),
        ("D02", "full_online_item_rate", "低于60分", low),
        ("D02", "instant_rate", "低于60分", low),
        ("D02", "streamlined_rate", "较上期下降17分", drop_),  # 100 → 83.3
        ("D02", "compression_rate", "低于60分", low),
        ("D02", "rectify_on_time_rate", "低于60分", low),
        ("D02", "self_found_rate", "低于60分", low),
        ("D02", "disclosure_rate", "低于60分", "一般"),
        ("D02", "guide_update_rate", "低于60分", low),
        ("D02", "channel_coverage", "低于60分", low),
        ("D02", "unreported_count", "应报未报", low),
        ("D02", "key_overdue_count", "重点督办逾期", low),
        ("D03", "full_online_item_rate", "低于60分", low),
        ("D03", "channel_coverage", "低于60分", low),
        ("S01", "channel_coverage", "低于60分", low),
    ]


def test_weak_link_fields(q1) -> None:  # type: ignore[no-untyped-def]
    links = {(w.dept_code, w.indicator): w for w in q1.weak_links}
    online = links[("D01", "online_rate")]
    assert online.dimension == "服务渠道"
    assert online.value == approx(6 / 9)
    assert online.score == approx(1100 / 18)
    assert online.district_value == approx(7 / 11)
    assert online.previous_value == approx(1.0)  # P01 online
    unrep = links[("D01", "unreported_count")]
    assert (unrep.dimension, unrep.value, unrep.score, unrep.district_value, unrep.previous_value) == (
        "监管手段", 1, None, 5, 1  # K05 was unreported in the previous period
    )
    assert links[("D02", "key_overdue_count")].value == 2
    assert q1.previous_period.date_from == D(2024, 10, 1)  # 2024Q4 (v1.1), not 2024-10-03
    assert q1.previous_period.date_to == D(2024, 12, 31)
    assert q1.previous_period.as_of == D(2024, 12, 31)


def test_records_behind_weak_links(engine: MetricsEngine, q1) -> None:  # type: ignore[no-untyped-def]
    links = {(w.dept_code, w.indicator): w for w in q1.weak_links}
    overdue = link_records(engine, links[("D01", "on_time_rate")])
    assert sorted(overdue["app_id"]) == ["A02", "A04"]
    assert dict(zip(overdue["app_id"], overdue["processing_wd"], strict=True)) == {"A02": 10, "A04": 11}
    assert dict(zip(overdue["app_id"], overdue["promised_limit_days"], strict=True)) == {"A02": 5, "A04": 3}
    assert list(link_records(engine, links[("D01", "mapping_rate")])["item_code"]) == ["I2"]
    assert list(link_records(engine, links[("D01", "unreported_count")])["case_id"]) == ["K01"]
    assert sorted(link_records(engine, links[("D02", "key_overdue_count")])["case_id"]) == ["K14", "K16"]
    transfer = link_records(engine, links[("D01", "transfer_on_time_rate")])
    assert sorted(transfer["case_id"]) == ["K02", "K04"]
    coverage = link_records(engine, links[("D02", "channel_coverage")])
    assert list(coverage["published"]) == [False, False, False]
    open_late = records_behind(engine, Q1, "D01", "open_overdue_count")
    assert dict(zip(open_late["app_id"], open_late["open_wd"], strict=True)) == {"A06": 25, "A05": 18}


def test_weak_links_restricted_to_one_department(engine: MetricsEngine) -> None:
    r = engine.compute(MetricsRequest(D(2025, 1, 1), D(2025, 3, 31), dept="D03"))
    assert list(r.departments) == ["D03"]
    assert list(r.scores) == ["D03"]
    assert {w.dept_code for w in r.weak_links} == {"D03"}
    assert r.district["case_count"] == 8  # the district stays whole


# ---------------------------------------------------------------------- streets, series


def test_street_values(engine: MetricsEngine) -> None:
    streets = engine.street_values(Q1)
    s = streets["S01"]  # A01 A03 A10 (D01) and B01 (D02)
    assert s["online_rate"] == approx(1.0)  # S: A01 网上, A03 掌上, A10 网上
    assert s["on_time_rate"] == approx(1.0)  # C: A01 4 ≤ 5, A03 0 ≤ 0, A10 3 ≤ 10, B01 8 ≤ 10
    assert s["avg_processing_wd"] == approx(15 / 4)
    assert "case_count" not in s


def test_monthly_series(engine: MetricsEngine) -> None:
    series = monthly_series(engine, "on_time_rate", D(2025, 1, 1), D(2025, 3, 31), dept="D01")
    assert list(series["month"]) == ["2025-01", "2025-02", "2025-03"]
    values = list(series["value"])
    assert pd.isna(values[0])  # nothing completed in January
    assert values[1] == approx(1 / 2)  # A01 on time, A02 not
    assert values[2] == approx(2 / 3)  # A03, A10 on time; A04 not


def test_item_breakdown(engine: MetricsEngine) -> None:
    items = item_breakdown(engine, Q1, "D01").set_index("item_code")
    assert list(items.index) == ["I1", "I2", "I3"]  # A10 (item I4) belongs to D01 but I4 is D02's item
    assert items.loc["I1", "completed_count"] == 2
    assert items.loc["I1", "on_time_rate"] == approx(0.5)
    assert items.loc["I2", "rejection_rate"] == approx(1.0)  # A04 不予, A08 不予受理; A07 撤回 out


# ---------------------------------------------------------------------- through the importer and CLI


def _write_csvs(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    paths = []
    for table_id, df in tables.items():
        out = df.copy()
        if table_id == "applications":
            out["rating"] = [RATING_WORDS[int(v)] if pd.notna(v) else None for v in out["rating"]]
        for col in out.columns:
            if out[col].dtype == bool:
                out[col] = out[col].map({True: "是", False: "否"})
        path = folder / f"{table_id}.csv"
        out.to_csv(path, index=False, encoding="utf-8")
        paths.append(path)
    return paths


def test_cli_json_through_importer_with_rating_words(db, db_url: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from cli.main import main
    from data.importer import import_files

    paths = _write_csvs(fixture_tables(), tmp_path)
    with db.session() as session:
        report = import_files(session, paths, now=dt.datetime(2026, 1, 1, 12, 0))
    assert not report.problems, report.problems

    code = main(["--db", db_url, "metrics", "--from", "2025-01-01", "--to", "2025-03-31", "--format", "json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"period", "district", "departments", "scores", "weak_links"}
    assert out["period"] == {"from": "2025-01-01", "to": "2025-03-31", "as_of": "2025-03-31"}
    assert set(out["departments"]) == {"D01", "D02", "D03", "S01"}
    assert set(out["scores"]) == {"D01", "D02", "D03", "S01"}
    d1 = out["departments"]["D01"]
    assert d1["good_rating_rate"] == approx(3 / 4)  # 非常满意, 满意, 非常满意, 不满意
    assert d1["bad_rating_count"] == 1
    assert d1["on_time_rate"] == approx(3 / 5)
    assert d1["stage_hours"]["决定"] == approx(54.0)
    assert out["departments"]["D03"]["on_time_rate"] is None
    assert out["district"]["nl_coverage"] == approx(2 / 3)
    assert out["scores"]["D01"]["composite"] == 38.6
    assert out["scores"]["D01"]["deductions"] == 2.0 * 2
    assert out["scores"]["D02"]["deductions"] == 10.0
    assert out["scores"]["D03"]["办事流程"] is None
    assert set(out["scores"]["D01"]) == {"办事流程", "服务渠道", "审批途径", "监管手段", "制度宣传保障", "deductions",
                                         "composite"}
    first = out["weak_links"][0]
    assert set(first) == {"dept_code", "dimension", "indicator", "value", "score", "district_value",
                          "previous_value", "reason", "severity"}
    assert len(out["weak_links"]) == 36

    code = main(["--db", db_url, "metrics", "--from", "2025-01-01", "--to", "2025-03-31", "--dept", "D02",
                 "--format", "json"])
    only = json.loads(capsys.readouterr().out)
    assert list(only["departments"]) == ["D02"]
    assert {w["dept_code"] for w in only["weak_links"]} == {"D02"}
    assert only["district"] == out["district"]


def test_cli_rejects_bad_dates(db_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    from cli.main import main

    assert main(["--db", db_url, "metrics", "--from", "2025-02-30", "--to", "2025-03-31"]) != 0
    assert "日期" in capsys.readouterr().err
    assert main(["--db", db_url, "metrics", "--from", "2025-04-01", "--to", "2025-03-31"]) != 0
    assert "晚于" in capsys.readouterr().err
    assert main(["--db", db_url, "metrics", "--from", "2025-01-01", "--to", "2025-03-31", "--dept", "NOPE"]) != 0
    assert "NOPE" in capsys.readouterr().err


def test_year_ago_values(engine: MetricsEngine) -> None:
    """同比 of 2025Q4 is 2024Q4, judged at 2024-12-31: only P01 (D01, 2 wd ≤ 5, online) was
    completed then; D02 completed nothing, so its on-time rate is null, not 0."""
    ya = engine.year_ago(MetricsRequest(D(2025, 10, 1), D(2025, 12, 31)))
    assert (ya.period.date_from, ya.period.date_to, ya.period.as_of) == (D(2024, 10, 1), D(2024, 12, 31),
                                                                         D(2024, 12, 31))
    assert ya.value("on_time_rate", "D01") == approx(1.0)
    assert ya.value("avg_processing_wd", "D01") == approx(2.0)
    assert ya.value("on_time_rate", "D02") is None
    assert ya.value("on_time_rate") == approx(1.0)
    one = engine.year_ago(MetricsRequest(D(2025, 10, 1), D(2025, 12, 31), dept="D02"))
    assert list(one.departments) == ["D02"]
