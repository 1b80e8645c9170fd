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
from data.self_checks import Finding, SelfCheckError

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


def _submit(db: Database, actor: Principal, findings: list[Finding], dept: str = "D1") -> list[str]:
    with db.session() as s:
        return self_checks.submit(s, actor, dept=dept, period="2026Q3", prohibited_approved=False,
                                  licensed_violations=False, hidden_barriers=bool(findings), scope_note="",
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
