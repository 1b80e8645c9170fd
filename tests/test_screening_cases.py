"""Signals turned into cases (data.screening_cases): once per open signal, in one transaction,
audited, and then counted by the indicators like any other case."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from data import audit
from data.accounts import ADMIN, DEPT_USER, DISPLAY, Principal
from data.db import Database
from data.demo import planted
from data.frames import load_frames
from data.importer import local_now
from data.schema import CONTRACT, screening_cases
from data.screening_cases import ScreeningCaseError, create_case, linked_cases, open_case
from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest
from metrics.screening.cases import case_request
from metrics.screening.model import ScreeningRequest, ScreeningResult, Signal
from metrics.screening.screener import Screener

YTD = ScreeningRequest(dt.date(2026, 1, 1), dt.date(2026, 10, 31))
ADMIN_USER = Principal("admin", "管理员", ADMIN)


@pytest.fixture
def demo(demo_db_url: str) -> tuple[Database, Screener, ScreeningResult]:
    db = Database(demo_db_url)
    with db.session() as s:
        screener = Screener(MetricsEngine(load_frames(s)))
    return db, screener, screener.screen(YTD)


def signal_of(result: ScreeningResult, kind: str) -> Signal:
    (found,) = [s for s in result.signals if s.kind == kind]
    return found


def case_rows(db: Database) -> list[tuple[object, ...]]:
    c = CONTRACT["cases"].c
    with db.session() as s:
        return [tuple(r) for r in s.execute(
            select(c.case_id, c.category, c.source, c.dept_code, c.status, c.received_date, c.summary)
            .where(c.case_id.like("SCR-%")).order_by(c.case_id)).all()]


def test_signal_becomes_one_case_and_is_refused_while_open(demo: tuple[Database, Screener, ScreeningResult]) -> None:
    db, screener, result = demo
    signal = signal_of(result, "nonlocal_rejection")
    request = case_request(screener, result, signal)
    today = local_now().date()
    with db.session() as s:
        case_id = create_case(s, ADMIN_USER, request)
    assert case_id == f"SCR-{today.year}-0001"
    ((cid, category, source, dept, status, received, summary),) = case_rows(db)
    assert (cid, category, source, dept, status, received) == (
        case_id, "违规设置隐性壁垒", "其他", planted.REJECTION_ITEM[0], "待转办", today)
    for part in ("外地主体不予受理/不予许可率偏高", planted.REJECTION_ITEM[1], signal.item_code, "区卫生健康局",
                 "2026-01-01 至 2026-10-31", f"外地主体 {signal.nonlocal_.n} 件", f"本地主体 {signal.local.n} 件",  # type: ignore[union-attr]
                 "待核实"):
        assert part in str(summary), part
    with db.session() as s:
        assert open_case(s, request.key) == (case_id, "待转办")
        entries = audit.entries(s)
    assert ((entries["action"] == "筛查线索转问题线索") & (entries["target"] == case_id)).sum() == 1

    with pytest.raises(ScreeningCaseError, match=f"已转为问题线索 {case_id}"), db.session() as s:
        create_case(s, ADMIN_USER, request)
    assert len(case_rows(db)) == 1
    with db.session() as s:
        assert s.execute(select(func.count()).select_from(screening_cases)).scalar() == 1


def test_closed_case_allows_a_new_one_and_ids_count_up(demo: tuple[Database, Screener, ScreeningResult]) -> None:
    db, screener, result = demo
    request = case_request(screener, result, signal_of(result, "nonlocal_time"))
    year = local_now().date().year
    with db.session() as s:
        first = create_case(s, ADMIN_USER, request)
    cases = CONTRACT["cases"]
    for closed in ("不属实", "已办结"):
        with db.session() as s:
            s.execute(update(cases).where(cases.c.case_id.like("SCR-%")).values(status=closed))
        with db.session() as s:
            again = create_case(s, ADMIN_USER, request)
        assert again != first
    assert [r[0] for r in case_rows(db)] == [f"SCR-{year}-0001", f"SCR-{year}-0002", f"SCR-{year}-0003"]
    with db.session() as s:
        links = linked_cases(s, [request.key])[request.key]
    assert [c for c, _ in links] == [f"SCR-{year}-0001", f"SCR-{year}-0002", f"SCR-{year}-0003"]


def test_lifted_case_names_the_dropped_basis(demo: tuple[Database, Screener, ScreeningResult]) -> None:
    db, screener, result = demo
    signal = signal_of(result, "lifted_still_approved")
    request = case_request(screener, result, signal)
    assert "国家已放开地方仍审批" in request.summary and "2025年版" in request.summary
    assert f"{signal.records} 件申请" in request.summary
    with db.session() as s:
        case_id = create_case(s, ADMIN_USER, request)
    ((_, category, _, dept, *_),) = case_rows(db)
    assert (category, dept) == ("违规设置隐性壁垒", planted.LIFTED_ITEM[0])
    assert case_id.startswith("SCR-")


def test_who_may_turn_a_signal_into_a_case(demo: tuple[Database, Screener, ScreeningResult]) -> None:
    db, screener, result = demo
    signal = signal_of(result, "nonlocal_visits")
    request = case_request(screener, result, signal)
    other = Principal("u1", "其他部门", DEPT_USER, "JH001")
    display = Principal("screen", "大屏", DISPLAY)
    for actor, message in ((other, "本部门"), (display, "展示账号")):
        with pytest.raises(ScreeningCaseError, match=message), db.session() as s:
            create_case(s, actor, request)
    assert case_rows(db) == []
    own = Principal("u2", "本部门", DEPT_USER, signal.dept_code)
    with db.session() as s:
        create_case(s, own, request)
    assert len(case_rows(db)) == 1


def test_case_flows_into_the_indicators(demo: tuple[Database, Screener, ScreeningResult]) -> None:
    db, screener, result = demo
    signal = signal_of(result, "nonlocal_suspension")
    today = local_now().date()
    month = MetricsRequest(today.replace(day=1), today)
    with db.session() as s:
        before = MetricsEngine(load_frames(s)).compute(month).departments[signal.dept_code]["case_count"]
        create_case(s, ADMIN_USER, case_request(screener, result, signal))
    with db.session() as s:
        after = MetricsEngine(load_frames(s)).compute(month).departments[signal.dept_code]["case_count"]
    assert after == (before or 0) + 1


def test_racing_creation_of_the_same_id_replaces_nothing(
    demo: tuple[Database, Screener, ScreeningResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two creations that computed the same next id: the second fails on the link's unique
    case_id and its transaction (which had already upserted the case) is rolled back."""
    import data.screening_cases as module

    db, screener, result = demo
    with db.session() as s:
        first = create_case(s, ADMIN_USER, case_request(screener, result, signal_of(result, "nonlocal_time")))
    before = case_rows(db)
    monkeypatch.setattr(module, "_next_case_id", lambda session, year: first)
    with pytest.raises(ScreeningCaseError, match="请重试"), db.session() as s:
        create_case(s, ADMIN_USER, case_request(screener, result, signal_of(result, "nonlocal_visits")))
    assert case_rows(db) == before
