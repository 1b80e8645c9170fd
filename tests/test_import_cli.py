"""``market-access import`` and ``market-access info``: exit codes, stdout and stderr in Chinese."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from data.db import Database
from tests.fixtures.imports import base_rows, write_csv, write_dataset


def test_import_prints_counts_and_info_reports_them(
    db: Database, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = base_rows()
    paths = [str(p) for p in write_dataset(tmp_path, data)]
    assert main(["--db", db_url, "import", *paths, "--user", "测试员"]) == 0
    out = capsys.readouterr()
    assert "办件 (applications)：新增 3 行，替换 0 行，未变 0 行" in out.out
    assert "部门 (departments)：新增 3 行，替换 0 行，未变 0 行" in out.out
    assert "导入成功" in out.out
    assert out.err == ""

    assert main(["--db", db_url, "import", *paths]) == 0
    assert "办件 (applications)：新增 0 行，替换 0 行，未变 3 行" in capsys.readouterr().out

    assert main(["--db", db_url, "info", "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert {k: v for k, v in info.items() if k != "last_batch"} == {
        "departments": 3, "negative_list": 2, "service_items": 2, "applications": 3, "cases": 2,
        "disclosures": 1, "credit_ratings": 2, "provincial_scores": 2,
    }
    batch = info["last_batch"]
    assert batch["outcome"] == "成功" and batch["id"] == 2 and batch["time"]
    assert batch["counts"]["applications"] == {"added": 0, "replaced": 0, "unchanged": 3}
    assert [f["file"] for f in batch["files"]] == [Path(p).name for p in paths]
    assert all(len(f["sha256"]) == 64 for f in batch["files"])

    assert main(["--db", db_url, "info"]) == 0
    text = capsys.readouterr().out
    assert "办件 (applications)：3 行" in text and "最近一次导入：批次 2" in text


def test_import_rejects_bad_rows_with_every_problem_on_stderr(
    db: Database, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = base_rows()
    data["applications"][1]["accepted_at"] = "2025-03-05 08:00"
    data["applications"][2]["channel"] = "飞鸽传书"
    paths = [str(p) for p in write_dataset(tmp_path, data)]
    assert main(["--db", db_url, "import", *paths]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert "导入被拒绝：共发现 2 个问题，数据库未作任何更改。" in out.err
    assert ("文件「applications.csv」，第 3 行，列「受理时间 (accepted_at)」，值「2025-03-05 08:00」："
            "受理时间早于申请时间（2025-03-05 09:30:00）") in out.err
    assert "文件「applications.csv」，第 4 行，列「申请渠道 (channel)」，值「飞鸽传书」：不是允许的取值" in out.err

    assert main(["--db", db_url, "info", "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["applications"] == 0 and info["departments"] == 0
    assert info["last_batch"]["outcome"] == "已拒绝" and info["last_batch"]["problem_count"] == 2


def test_dry_run_and_warnings(db: Database, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{**r, "extra": "x"} for r in base_rows()["departments"]]
    from data import contract

    path = write_csv(tmp_path / "部门.csv", "departments", rows, columns=[*contract.DEPARTMENTS.column_ids, "extra"])
    assert main(["--db", db_url, "import", "--dry-run", str(path)]) == 0
    out = capsys.readouterr()
    assert "部门 (departments)：新增 3 行" in out.out and "仅校验" in out.out
    assert "警告：文件「部门.csv」，第 1 行，列「extra」：不是该表的列，已忽略" in out.err
    assert main(["--db", db_url, "info", "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["departments"] == 0 and info["last_batch"]["outcome"] == "仅校验"


def test_unreadable_file_exits_non_zero(db: Database, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db_url, "import", str(tmp_path / "nope.csv")]) == 1
    err = capsys.readouterr().err
    assert "文件「nope.csv」：文件不存在" in err


def test_info_on_empty_database(db: Database, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db_url, "info", "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["last_batch"] is None
    assert info["applications"] == 0 and len(info) == 9
