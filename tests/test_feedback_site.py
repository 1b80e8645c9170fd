"""The public feedback site over HTTP (Starlette's TestClient): validation, abuse guards,
attachments, lookup and what an attacker can and cannot reach."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from data import case_handling as ch
from data.accounts import Principal
from data.db import Database
from data.schema import CONTRACT, feedback, feedback_attachments
from feedback.app import create_app
from feedback.config import Limits, SiteConfig
from tests.fixtures.feedback import GOOD, SECRET, captcha_answer, load_departments, token_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ADMIN = Principal("admin", "管理员", "管理员")


@pytest.fixture
def db(db_url: str, tmp_path: Path) -> Iterator[Database]:
    database = Database(db_url)
    load_departments(database, tmp_path / "seed")
    yield database
    database.dispose()


def make_client(db: Database, tmp_path: Path, **limits: int) -> TestClient:
    config = SiteConfig(secret=SECRET, attachment_dir=tmp_path / "attachments", limits=Limits(**limits))  # type: ignore[arg-type]
    return TestClient(create_app(db, config), raise_server_exceptions=False)


@pytest.fixture
def client(db: Database, tmp_path: Path) -> TestClient:
    return make_client(db, tmp_path)


def case_count(db: Database) -> int:
    with db.session() as s:
        return int(s.execute(select(func.count()).select_from(CONTRACT["cases"])).scalar_one())


def post(client: TestClient, db: Database, fields: dict[str, str], *, captcha: str | None = "right",
         files: list[tuple[str, bytes]] | None = None, token: str | None = None):  # type: ignore[no-untyped-def]
    token = token or token_of(client.get("/").text)
    data = {**fields, "token": token}
    if captcha == "right":
        data["captcha"] = captcha_answer(db, token)
    elif captcha is not None:
        data["captcha"] = captcha
    upload = [("attachments", (name, content, "application/octet-stream")) for name, content in files or []]
    return client.post("/submit", data=data, files=upload or None)


def test_good_submission_becomes_a_case_and_the_code_reads_it_back(client: TestClient, db: Database) -> None:
    resp = post(client, db, GOOD)
    assert resp.status_code == 200, resp.text
    assert "反馈已受理" in resp.text
    case_id = resp.text.split('id="case-id">')[1].split("<")[0]
    code = resp.text.split('id="lookup-code">')[1].split("<")[0]
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    with db.session() as s:
        case = s.execute(select(CONTRACT["cases"]).where(CONTRACT["cases"].c.case_id == case_id)).one()
        fb = s.execute(select(feedback).where(feedback.c.case_id == case_id)).one()
    assert (case.source, case.category, case.status, case.received_date) == ("经营主体反映", "违规设置隐性壁垒", "待转办", today)
    assert case.dept_code == "JH001"  # department unknown: the convener 区发展改革局 (not JH002 区经济促进局)
    assert "另设条件" in case.summary and GOOD["reporter"] not in case.summary and GOOD["phone"] not in case.summary
    assert fb.sub_type == "另设条件" and fb.phone == GOOD["phone"] and fb.uscc == GOOD["uscc"]
    assert code not in " ".join(str(v) for v in fb) and len(code) == 12
    status = lookup(client, case_id, code)
    assert status.status_code == 200 and 'id="status">待转办<' in status.text and "尚未答复" in status.text


def test_chosen_department_is_the_responsible_unit(client: TestClient, db: Database) -> None:
    resp = post(client, db, {**GOOD, "dept_code": "JH009"})
    assert resp.status_code == 200
    with db.session() as s:
        assert s.execute(select(CONTRACT["cases"].c.dept_code)).scalar_one() == "JH009"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("reporter", "", "请填写企业或个人名称"),
    ("reporter", "某" * 101, "企业或个人名称不能超过 100 个字"),
    ("uscc", "91440704MA50001231", "统一社会信用代码不正确"),
    ("uscc", "12345", "统一社会信用代码不正确"),
    ("phone", "", "请填写联系电话"),
    ("phone", "1380013800", "联系电话格式不正确"),
    ("phone", "abc13800138000", "联系电话格式不正确"),
    ("problem_type", "", "请填写问题类型"),
    ("problem_type", "乱填的类型", "请选择问题类型"),
    ("sub_type", "", "请选择具体情形"),
    ("dept_code", "JH999", "涉及部门不在本区部门名单中"),
    ("description", "太短了", "问题描述至少 10 个字"),
    ("description", "长" * 2001, "问题描述不能超过 2000 个字"),
])
def test_each_bad_field_is_refused_in_chinese_and_nothing_stored(
    client: TestClient, db: Database, field: str, value: str, message: str
) -> None:
    resp = post(client, db, {**GOOD, field: value})
    assert resp.status_code == 400
    assert message in resp.text
    assert case_count(db) == 0


def test_sub_type_only_for_hidden_barriers(client: TestClient, db: Database) -> None:
    resp = post(client, db, {**GOOD, "problem_type": "违规审批许可准入事项", "sub_type": "另设条件"})
    assert resp.status_code == 400 and "只有“违规设置隐性壁垒”需要选择具体情形" in resp.text
    assert case_count(db) == 0
    ok = post(client, db, {**GOOD, "problem_type": "违规审批许可准入事项", "sub_type": ""})
    assert ok.status_code == 200


def test_missing_and_wrong_captcha_refused(client: TestClient, db: Database) -> None:
    missing = post(client, db, GOOD, captcha=None)
    assert missing.status_code == 400 and "请填写图中的验证码" in missing.text
    wrong = post(client, db, GOOD, captcha="ZZZZ")
    assert wrong.status_code == 400 and "验证码不正确" in wrong.text
    assert case_count(db) == 0


def test_replayed_or_forged_token_refused(client: TestClient, db: Database) -> None:
    token = token_of(client.get("/").text)
    answer = captcha_answer(db, token)
    first = client.post("/submit", data={**GOOD, "token": token, "captcha": answer})
    assert first.status_code == 200
    replay = client.post("/submit", data={**GOOD, "token": token, "captcha": answer})
    assert replay.status_code == 400 and "表单已提交过或已失效" in replay.text
    forged = client.post("/submit", data={**GOOD, "token": token[:-4] + "AAAA", "captcha": answer})
    assert forged.status_code == 400 and "表单已失效" in forged.text
    assert client.post("/submit", data=GOOD).status_code == 400  # no token at all
    assert case_count(db) == 1


def test_captcha_image_is_a_png_for_a_live_token_only(client: TestClient, db: Database) -> None:
    token = token_of(client.get("/").text)
    img = client.get(f"/captcha.png?t={token}")
    assert img.status_code == 200 and img.headers["content-type"] == "image/png" and img.content[:4] == b"\x89PNG"
    assert client.get("/captcha.png?t=forged").status_code == 404
    post(client, db, GOOD, token=token)
    assert client.get(f"/captcha.png?t={token}").status_code == 404  # used up


def test_rate_limit_per_address(db: Database, tmp_path: Path) -> None:
    client = make_client(db, tmp_path, submit_per_address=2)
    assert post(client, db, {**GOOD, "phone": "13800138001"}).status_code == 200
    assert post(client, db, {**GOOD, "phone": "13800138002"}).status_code == 200
    third = post(client, db, {**GOOD, "phone": "13800138003"})
    assert third.status_code == 429 and "操作过于频繁" in third.text
    assert case_count(db) == 2


def test_rate_limit_per_phone(db: Database, tmp_path: Path) -> None:
    client = make_client(db, tmp_path, submit_per_phone=1)
    assert post(client, db, GOOD).status_code == 200
    again = post(client, db, {**GOOD, "phone": "138 0013 8000"})  # same number, spaced
    assert again.status_code == 429 and "该联系电话今天提交的反馈已达上限" in again.text
    assert post(client, db, {**GOOD, "phone": "0750-3888888"}).status_code == 200
    assert case_count(db) == 2


def test_form_pages_rate_limited_per_address(db: Database, tmp_path: Path) -> None:
    client = make_client(db, tmp_path, forms_per_address=2)
    assert client.get("/").status_code == 200
    assert client.get("/lookup").status_code == 200
    refused = client.get("/")
    assert refused.status_code == 429 and "操作过于频繁" in refused.text and 'name="token"' not in refused.text


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def test_good_attachments_stored_outside_with_random_names(client: TestClient, db: Database, tmp_path: Path) -> None:
    resp = post(client, db, GOOD, files=[("截图.png", PNG), ("材料.pdf", PDF), ("说明.docx", _docx())])
    assert resp.status_code == 200, resp.text
    with db.session() as s:
        rows = s.execute(select(feedback_attachments).order_by(feedback_attachments.c.id)).all()
    assert [r.mime for r in rows] == ["image/png", "application/pdf",
                                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
    stored = sorted(p.name for p in (tmp_path / "attachments").iterdir())
    assert stored == sorted(r.stored_name for r in rows) and all(len(n) == 32 for n in stored)
    assert (tmp_path / "attachments" / rows[0].stored_name).read_bytes() == PNG
    assert client.get(f"/attachments/{rows[0].stored_name}").status_code == 404


@pytest.mark.parametrize(("name", "content", "message"), [
    ("大文件.pdf", PDF + b"0" * (5 * 1024 * 1024), "超过 5 MB"),
    ("伪装.pdf", b"<html><script>alert(1)</script></html>", "内容不是允许的类型"),
    ("伪装.png", b"MZ\x90\x00" + b"\x00" * 200, "内容不是允许的类型"),
    ("伪装.docx", b"PK\x03\x04" + b"\x00" * 100, "内容不是允许的类型"),
    ("空.pdf", b"", "是空文件"),
])
def test_bad_attachments_refused_and_nothing_stored(
    client: TestClient, db: Database, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    resp = post(client, db, GOOD, files=[("好的.png", PNG), (name, content)])
    assert resp.status_code == 400 and message in resp.text
    assert case_count(db) == 0
    folder = tmp_path / "attachments"
    assert not folder.exists() or not any(folder.iterdir())


def test_too_many_attachments_refused(client: TestClient, db: Database) -> None:
    resp = post(client, db, GOOD, files=[(f"{i}.png", PNG) for i in range(4)])
    assert resp.status_code == 400 and "附件最多 3 个" in resp.text
    assert case_count(db) == 0


def test_large_body_refused_before_parsing(db: Database, tmp_path: Path) -> None:
    client = make_client(db, tmp_path, max_body_bytes=100_000)
    resp = post(client, db, GOOD, files=[("a.pdf", PDF + b"0" * 200_000)])
    assert resp.status_code == 413 and "提交内容过大" in resp.text
    declared = client.post("/submit", content=b"x", headers={"content-length": "999999999",
                                                               "content-type": "application/x-www-form-urlencoded"})
    assert declared.status_code == 413
    assert case_count(db) == 0


def lookup(client: TestClient, case_id: str, code: str):  # type: ignore[no-untyped-def]
    token = token_of(client.get("/lookup").text)
    return client.post("/lookup", data={"token": token, "case_id": case_id, "code": code})


def test_another_case_is_unreadable_without_its_code(client: TestClient, db: Database) -> None:
    first = post(client, db, GOOD).text
    mine = first.split('id="case-id">')[1].split("<")[0]
    my_code = first.split('id="lookup-code">')[1].split("<")[0]
    other = post(client, db, {**GOOD, "phone": "13900139000", "description": "另一家企业反映的另一个问题的详细情况"}).text
    other_id = other.split('id="case-id">')[1].split("<")[0]
    for case_id, code in ((other_id, my_code), (other_id, ""), (other_id, "A" * 12), ("FK20250101-000001", my_code)):
        resp = lookup(client, case_id, code)
        assert resp.status_code in (400, 404)
        assert "办理状态" not in resp.text and "另一家企业" not in resp.text
    assert "受理编号或查询码不正确" in lookup(client, other_id, my_code).text
    assert 'id="status"' in lookup(client, mine, my_code.lower()).text  # codes are case-insensitive


def test_lookup_token_is_one_time_and_lookups_rate_limited(db: Database, tmp_path: Path) -> None:
    client = make_client(db, tmp_path, lookup_per_address=3)
    token = token_of(client.get("/lookup").text)
    assert client.post("/lookup", data={"token": token, "case_id": "X", "code": "Y"}).status_code == 404
    replay = client.post("/lookup", data={"token": token, "case_id": "X", "code": "Y"})
    assert replay.status_code == 400 and "表单已提交过或已失效" in replay.text
    assert lookup(client, "X", "Y").status_code == 404
    assert lookup(client, "X", "Y").status_code == 429


SCRIPT = '<script>alert("x")</script>'


def test_script_in_every_field_comes_back_escaped(client: TestClient, db: Database) -> None:
    fields = {f: SCRIPT for f in GOOD}
    resp = post(client, db, fields)
    assert resp.status_code == 400
    assert SCRIPT not in resp.text and "&lt;script&gt;" in resp.text
    ok = post(client, db, {**GOOD, "reporter": SCRIPT, "item_concerned": SCRIPT, "description": SCRIPT + "描述的足够长度文字"})
    assert ok.status_code == 200 and SCRIPT not in ok.text
    case_id = ok.text.split('id="case-id">')[1].split("<")[0]
    code = ok.text.split('id="lookup-code">')[1].split("<")[0]
    unit = Principal("zj", "住建", "部门用户", "JH001")
    with db.session() as s:
        ch.apply(s, ADMIN, ch.Transfer(case_id, "JH001", dt.date.today() + dt.timedelta(days=30)))
        ch.apply(s, unit, ch.Verify(case_id, "不属实", "经核查不属实"))
        ch.apply(s, unit, ch.ReportBack(case_id, "已核查"))
        ch.apply(s, ADMIN, ch.Close(case_id))
        ch.apply(s, ADMIN, ch.PublishReply(case_id, SCRIPT + "\n经核查，反映情况不属实。"))
    shown = lookup(client, case_id, code)
    assert 'id="status">已办结<' in shown.text and "经核查，反映情况不属实。" in shown.text
    assert SCRIPT not in shown.text and "&lt;script&gt;" in shown.text
    echoed = lookup(client, SCRIPT, "x")
    assert SCRIPT not in echoed.text and "&lt;script&gt;" in echoed.text


def test_security_headers_and_no_server_banner(client: TestClient) -> None:
    for path in ("/", "/lookup", "/nowhere"):
        h = client.get(path).headers
        assert "default-src 'self'" in h["content-security-policy"] and "frame-ancestors 'none'" in h["content-security-policy"]
        assert h["x-frame-options"] == "DENY" and h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer" and "server" not in h
    page = client.get("/").text
    assert "http://" not in page and "https://" not in page and "<script" not in page


@pytest.mark.parametrize("path", ["/_stcore/health", "/_stcore/stream", "/static/js/main.js", "/healthz",
                                  "/app", "/overview", "/?page=overview", "/..%2f..%2fetc/passwd",
                                  "/site.css/x", "/feedback-attachments/x", "/templates/form.html"])
def test_the_dashboard_and_nothing_else_is_served(client: TestClient, path: str) -> None:
    resp = client.get(path)
    if path.startswith("/?"):
        assert "stApp" not in resp.text and "streamlit" not in resp.text.lower()  # the form, nothing else
        return
    assert resp.status_code == 404 and "页面不存在" in resp.text


def test_chinese_error_pages(client: TestClient) -> None:
    assert client.get("/submit").status_code == 405 and "不支持的操作" in client.get("/submit").text
    assert client.delete("/").status_code == 405
    resp = client.get("/missing")
    assert resp.status_code == 404 and "页面不存在" in resp.text and "Not Found" not in resp.text


def test_server_error_page_is_chinese(db: Database, tmp_path: Path) -> None:
    client = make_client(db, tmp_path)
    token = token_of(client.get("/").text)
    answer = captcha_answer(db, token)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE feedback RENAME TO feedback_gone")
    resp = client.post("/submit", data={**GOOD, "token": token, "captcha": answer})
    assert resp.status_code == 500 and "系统繁忙" in resp.text and "Traceback" not in resp.text
    assert resp.headers["x-frame-options"] == "DENY"
    assert case_count(db) == 0
