"""``market-access notify`` as a command on the demo data: dry run, a real run to a local
robot, a re-run that sends nothing new, and bad arguments in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest

from cli.main import main
from data.accounts import ADMIN, Principal
from data.contacts import Contact, add_contact
from data.db import Database
from data.frames import load_frames
from metrics.alerts import AlertRequest, alert_board
from metrics.engine import MetricsEngine
from tests.fixtures.notify_servers import RobotServer

ADMIN_P = Principal("admin", "管理员", ADMIN)


def test_notify_command(demo_db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = Database(demo_db_url)
    with RobotServer() as robots:
        with db.session() as s:
            engine = MetricsEngine(load_frames(s))
            board = alert_board(s, engine.data, ADMIN_P, AlertRequest(dt.date(2026, 10, 30)))
            dept = board.warnings()[0].dept_code  # a department with something red or yellow
            add_contact(s, ADMIN_P, Contact("部门联系人", dept, wecom_url=f"{robots.base}/wecom/dept"))
            add_contact(s, ADMIN_P, Contact("领导", None, wecom_url=f"{robots.base}/wecom/leader"))
        db.dispose()
        args = ["--db", demo_db_url, "notify", "--today", "2026-10-30", "--no-monthly",
                "--base-url", "https://kanban.example.gov.cn"]
        assert main([*args, "--dry-run"]) == 0
        out = capsys.readouterr().out
        assert "[演练] 领导（领导，企业微信） 【全区预警汇总】2026-10-30" in out and "（演练，未发送）" in out
        assert robots.state.hits == []

        assert main(args) == 0
        out = capsys.readouterr().out
        assert "已发送 2 份，失败 0 份" in out
        [leader] = robots.hits("/wecom/leader")
        assert "https://kanban.example.gov.cn/alerts" in leader.body["markdown"]["content"]

        assert main(args) == 0
        assert "已发送 0 份，失败 0 份，无新事项 2 份" in capsys.readouterr().out
        assert len(robots.state.hits) == 2

    assert main(["--db", demo_db_url, "notify", "--today", "2026-13-01"]) == 2
    assert "不是有效日期" in capsys.readouterr().err
    assert main(["--db", demo_db_url, "notify", "--base-url", "ftp://x", "--no-monthly", "--dry-run"]) == 2
    assert "看板地址" in capsys.readouterr().err
