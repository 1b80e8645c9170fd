"""Accounts (argon2, lockout), rectification tasks (permissions, transitions, optimistic
locking, scoping, history) and the audit log, on the data layer."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from data import accounts, audit
from data import tasks as task_store
from data.accounts import ADMIN, DEPT_USER, DISPLAY, LEADER, AccountError, Principal
from data.db import Database
from data.schema import CONTRACT, users

ADMIN_P = Principal("admin", "管理员甲", ADMIN)
LEADER_P = Principal("leader", "领导乙", LEADER)
D1 = Principal("d1", "住建用户", DEPT_USER, "D1")
D2 = Principal("d2", "交通用户", DEPT_USER, "D2")
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


def test_passwords_are_hashed_and_rules_enforced(seeded: Database) -> None:
    with seeded.session() as s:
        accounts.add_user(s, "admin", "Kx7-Harbour-Lane", ADMIN)
        with pytest.raises(AccountError, match="至少 10 位"):
            accounts.add_user(s, "x", "abc1", ADMIN)
        with pytest.raises(AccountError, match="至少两类字符"):
            accounts.add_user(s, "x", "abcdefghij", ADMIN)
        with pytest.raises(AccountError, match="必须指定所属部门"):
            accounts.add_user(s, "x", "Kx7-Harbour-Lane", DEPT_USER)
        with pytest.raises(AccountError, match="部门编码 D9 不存在"):
            accounts.add_user(s, "x", "Kx7-Harbour-Lane", DEPT_USER, dept="D9")
        with pytest.raises(AccountError, match="已存在"):
            accounts.add_user(s, "admin", "Kx7-Harbour-Lane", ADMIN)
        stored = s.execute(select(users.c.password_hash)).scalar_one()
        assert "Kx7-Harbour-Lane" not in stored and stored.startswith("$argon2")
        log = audit.entries(s)
        assert "Kx7-Harbour-Lane" not in " ".join(str(v) for v in log["detail"].tolist())


def test_sign_in_and_delay_after_five_failures(seeded: Database) -> None:
    t0 = datetime(2026, 11, 26, 9, 0)
    with seeded.session() as s:
        accounts.add_user(s, "d1", "Kx7-Harbour-Lane", DEPT_USER, dept="D1", display_name="住建用户")
    def attempt(password: str, minutes: float = 0, user: str = "d1") -> accounts.SignIn:
        with seeded.session() as s:  # each attempt in its own transaction, as the app does
            return accounts.authenticate(s, user, password, now=t0 + timedelta(minutes=minutes))

    assert attempt("Kx7-Harbour-Lane").principal == Principal("d1", "住建用户", DEPT_USER, "D1")
    for i in range(4):
        assert attempt(f"wrong{i}").message == "用户名或密码错误。"
    assert attempt("wrong5").message == "密码错误次数过多，账户已锁定，请 1 分钟后再试。"
    # delayed: even the right password is refused until the delay runs out
    assert attempt("Kx7-Harbour-Lane", minutes=0.5).message == "密码错误次数过多，账户已锁定，请 1 分钟后再试。"
    assert attempt("Kx7-Harbour-Lane", minutes=1).ok
    assert attempt("Kx7-Harbour-Lane", user="nobody").message == "用户名或密码错误。"


def test_disabled_account_cannot_sign_in_and_loses_its_session(seeded: Database) -> None:
    with seeded.session() as s:
        accounts.add_user(s, "d2", "Kx7-Harbour-Lane", DEPT_USER, dept="D2")
        accounts.set_active(s, "d2", False, actor="admin")
    with seeded.session() as s:
        assert accounts.authenticate(s, "d2", "wrong-password-1").message == "用户名或密码错误。"
        assert accounts.authenticate(s, "d2", "Kx7-Harbour-Lane").message == "该账户已停用，请联系管理员。"
    with seeded.session() as s:
        assert accounts.principal(s, "d2") is None


def _task(db: Database, actor: Principal = ADMIN_P, dept: str = "D1", ref: str | None = "短板:D1:on_time_rate") -> int:
    with db.session() as s:
        return task_store.create_task(s, actor, title="按时办结率整改", dept=dept, responsible="张三",
                                      deadline=date(2026, 12, 31), requirement="查明超期原因并整改",
                                      source_kind=task_store.SOURCE_WEAK_LINK, source_ref=ref)


def test_only_admin_or_leader_create_tasks_and_duplicates_are_refused(seeded: Database) -> None:
    task_id = _task(seeded)
    assert task_id > 0
    with pytest.raises(task_store.TaskError, match="已有未完成的整改任务"):
        _task(seeded)
    for who in (D1, SHOW):
        with pytest.raises(task_store.TaskError, match="只有管理员或领导"):
            _task(seeded, actor=who, ref=None)
    assert _task(seeded, actor=LEADER_P, dept="D2", ref=None) > task_id


def test_the_loop_department_completes_admin_returns_history_and_audit(seeded: Database) -> None:
    task_id = _task(seeded)
    with seeded.session() as s:
        v = task_store.update_task(s, D1, task_id, expected_version=1, status="整改中", progress=40, note="已排查原因")
        v = task_store.update_task(s, D1, task_id, expected_version=v, status="已完成", note="已整改")
    with seeded.session() as s:
        with pytest.raises(task_store.TaskError, match="不能将任务"):
            task_store.update_task(s, D1, task_id, expected_version=v, status="退回")
        v = task_store.update_task(s, ADMIN_P, task_id, expected_version=v, status="退回", note="材料不全")
        task_store.update_task(s, D1, task_id, expected_version=v, status="已完成", note="补充材料")
    with seeded.session() as s:
        tasks = task_store.list_tasks(s, LEADER_P, today=date(2026, 11, 26))
        history = task_store.task_history(s, LEADER_P, task_id)
        log = audit.entries(s)
    row = tasks.set_index("id").loc[task_id]
    assert (row["status"], row["progress"], row["version"], bool(row["overdue"])) == ("已完成", 100, 5, False)
    assert history["to_status"].tolist() == ["待整改", "整改中", "已完成", "退回", "已完成"]
    assert history["user_name"].tolist() == ["admin", "d1", "d1", "admin", "d1"]
    assert log["action"].tolist().count("更新整改任务") == 4
    assert "下达整改任务" in log["action"].tolist()


def test_progress_and_status_agree_100_percent_is_done_and_done_is_100_percent(seeded: Database) -> None:
    task_id = _task(seeded)
    with seeded.session() as s, pytest.raises(task_store.TaskError, match="状态应为“已完成”"):
        task_store.update_task(s, D1, task_id, expected_version=1, status="待整改", progress=100, note="试图保存")
    with seeded.session() as s:
        v = task_store.update_task(s, D1, task_id, expected_version=1, status="整改中", progress=60, note="过半")
    refused = [
        ({"status": "整改中", "progress": 100}, "状态应为“已完成”"),  # issue 13: 整改中 accepted at 100%
        ({"status": "已完成", "progress": 80}, "已完成”时进度应为 100%（填写的是 80%）"),
    ]
    for fields, message in refused:
        with seeded.session() as s, pytest.raises(task_store.TaskError, match=message):
            task_store.update_task(s, D1, task_id, expected_version=v, note="试图保存", **fields)  # type: ignore[arg-type]
    with seeded.session() as s:  # nothing of the refused saves was stored
        row = task_store.list_tasks(s, LEADER_P).set_index("id").loc[task_id]
        assert (row["status"], row["progress"], row["version"]) == ("整改中", 60, v)
        assert len(task_store.task_history(s, LEADER_P, task_id)) == 2
        v = task_store.update_task(s, D1, task_id, expected_version=v, status="已完成", progress=100, note="完成")
        v = task_store.update_task(s, ADMIN_P, task_id, expected_version=v, status="退回", note="材料不全")
    with seeded.session() as s:  # a returned task resumes below 100%, not at the 100% it was returned with
        with pytest.raises(task_store.TaskError, match="请将进度调低"):
            task_store.update_task(s, D1, task_id, expected_version=v, status="整改中", note="继续整改")
        task_store.update_task(s, D1, task_id, expected_version=v, status="整改中", progress=90, note="继续整改")
        row = task_store.list_tasks(s, LEADER_P).set_index("id").loc[task_id]
    assert (row["status"], row["progress"]) == ("整改中", 90)


def test_concurrent_edits_are_refused_not_overwritten(seeded: Database) -> None:
    task_id = _task(seeded)
    with seeded.session() as s:
        task_store.update_task(s, D1, task_id, expected_version=1, status="整改中", progress=30, note="甲的进展")
    with seeded.session() as s, pytest.raises(task_store.StaleTaskError, match="已被他人修改"):
        task_store.update_task(s, ADMIN_P, task_id, expected_version=1, status="整改中", progress=90, note="乙的进展")
    with seeded.session() as s:
        row = task_store.list_tasks(s, ADMIN_P).set_index("id").loc[task_id]
        notes = task_store.task_history(s, ADMIN_P, task_id)["note"].tolist()
    assert (row["progress"], row["version"]) == (30, 2)
    assert "乙的进展" not in notes


def test_a_department_sees_and_edits_only_its_own_tasks(seeded: Database) -> None:
    own = _task(seeded, dept="D1", ref="a")
    other = _task(seeded, dept="D2", ref="b")
    with seeded.session() as s:
        assert task_store.list_tasks(s, D1)["id"].tolist() == [own]
        assert set(task_store.list_tasks(s, LEADER_P)["id"]) == {own, other}
        with pytest.raises(task_store.TaskError, match="不存在或无权查看"):
            task_store.task_history(s, D1, other)
        with pytest.raises(task_store.TaskError, match="不存在或无权查看"):
            task_store.update_task(s, D1, other, expected_version=1, status="整改中")
        with pytest.raises(task_store.TaskError, match="不能更新"):
            task_store.update_task(s, LEADER_P, own, expected_version=1, status="整改中")


def test_overdue_is_judged_at_as_of(seeded: Database) -> None:
    task_id = _task(seeded)
    with seeded.session() as s:
        before = task_store.list_tasks(s, ADMIN_P, today=date(2026, 12, 31)).set_index("id").loc[task_id]
        after = task_store.list_tasks(s, ADMIN_P, today=date(2027, 1, 2)).set_index("id").loc[task_id]
    assert (bool(before["overdue"]), int(before["days_left"])) == (False, 0)
    assert (bool(after["overdue"]), int(after["days_left"])) == (True, -2)


def test_every_import_is_in_the_audit_log(db: Database, tmp_path: Path) -> None:
    from data.demo import write_demo_data
    from data.importer import import_files

    files = write_demo_data(tmp_path, scale=0.02)
    bad = tmp_path / "bad" / "departments.csv"
    bad.parent.mkdir()
    bad.write_text("部门编码,部门名称,部门类型\nX1,某局,不存在的类型\n", encoding="utf-8")
    with db.session() as s:
        assert import_files(s, sorted(files.values()), user="导入员").ok
    with db.session() as s:
        assert not import_files(s, [bad], user="导入员").ok
    with db.session() as s:
        log = audit.entries(s)
    imports = log[log["action"] == "数据导入"]
    assert imports["user_name"].tolist() == ["导入员", "导入员"]
    assert '"outcome": "已拒绝"' in imports.iloc[0]["detail"] and '"outcome": "成功"' in imports.iloc[1]["detail"]
