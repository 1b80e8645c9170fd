"""Helpers shared by the feedback-site and case-handling tests: a small department list,
the site on a test database, and the test-only way to the CAPTCHA answer (the server-side
challenge store, not reachable over HTTP)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from itsdangerous import URLSafeTimedSerializer

from data import feedback_guard
from data.db import Database
from data.importer import import_files
from feedback.app import TOKEN_SALT

SECRET = b"test-secret-not-for-production"
DEPARTMENTS = [
    ("JH001", "区发展改革局", "区直部门", "是", "是"),
    ("JH002", "区经济促进局", "区直部门", "是", "是"),
    ("JH009", "区住房城乡建设局", "区直部门", "是", "否"),
    ("JH010", "区市场监管局", "区直部门", "是", "否"),
]
GOOD = {
    "reporter": "江门市某某建材有限公司", "uscc": "91440704MA50001230", "phone": "13800138000",
    "problem_type": "违规设置隐性壁垒", "sub_type": "另设条件", "dept_code": "", "item_concerned": "建筑工程施工许可",
    "description": "办理施工许可时被要求额外提供法律法规规定以外的证明材料。",
}


def import_csv(db: Database, directory: Path, table: str, header: list[str], rows: list[tuple[object, ...]],
               **kwargs: object):  # type: ignore[no-untyped-def]
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{table}.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    with db.session() as session:
        return import_files(session, [path], user="tests", **kwargs)  # type: ignore[arg-type]


def load_departments(db: Database, directory: Path) -> None:
    report = import_csv(db, directory, "departments", ["部门编码", "部门名称", "部门类型", "联席会议成员单位", "召集单位"],
                        DEPARTMENTS)  # type: ignore[arg-type]
    assert report.ok, report.problems


def token_of(html: str) -> str:
    m = re.search(r'name="token" value="([^"]+)"', html)
    assert m, html[:500]
    return m.group(1)


def captcha_answer(db: Database, token: str) -> str:
    nonce = URLSafeTimedSerializer(SECRET, salt=TOKEN_SALT).loads(token)
    with db.session() as session:
        answer = feedback_guard.challenge_answer(session, nonce)
    assert answer is not None
    return answer
