"""Public feedback (市场准入意见反馈渠道) stored as cases, and what the public may read back.

A good submission becomes a case (source 经营主体反映, category its problem type, status
待转办, received today in Asia/Shanghai, responsible unit the chosen department or else the
convener 区发展改革局) plus a feedback row with the contact details, the hash of the 查询码
and the attachments' metadata — one transaction.  The reporter reads back only the status
and, once published, the reply, with the 受理编号 and the 查询码; contact details are read
through :func:`contact`, which only the administrator and the responsible unit may call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from data import audit, feedback_files
from data.accounts import Principal
from data.case_handling import RECEIVED, STEP_RECEIVE, record_step
from data.case_rows import read_case, today_local, write_case
from data.feedback_files import Attachment
from data.feedback_form import HIDDEN, Submission
from data.importer import local_now
from data.schema import CONTRACT, feedback, feedback_attachments

SOURCE = "经营主体反映"
PUBLIC_USER = "公众反馈"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 60 bits: not guessable within any rate limit


class FeedbackError(ValueError):
    """A refused read or write; ``str(err)`` is a Chinese message."""


@dataclass(frozen=True)
class Receipt:
    """What the reporter is shown once: the 受理编号 and the 查询码 (only its hash is kept)."""

    case_id: str
    lookup_code: str
    received_date: dt.date


@dataclass(frozen=True)
class PublicStatus:
    """What the reporter may read back: nothing of any other case, no department figure."""

    case_id: str
    received_date: dt.date
    problem_type: str
    sub_type: str | None
    status: str
    reply: str | None


@dataclass(frozen=True)
class Contact:
    """The reporter's contact details (administrator and responsible unit only)."""

    case_id: str
    reporter: str
    uscc: str | None
    phone: str


def departments(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every department and street, for the form's select."""
    d = CONTRACT["departments"].c
    return [(r.dept_code, r.dept_name) for r in session.execute(select(d.dept_code, d.dept_name).order_by(d.dept_code))]


def convener(session: Session) -> str:
    """The code of the convener 区发展改革局 (the convener whose name says 发展改革, else the first)."""
    d = CONTRACT["departments"].c
    rows = session.execute(select(d.dept_code, d.dept_name).where(d.convener.is_(True)).order_by(d.dept_code)).all()
    if not rows:
        raise FeedbackError("部门数据中没有召集单位（区发展改革局），暂时无法受理，请稍后再试。")
    named = [r.dept_code for r in rows if "发展改革" in r.dept_name or "发改" in r.dept_name]
    return str(named[0] if named else rows[0].dept_code)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _new_case_id(session: Session, day: dt.date) -> str:
    for _ in range(20):
        case_id = f"FK{day:%Y%m%d}-{secrets.randbelow(10**6):06d}"
        if read_case(session, case_id) is None:
            return case_id
    raise FeedbackError("受理编号生成失败，请稍后再试。")


def _summary(s: Submission) -> str:
    kind = s.problem_type + (f"·{s.sub_type}" if s.problem_type == HIDDEN and s.sub_type else "")
    item = f"涉及事项：{s.item_concerned}。" if s.item_concerned else ""
    return f"【{SOURCE}·{kind}】{item}{s.description}"


def submit(session: Session, s: Submission, attachments: list[Attachment], attachment_dir: Path) -> Receipt:
    """Store a checked submission as a case and a feedback row (caller's transaction).

    Attachment files are written last; if anything fails they are removed again, so a
    refused or failed submission leaves no file and no row."""
    day = today_local()
    case_id = _new_case_id(session, day)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    row = {"case_id": case_id, "received_date": day, "source": SOURCE, "category": s.problem_type,
           "dept_code": s.dept_code or convener(session), "summary": _summary(s), "status": RECEIVED,
           "dept_reported": False, "key_case": False}
    write_case(session, row, user=PUBLIC_USER, protect_product_steps=True)
    session.execute(insert(feedback).values(
        case_id=case_id, submitted_at=local_now().replace(microsecond=0), reporter=s.reporter, uscc=s.uscc,
        phone=s.phone, problem_type=s.problem_type, sub_type=s.sub_type, item_concerned=s.item_concerned,
        description=s.description, lookup_hash=_hash(code), reply_published=False))
    stored: list[str] = []
    try:
        for a in attachments:
            name = feedback_files.store(attachment_dir, a)
            stored.append(name)
            session.execute(insert(feedback_attachments).values(
                case_id=case_id, stored_name=name, original_name=a.original_name, mime=a.mime,
                size=len(a.content), sha256=a.sha256))
        record_step(session, PUBLIC_USER, case_id, STEP_RECEIVE, None, RECEIVED, "经营主体通过意见反馈渠道提交")
        audit.record(session, PUBLIC_USER, "受理意见反馈", case_id, attachments=len(attachments))
        session.flush()
    except BaseException:
        feedback_files.remove(attachment_dir, stored)
        raise
    return Receipt(case_id, code, day)


def lookup(session: Session, case_id: str, code: str) -> PublicStatus | None:
    """The status of one feedback, or None when the 受理编号 and 查询码 do not match (same answer
    whether or not the number exists)."""
    f = feedback.c
    row = session.execute(select(f.lookup_hash, f.problem_type, f.sub_type, f.reply, f.reply_published)
                          .where(f.case_id == case_id.strip().upper())).first()
    given = _hash(code.strip().upper())
    if row is None:
        hmac.compare_digest(given, _hash(""))
        return None
    if not hmac.compare_digest(given, row.lookup_hash):
        return None
    case = read_case(session, case_id.strip().upper())
    assert case is not None
    return PublicStatus(case["case_id"], case["received_date"], row.problem_type, row.sub_type, case["status"],
                        row.reply if row.reply_published else None)


def contact(session: Session, actor: Principal, case_id: str) -> Contact:
    """The reporter's contact details: the administrator, or a user of the responsible unit."""
    case = read_case(session, case_id)
    allowed = case is not None and (actor.is_admin or (actor.is_department and actor.dept == case["dept_code"]))
    row = session.execute(select(feedback).where(feedback.c.case_id == case_id)).first() if allowed else None
    if row is None:
        raise FeedbackError(f"线索 {case_id} 没有可查看的反馈人联系方式（仅管理员和责任单位可见）。")
    audit.record(session, actor.username, "查看反馈人联系方式", case_id)
    return Contact(case_id, row.reporter, row.uscc, row.phone)
