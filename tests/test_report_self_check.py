"""A department's report holds its 排查 of the period: the three answers, the scope note,
the findings and the cases they became — or 未提交; the district deck has no such slide."""

from __future__ import annotations

import datetime as dt
import io

from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from charts.style import PRIMARY, WARN
from data.accounts import DEPT_USER, Principal
from data.db import Database
from data.frames import load_frames
from data.self_checks import Finding, period_submissions, submit
from metrics.engine import MetricsEngine
from metrics.periods import calendar_key
from metrics.results import MetricsRequest
from report import build_deck, pptx_bytes
from report.self_check import (
    ANSWERS_TITLE,
    FINDINGS_TITLE,
    NO_SELF_CHECK_DATA,
    NOT_A_PERIOD,
    database_source,
    with_self_check,
)
from report.slides import Deck, MessageSlide, Slide, TableSlide

Q3 = MetricsRequest(dt.date(2026, 7, 1), dt.date(2026, 9, 30))
DEPT, OTHER = "JH009", "JH010"


def _engine(db: Database) -> MetricsEngine:
    with db.session() as s:
        return MetricsEngine(load_frames(s))


def _file(db: Database, dept: str, period: str, answers: tuple[bool, bool, bool], scope: str,
          findings: list[Finding]) -> list[str]:
    with db.session() as s:
        return submit(s, Principal(f"u{dept}", "填报员", DEPT_USER, dept), dept=dept, period=period,
                      prohibited_approved=answers[0], licensed_violations=answers[1], hidden_barriers=answers[2],
                      scope_note=scope, findings=findings, today=dt.date(2026, 10, 9))


def _ours(deck: Deck) -> list[Slide]:
    return [s for s in deck.slides if s.title.startswith((ANSWERS_TITLE, FINDINGS_TITLE))]


def _rows(slide: Slide) -> list[tuple[str, ...]]:
    assert isinstance(slide, TableSlide), slide
    return list(slide.table.rows)


def _pptx_text(deck: Deck) -> str:
    prs = Presentation(io.BytesIO(pptx_bytes(deck)))
    out = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if shape.has_table:
                out.extend(c.text for row in shape.table.rows for c in row.cells)
    return "\n".join(out)


def test_department_report_holds_its_answers_and_findings(demo_db_url: str) -> None:
    db = Database(demo_db_url)
    ids = _file(db, DEPT, "2026Q3", (False, True, True), "本系统全部行政许可事项，抽查办件 30 件",
                [Finding("违规审批许可准入事项", "未按规定程序审批两件"), Finding("违规设置隐性壁垒", "要求外地企业在本地设立分支机构")])
    _file(db, DEPT, "2026Q2", (True, False, False), "上一季度", [Finding("违规审批禁止准入事项", "上一季度的问题")])
    _file(db, OTHER, "2026Q3", (True, False, False), "别的部门", [Finding("违规审批禁止准入事项", "别的部门的问题")])
    engine = _engine(db)
    deck = build_deck(engine, Q3, DEPT, self_checks=database_source(db))
    answers, findings = _ours(deck)
    assert answers.title == ANSWERS_TITLE and findings.title == FINDINGS_TITLE
    assert _rows(answers) == [
        ("本期是否存在违规审批市场准入负面清单禁止准入类事项", "否"),
        ("本期是否存在违规审批许可准入类事项", "是"),
        ("本期是否存在违规设置市场准入隐性壁垒", "是"),
        ("排查范围与方法", "本系统全部行政许可事项，抽查办件 30 件"),
        ("发现问题", "2 条"),
    ]
    assert "2026年第三季度已提交排查 1 次（2026-" in answers.summary[0] and "由 uJH009 提交" in answers.summary[0]
    assert ids == ["ZC-JH009-2026Q3-01", "ZC-JH009-2026Q3-02"]
    assert _rows(findings) == [
        ("1", "违规审批许可准入事项", "未按规定程序审批两件", "ZC-JH009-2026Q3-01"),
        ("2", "违规设置隐性壁垒", "要求外地企业在本地设立分支机构", "ZC-JH009-2026Q3-02"),
    ]
    # the slides sit after the weak links, and the PowerPoint file carries them
    titles = [s.title for s in deck.slides]
    assert titles.index(ANSWERS_TITLE) > max(i for i, t in enumerate(titles) if t.startswith("主要短板"))
    text = _pptx_text(deck)
    for needle in ("本部门排查填报情况", "本系统全部行政许可事项，抽查办件 30 件", "要求外地企业在本地设立分支机构",
                   "ZC-JH009-2026Q3-02", "违规审批许可准入事项"):
        assert needle in text
    for other in ("别的部门的问题", "上一季度的问题", "ZC-JH010"):
        assert other not in text
    # the district deck has no 排查 slide; the same submissions put in afterwards give the same slides
    assert _ours(build_deck(engine, Q3, self_checks=database_source(db))) == []
    plain = build_deck(engine, Q3, DEPT)
    assert [s.message for s in _ours(plain) if isinstance(s, MessageSlide)] == [NO_SELF_CHECK_DATA]
    with db.session() as s:
        assert _ours(with_self_check(plain, period_submissions(s, DEPT, "2026Q3"))) == [answers, findings]
    db.dispose()


def test_second_submission_adds_to_the_first(demo_db_url: str) -> None:
    db = Database(demo_db_url)
    _file(db, DEPT, "2026Q3", (False, False, True), "首次排查", [Finding("违规设置隐性壁垒", "要求本地纳税")])
    _file(db, DEPT, "2026Q3", (False, False, False), "", [Finding("其他", "办事指南未更新")])
    deck = build_deck(_engine(db), Q3, DEPT, self_checks=database_source(db))
    answers, findings = _ours(deck)
    assert [r[1] for r in _rows(answers)] == ["否", "否", "是", "首次排查", "2 条"]
    assert "已提交排查 2 次" in answers.summary[0]
    assert [r[1:] for r in _rows(findings)] == [("违规设置隐性壁垒", "要求本地纳税", "ZC-JH009-2026Q3-01"),
                                               ("其他", "办事指南未更新", "ZC-JH009-2026Q3-02")]
    db.dispose()


def test_report_radar_tells_the_department_from_the_district_by_colour(demo_db_url: str) -> None:
    db = Database(demo_db_url)
    deck = build_deck(_engine(db), Q3, DEPT)
    db.dispose()
    prs = Presentation(io.BytesIO(pptx_bytes(deck)))
    (radar,) = [sh.chart for s in prs.slides for sh in s.shapes
                if sh.has_chart and sh.chart.chart_type == XL_CHART_TYPE.RADAR_MARKERS]
    assert [(x.name, str(x.format.line.color.rgb)) for x in radar.plots[0].series] == [
        (deck.dept_name, PRIMARY.lstrip("#").upper()), ("全区", WARN.lstrip("#").upper())]


def test_nothing_submitted_says_so(demo_db_url: str) -> None:
    db = Database(demo_db_url)
    _file(db, OTHER, "2026Q3", (False, False, False), "别的部门已提交", [])
    deck = build_deck(_engine(db), Q3, DEPT, self_checks=database_source(db))
    (slide,) = _ours(deck)
    assert isinstance(slide, MessageSlide)
    assert slide.message == "未提交：2026年第三季度本部门尚未提交排查填报。"
    assert "未提交" in _pptx_text(deck) and "别的部门已提交" not in _pptx_text(deck)
    db.dispose()


def test_a_span_that_is_no_calendar_period_has_no_self_check(demo_db_url: str) -> None:
    assert calendar_key(dt.date(2026, 7, 1), dt.date(2026, 9, 30)) == "2026Q3"
    assert calendar_key(dt.date(2026, 10, 1), dt.date(2026, 10, 31)) == "2026-10"
    assert calendar_key(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == "2026"
    assert calendar_key(dt.date(2026, 7, 1), dt.date(2026, 8, 15)) is None
    db = Database(demo_db_url)
    _file(db, DEPT, "2026Q3", (False, False, False), "第三季度", [])
    deck = build_deck(_engine(db), MetricsRequest(dt.date(2026, 7, 1), dt.date(2026, 8, 15)), DEPT,
                      self_checks=database_source(db))
    db.dispose()
    assert [(type(s).__name__, getattr(s, "message", "")) for s in _ours(deck)] == [("MessageSlide", NOT_A_PERIOD)]
