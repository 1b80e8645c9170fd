"""Issue 13's wrong answers below the dashboard: key-case deadlines and tasks judged at
today, 数据截至 per table and department, an incomplete period left unscored, the negative
list's channel completeness, 上期/同比 named in the deck.  Hand-worked values on the cases of
tests.test_views_cases (data ending 2025-10-20) and on the demo (ending 2026-10-30)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from data import clock
from data import tasks as task_store
from data.accounts import ADMIN, Principal
from data.db import Database
from data.frames import frames_from, load_frames
from metrics.coverage import coverage, data_end
from metrics.engine import MetricsEngine
from metrics.periods import span_label
from metrics.results import MetricsRequest
from metrics.views import ledger as lv
from metrics.views import negative_list as nl
from report.deck import build_deck
from report.slides import HeadlineSlide, MessageSlide, TableSlide
from report.tasks import database_source
from tests.fixtures.small_data import P, case_tables

D = dt.date
Q3 = MetricsRequest(D(2026, 7, 1), D(2026, 9, 30))


@pytest.fixture(scope="module")
def cases_engine() -> MetricsEngine:
    return MetricsEngine(frames_from(case_tables()))


@pytest.fixture(scope="module")
def demo(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, MetricsEngine]]:
    """(database URL, engine) on a demo database of this module's own."""
    from tests.fixtures.databases import copy_of

    with copy_of(_demo_template, tmp_path_factory.mktemp("trust")) as url:
        db = Database(url)
        with db.session() as session:
            frames = load_frames(session)
        db.dispose()
        yield url, MetricsEngine(frames)


# ---------------------------------------------------------------- 1. live work at today


def test_key_case_deadlines_judged_at_today(cases_engine: MetricsEngine) -> None:
    at_as_of = lv.key_cases(cases_engine, P)
    today = lv.key_cases(cases_engine, P, D(2025, 11, 10))
    assert set(today["case_id"]) == set(at_as_of["case_id"]) == {"C4", "C6", "C1", "C5"}  # the period's cases
    r = {x["case_id"]: x for x in today.to_dict("records")}
    assert r["C4"]["days_overdue"] == 11  # 11-10 − 10-30 (1 at as_of 10-31)
    assert r["C1"]["days_left"] == 4 and r["C1"]["due_soon"]  # 11-14 − 11-10
    assert r["C5"]["days_left"] == 51  # 12-31 − 11-10
    later = lv.ledger_counts(cases_engine, P, D(2025, 11, 30))
    # C1 rectified 11-20, after its 11-14 deadline: done late by 11-30; C5 due in 31 days: not yet 临期
    assert later == {"total": 4, "overdue": 1, "due_soon": 0, "rectified": 2, "late_done": 1}
    assert cases_engine.compute(P).district["key_overdue_count"] == 1  # the indicator stays at as_of


def test_open_tasks_of_the_deck_are_judged_at_today(demo: tuple[str, MetricsEngine]) -> None:
    db = Database(demo[0])
    try:
        with db.session() as s:
            task_store.create_task(s, Principal("admin", "管理员", ADMIN), title="压缩审查时限", dept="JH009",
                                   responsible="张三", deadline=clock.today_local() - dt.timedelta(days=2),
                                   requirement="审查环节压缩至3个工作日")
        frame = database_source(db)(Q3, "JH009")  # a past period: the task is still overdue today
    finally:
        db.dispose()
    assert frame is not None and frame["overdue"].tolist() == [True]


def test_list_tasks_defaults_to_today_in_shanghai(demo: tuple[str, MetricsEngine],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(demo[0])
    try:
        with db.session() as s:
            task_id = task_store.create_task(s, Principal("admin", "管理员", ADMIN), title="清理隐性壁垒", dept="JH012",
                                             responsible="何志强", deadline=D(2026, 10, 30), requirement="清理")
        monkeypatch.setattr(clock, "today_local", lambda: D(2026, 12, 1))
        with db.session() as s:
            row = task_store.list_tasks(s, Principal("admin", "管理员", ADMIN)).set_index("id").loc[task_id]
    finally:
        db.dispose()
    assert int(row["days_left"]) == -32 and bool(row["overdue"])


# ---------------------------------------------------------------- 2. 数据截至, 数据不完整


def test_coverage_per_table_and_department() -> None:
    frames = frames_from(case_tables())
    cov = coverage(frames)
    by = {(tc.table, tc.column): tc for tc in cov.tables}
    assert cov.end == data_end(frames) == D(2025, 10, 20)  # C5, the latest case received
    assert by[("cases", "received_date")].latest == D(2025, 10, 20)
    assert by[("cases", "received_date")].departments == (("D2", D(2025, 10, 15)),)  # D1 is at the end
    assert by[("applications", "submitted_at")].latest is None
    assert cov.incomplete(D(2025, 10, 31)) and not cov.incomplete(D(2025, 10, 20))


def test_a_case_received_today_does_not_complete_a_month_without_applications() -> None:
    """Cases are live work (public feedback, screening signals): with applications in the
    data, they alone bound it, so a case received after the last application leaves the
    month after it incomplete; without applications the cases bound the data."""
    import pandas as pd

    tables = case_tables()
    apps = pd.DataFrame({
        "app_id": ["A1", "A2"], "item_code": ["I1", "I1"], "channel": ["网上办理", "窗口办理"],
        "route": ["承诺件", "承诺件"], "submitted_at": ["2025-10-08 09:00", "2025-10-09 09:00"],
        "accepted_at": ["2025-10-08 10:00", "2025-10-09 10:00"], "completed_at": ["2025-10-10 16:00", None],
        "status": ["已办结", "在办"],
    })
    items = pd.DataFrame({"item_code": ["I1"], "item_name": ["事项一"], "dept_code": ["D1"], "item_type": ["行政许可"],
                          "legal_limit_days": [20], "promised_limit_days": [10]})
    with_apps = frames_from({**tables, "service_items": items, "applications": apps})
    assert data_end(with_apps) == D(2025, 10, 10)  # the latest application, not C5 received 10-20
    assert coverage(with_apps).incomplete(D(2025, 10, 31))
    assert data_end(frames_from(tables)) == D(2025, 10, 20)  # cases only: they bound the data


def test_an_incomplete_period_is_not_scored_unless_asked(cases_engine: MetricsEngine) -> None:
    asked = cases_engine.compute(P)  # the engine's default scores every period (the CLI's output)
    assert asked.incomplete and asked.scored and asked.data_end == D(2025, 10, 20)
    assert any(w.reason == "重点督办逾期" for w in asked.weak_links)
    plain = cases_engine.compute(replace(P, score_incomplete=False))
    assert plain.incomplete and not plain.scored and plain.weak_links == ()
    assert all(s.composite is None and set(s.dimensions.values()) == {None} for s in plain.scores.values())
    assert plain.district == asked.district  # the values stay, only the scoring is withheld
    complete = cases_engine.compute(MetricsRequest(D(2025, 10, 1), D(2025, 10, 20), score_incomplete=False))
    assert not complete.incomplete and complete.scored


def test_a_department_engine_shares_the_district_data_end(demo: tuple[str, MetricsEngine]) -> None:
    from metrics.access import restrict_frames

    full = demo[1]
    own = MetricsEngine(restrict_frames(full.frames, "JH010"), full.config, data_end=full.data_end)
    assert full.data_end == D(2026, 10, 30) and own.data_end == full.data_end


def test_the_deck_obeys_the_incomplete_flag(demo: tuple[str, MetricsEngine]) -> None:
    october = MetricsRequest(D(2026, 10, 1), D(2026, 10, 31), score_incomplete=False)
    deck = build_deck(demo[1], october, today=D(2026, 12, 1))
    headline = next(s for s in deck.slides if isinstance(s, HeadlineSlide))
    assert any("数据不完整" in line and "2026-10-30" in line for line in headline.summary)
    links = [s for s in deck.slides if s.title.startswith("主要短板")]
    assert links and all(isinstance(s, MessageSlide) or not s.table.rows for s in links)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- 4. channel completeness


def test_departments_on_all_channels_agree_with_the_gaps(demo: tuple[str, MetricsEngine]) -> None:
    engine = demo[1]
    full = nl.channel_completeness(engine, Q3.date_to)
    summary = nl.publication_summary(engine, Q3.date_to)
    gaps = summary[summary["nl_channels"] < 3]
    assert full == {"all_channels": 19 - len(gaps), "departments": 19, "gaps": len(gaps)}
    assert {"JH016", "JH006", "JH018"} <= set(gaps["dept_code"])  # planted: not on every channel
    assert engine.compute(Q3).district["channel_coverage"] == 1.0  # pooled: why the card says so


# ---------------------------------------------------------------- 6. 上期 and 同比 named


def test_span_labels() -> None:
    assert span_label(D(2026, 4, 1), D(2026, 6, 30)) == "2026年第二季度"
    assert span_label(D(2025, 7, 1), D(2025, 9, 30)) == "2025年第三季度"
    assert span_label(D(2026, 7, 1), D(2026, 8, 15)) == "2026-07-01 至 2026-08-15"


def test_deck_headlines_name_previous_and_year_ago(demo: tuple[str, MetricsEngine]) -> None:
    engine = demo[1]
    deck = build_deck(engine, Q3, today=D(2026, 11, 15))
    headline = next(s for s in deck.slides if isinstance(s, HeadlineSlide))
    assert "较上期（2026年第二季度）、同比（2025年第三季度）" in headline.summary[0]
    ya = engine.year_ago(Q3)
    on_time = next(h for h in headline.headlines if h.indicator == "on_time_rate")
    diff = (engine.compute(Q3).district["on_time_rate"] - ya.district["on_time_rate"]) * 100
    assert on_time.compare.endswith(f"同比 {diff:+.1f}个百分点")
    links = next(s for s in deck.slides if isinstance(s, TableSlide) and s.title.startswith("主要短板"))
    assert "较上期（2026年第二季度）下降15分及以上" in " ".join(links.summary)
    ledger = next(s for s in deck.slides if isinstance(s, TableSlide) and s.title.startswith("督查督办台账"))
    assert "状态按今天 2026-11-15 判定" in " ".join(ledger.summary)
    row = next(r for r in ledger.table.rows if r[0] == "区应急管理局")
    assert row[4] == "2026-08-31" and row[5] == "逾期76天未整改"  # 11-15 − 08-31, not 30 days at as_of


def test_report_command_leaves_an_incomplete_period_unscored(demo: tuple[str, MetricsEngine],
                                                             tmp_path: Path) -> None:
    from pptx import Presentation

    from cli.main import main

    out = tmp_path / "十月.pptx"
    assert main(["--db", demo[0], "report", "--from", "2026-10-01", "--to", "2026-10-31", "--dept", "JH009",
                 "--out", str(out)]) == 0
    text = " ".join(shape.text_frame.text for slide in Presentation(str(out)).slides for shape in slide.shapes
                    if shape.has_text_frame)
    assert "数据不完整：未评分、未列短板" in text and "2026-10-30" in text
