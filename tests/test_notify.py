"""``notify`` end to end against a local SMTP server and local robot webhooks.

Data: tests/fixtures/alerts.py judged at Friday 2025-10-10.  Hand-worked lights then:
D01 (区市场监督管理局): red A3, K1; yellow A1, A2, A4, K4 (A5, C1 green);
D02 (区住房和城乡建设局): red A7; yellow C2 (K2 green).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from data import deliveries, tasks
from data.accounts import ADMIN, Principal
from data.contacts import Contact, add_contact
from data.db import Database
from data.schema import deliveries as deliveries_table
from followup.notify import DRY_RUN, FAILED, NOTHING_NEW, SENT, NotifyRequest, report_deck_builder, run_notify
from followup.senders import ChannelSender, SmtpSettings
from metrics.engine import MetricsEngine
from tests.fixtures.alerts import frames, seed_departments
from tests.fixtures.notify_servers import MailServer, RobotServer, body_text

TODAY = dt.date(2025, 10, 10)
ADMIN_P = Principal("admin", "管理员", ADMIN)
BASE = "https://dash.example.gov.cn"


@pytest.fixture
def servers() -> Iterator[tuple[MailServer, RobotServer]]:
    with MailServer() as mail, RobotServer() as robots:
        robots.state.secrets["/dingtalk/d02"] = "SECd02secret"
        robots.state.secrets["/feishu/d02"] = "feishu-secret"
        yield mail, robots


@pytest.fixture
def setup(db: Database, servers: tuple[MailServer, RobotServer]) -> tuple[Database, MetricsEngine]:
    _, robots = servers
    with db.session() as s:
        seed_departments(s)
        add_contact(s, ADMIN_P, Contact("张三", "D01", email="zs@d01.gov.cn", wecom_url=f"{robots.base}/wecom/d01"))
        add_contact(s, ADMIN_P, Contact("李四", "D02", dingtalk_url=f"{robots.base}/dingtalk/d02?access_token=t2",
                                        dingtalk_secret="SECd02secret", feishu_url=f"{robots.base}/feishu/d02",
                                        feishu_secret="feishu-secret"))
        add_contact(s, ADMIN_P, Contact("王五", None, email="wang@gov.cn", wecom_url=f"{robots.base}/fail/leader"))
    return db, MetricsEngine(frames())


def _sender(mail: MailServer, http: httpx.Client) -> ChannelSender:
    return ChannelSender(SmtpSettings("127.0.0.1", mail.port, sender="notify@gov.cn"), http)


def test_notify_end_to_end(setup: tuple[Database, MetricsEngine], servers: tuple[MailServer, RobotServer]) -> None:
    db, engine = setup
    mail, robots = servers
    robots.state.failing.add("/fail/leader")
    with httpx.Client(timeout=5) as http:
        first = run_notify(db, engine, NotifyRequest(TODAY, base_url=BASE), _sender(mail, http))
    assert first.count(SENT) == 5 and first.count(FAILED) == 1

    # the department's own digest by e-mail: its red and yellow items only
    [d01_mail] = mail.to("zs@d01.gov.cn")
    assert "区市场监督管理局" in d01_mail["Subject"] and "红灯 2 项、黄灯 4 项" in d01_mail["Subject"]
    text = body_text(d01_mail)
    for item in ("A3", "K1", "A1", "A2", "A4", "K4"):
        assert f" {item}" in text
    for other in (" A5", " A7", " C1", " C2"):
        assert other not in text
    assert f"{BASE}/alerts?dept=D01" in text
    # the same digest to the department's 企业微信 robot, as markdown
    [wecom] = robots.hits("/wecom/d01")
    assert wecom.body["msgtype"] == "markdown" and "办件 A3" in wecom.body["markdown"]["content"]
    # D02 on 钉钉 (signature checked by the fake robot) and 飞书 (signed body)
    [ding] = robots.hits("/dingtalk/d02")
    assert ding.verified is True and ding.query["access_token"] == ["t2"]
    assert ding.body["msgtype"] == "markdown" and "A7" in ding.body["markdown"]["text"]
    assert "A3" not in ding.body["markdown"]["text"]
    [feishu] = robots.hits("/feishu/d02")
    assert feishu.verified is True and "C2" in feishu.body["card"]["elements"][0]["content"]
    # leaders: the district digest with both departments
    [leader_mail] = mail.to("wang@gov.cn")
    leader_text = body_text(leader_mail)
    assert "全区红灯 **3** 项，黄灯 **5** 项" in leader_text
    assert "区住房和城乡建设局" in leader_text and "A7" in leader_text and "A3" in leader_text
    assert len(robots.hits("/fail/leader")) == 1

    # re-run the same day with the leaders' robot back: only it gets its digest
    robots.state.failing.clear()
    with httpx.Client(timeout=5) as http:
        second = run_notify(db, engine, NotifyRequest(TODAY, base_url=BASE), _sender(mail, http))
    assert second.count(SENT) == 1 and second.count(NOTHING_NEW) == 5
    assert [o.recipient.channel for o in second.outcomes if o.status == SENT] == ["wecom"]
    assert len(mail.messages) == 2 and len(robots.hits("/wecom/d01")) == 1
    [_, retried] = robots.hits("/fail/leader")
    assert "全区预警汇总" in retried.body["markdown"]["content"]

    # a new red item (a task past its deadline) reaches D01 and the leaders, and only it
    with db.session() as s:
        tid = tasks.create_task(s, ADMIN_P, title="整改事项甲", dept="D01", responsible="赵六",
                                deadline=dt.date(2025, 10, 9), requirement="限期整改")
    with httpx.Client(timeout=5) as http:
        third = run_notify(db, engine, NotifyRequest(TODAY, base_url=BASE), _sender(mail, http))
    assert third.count(SENT) == 4  # D01 e-mail + 企业微信, leader e-mail + 企业微信
    d01_new = body_text(mail.to("zs@d01.gov.cn")[-1])
    assert f"整改任务 {tid}" in d01_new and " A3" not in d01_new
    with db.session() as s:
        n = s.execute(select(func.count()).select_from(deliveries_table)).scalar_one()
        failed = [d for d in deliveries.history(s) if d.outcome == deliveries.FAILED]
    assert n == 11 and len(failed) == 1 and "HTTP 500" in (failed[0].error or "")

    # the next day is a new digest: everything still red or yellow is reported again
    with httpx.Client(timeout=5) as http:
        nxt = run_notify(db, engine, NotifyRequest(dt.date(2025, 10, 11), base_url=BASE), _sender(mail, http))
    assert nxt.count(SENT) == 6


def test_dry_run_sends_and_records_nothing(setup: tuple[Database, MetricsEngine],
                                           servers: tuple[MailServer, RobotServer]) -> None:
    db, engine = setup
    mail, robots = servers
    with httpx.Client(timeout=5) as http:
        report = run_notify(db, engine, NotifyRequest(TODAY, dry_run=True, base_url=BASE), _sender(mail, http))
    assert report.count(DRY_RUN) == 6 and "办件 A3" in report.outcomes[0].text
    assert mail.messages == [] and robots.state.hits == []
    with db.session() as s:
        assert deliveries.history(s) == []


def test_a_wrong_dingtalk_secret_is_refused_and_recorded(setup: tuple[Database, MetricsEngine],
                                                        servers: tuple[MailServer, RobotServer]) -> None:
    db, engine = setup
    mail, robots = servers
    robots.state.secrets["/dingtalk/d02"] = "SECanother"
    with httpx.Client(timeout=5) as http:
        report = run_notify(db, engine, NotifyRequest(TODAY, base_url=BASE), _sender(mail, http))
    [bad] = [o for o in report.outcomes if o.status == FAILED]
    assert bad.recipient.channel == "dingtalk" and "310000" in (bad.error or "")
    assert robots.hits("/dingtalk/d02")[0].verified is False
    assert report.count(SENT) == 5  # the others went out regardless


def test_monthly_digest_attaches_the_pdf_deck_once(setup: tuple[Database, MetricsEngine],
                                                   servers: tuple[MailServer, RobotServer]) -> None:
    db, engine = setup
    mail, _ = servers
    build = report_deck_builder(db, engine)
    with httpx.Client(timeout=5) as http:
        run_notify(db, engine, NotifyRequest(TODAY, base_url=BASE), _sender(mail, http), build)
        again = run_notify(db, engine, NotifyRequest(TODAY, base_url=BASE), _sender(mail, http), build)
    monthly = [m for m in mail.to("wang@gov.cn") if "月度汇总" in m["Subject"]]
    assert len(monthly) == 1 and "2025-09" in monthly[0]["Subject"]
    [pdf] = [p for p in monthly[0].walk() if p.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == "市场准入效能评估汇报材料_2025-09.pdf"
    payload = pdf.get_payload(decode=True)
    assert isinstance(payload, bytes) and len(PdfReader(io.BytesIO(payload)).pages) > 1
    assert all(o.digest_key != "monthly:2025-09" for o in again.outcomes)
