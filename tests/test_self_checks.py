"""部门自查 on the data layer: findings become cases through the importer (one batch, whole
or nothing), dated today in Asia/Shanghai unless given, and only for the user's own unit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, insert, select

from data import self_checks
from data.accounts import ADMIN, DEPT_USER, DISPLAY, Principal
from data.db import Database
from data.schema import CONTRACT
from data.self_checks import QUESTIONS, Finding, FoundCase, SelfCheckError

D1 = Principal("d1", "住建用户", DEPT_USER, "D1")
ADMIN_P = Principal("admin", "管理员甲", ADMIN)
SHOW = Principal("screen", "大屏", DISPLAY)


@pytest.fixture
def seeded(db: Database) -> Database:
    with db.session() as s:
        s.execute(insert(CONTRACT["departments"]), [
            {"dept_code": "D1", "dept_name": "区住房城乡建设局", "dept_type": "区直部门", "joint_meeting": False,
             "convener": False, "row_hash": 1},
            {"dept_code": "D2", "dept_name": "区交通运输局", "dept_type": "区直部门", "joint_meeting": False,
             "convener": False, "row_hash": 2},
        ])
    return db


def _cases(db: Database) -> list[tuple[object, ...]]:
    c = CONTRACT["cases"].c
    with db.session() as s:
        return [tuple(r) for r in s.execute(select(c.case_id, c.source, c.dept_code, c.status, c.dept_reported,
                                                   c.received_date, c.summary).order_by(c.case_id))]


def _submit(db: Database, actor: Principal, findings: list[Finding], dept: str = "D1",
            answers: tuple[bool, bool, bool] | None = None, scope_note: str = "") -> list[str]:
    """Submit ``findings``; the questions ticked are those of the findings' categories unless given."""
    if answers is None:
        found = {f.category for f in findings if f.summary.strip()}
        answers = (QUESTIONS[0].category in found, QUESTIONS[1].category in found, QUESTIONS[2].category in found)
    with db.session() as s:
        return self_checks.submit(s, actor, dept=dept, period="2026Q3", prohibited_approved=answers[0],
                                  licensed_violations=answers[1], hidden_barriers=answers[2], scope_note=scope_note,
                                  findings=findings, today=date(2026, 10, 9))


def test_findings_become_self_reported_cases(seeded: Database) -> None:
    ids = _submit(seeded, D1, [Finding("违规设置隐性壁垒", "要求外地企业在本地设立分支机构"),
                               Finding("其他", "  ")])  # an empty summary is no finding
    assert ids == ["ZC-D1-2026Q3-01"]
    assert [r[:5] for r in _cases(seeded)] == [("ZC-D1-2026Q3-01", "部门自查", "D1", "待转办", True)]
    assert str(_cases(seeded)[0][5])[:10] == "2026-10-09"
    assert _submit(seeded, D1, [Finding("其他", "第二次排查")]) == ["ZC-D1-2026Q3-02"]


def test_refusals_store_nothing(seeded: Database) -> None:
    with pytest.raises(SelfCheckError, match="只能由本部门用户"):
        _submit(seeded, D1, [Finding("其他", "代填别的部门")], dept="D2")
    with pytest.raises(SelfCheckError, match="只能由本部门用户"):
        _submit(seeded, SHOW, [Finding("其他", "大屏不能填报")])
    with pytest.raises(SelfCheckError, match="问题类别“乱填”无效"):
        _submit(seeded, ADMIN_P, [Finding("乱填", "类别不在合同中")])
    with pytest.raises(SelfCheckError, match="自查问题未能保存"):
        _submit(seeded, D1, [Finding("其他", "x" * 40000)])  # the upload guard's cell limit
    assert _cases(seeded) == []
    with seeded.session() as s:
        assert s.execute(select(func.count()).select_from(CONTRACT["cases"])).scalar() == 0


def _stored(db: Database) -> tuple[int, int]:
    with db.session() as s:
        return (s.execute(select(func.count()).select_from(CONTRACT["cases"])).scalar() or 0,
                s.execute(select(func.count()).select_from(self_checks.self_checks)).scalar() or 0)


def test_questions_match_the_first_three_categories() -> None:
    assert [q.category for q in QUESTIONS] == list(self_checks.FINDING_CATEGORIES[:3])
    assert [q.field for q in QUESTIONS] == ["prohibited_approved", "licensed_violations", "hidden_barriers"]


@pytest.mark.parametrize(("answers", "findings", "message"), [
    # a finding whose category's question is not ticked (row numbers count the blank rows too)
    ((False, False, True), [Finding("", ""), Finding("其他", ""), Finding("违规审批禁止准入事项", "为无资质企业办理")],
     "第 3 行：问题类别为“违规审批禁止准入事项”，但“是否存在违规审批市场准入负面清单禁止准入类事项”未勾选"),
    ((True, False, False), [Finding("违规审批禁止准入事项", "甲"), Finding("违规审批许可准入事项", "乙")],
     "第 2 行：问题类别为“违规审批许可准入事项”，但“是否存在违规审批许可准入类事项”未勾选"),
    ((False, False, False), [Finding("违规设置隐性壁垒", "要求本地注册")],
     "第 1 行：问题类别为“违规设置隐性壁垒”，但“是否存在违规设置市场准入隐性壁垒”未勾选"),
    # a ticked question without a finding of its category
    ((True, False, True), [Finding("违规设置隐性壁垒", "要求本地注册"), Finding("其他", "公示不及时")],
     "勾选了“是否存在违规审批市场准入负面清单禁止准入类事项”，请至少填写一条问题类别为“违规审批禁止准入事项”的问题"),
    ((False, True, False), [], "勾选了存在问题，请逐条填写发现的问题。"),
    # a summary without a category
    ((False, False, False), [Finding("其他", "甲"), Finding("", "未选类别的问题")], "第 2 行：请选择问题类别。"),
])
def test_inconsistent_findings_are_refused_and_nothing_stored(
        seeded: Database, answers: tuple[bool, bool, bool], findings: list[Finding], message: str) -> None:
    with pytest.raises(SelfCheckError, match=message):
        _submit(seeded, D1, findings, answers=answers)
    assert _stored(seeded) == (0, 0)


def test_consistent_findings_and_other_without_a_question_are_stored(seeded: Database) -> None:
    ids = _submit(seeded, D1, [Finding("违规审批许可准入事项", "未按程序审批"), Finding("其他", "公示滞后")],
                  answers=(False, True, False))
    assert ids == ["ZC-D1-2026Q3-01", "ZC-D1-2026Q3-02"]
    assert _submit(seeded, D1, [], answers=(False, False, False)) == []  # nothing found: a valid 排查
    assert _stored(seeded) == (2, 2)


def test_period_submissions_hold_answers_scope_and_findings_of_the_department_only(seeded: Database) -> None:
    _submit(seeded, D1, [Finding("违规设置隐性壁垒", "要求外地企业设立分支机构")], scope_note="全部许可事项")
    _submit(seeded, D1, [Finding("其他", "办事指南未更新")], scope_note="  ")
    _submit(seeded, ADMIN_P, [Finding("违规审批禁止准入事项", "别的部门的问题")], dept="D2")
    with seeded.session() as s:
        subs = self_checks.period_submissions(s, "D1", "2026Q3")
        assert self_checks.period_submissions(s, "D1", "2026Q2") == ()
    assert [(x.dept, x.period, x.submitted_by, x.answers, x.scope_note) for x in subs] == [
        ("D1", "2026Q3", "d1", (False, False, True), "全部许可事项"),
        ("D1", "2026Q3", "d1", (False, False, False), None),
    ]
    assert [x.findings for x in subs] == [
        (FoundCase("ZC-D1-2026Q3-01", "违规设置隐性壁垒", "要求外地企业设立分支机构"),),
        (FoundCase("ZC-D1-2026Q3-02", "其他", "办事指南未更新"),),
    ]
