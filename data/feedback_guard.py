"""Abuse guards of the public feedback site, kept in the database so that several
processes agree: one-time form challenges (the CSRF token's nonce and the CAPTCHA answer,
which never leaves the server) and rate limits per address and per phone.

Addresses and phone numbers are stored only as keyed hashes (HMAC with the site secret).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from data.importer import local_now
from data.schema import feedback_challenges, feedback_hits

CAPTCHA_ALPHABET = "ACDEFHJKLMNPRTUVWXY34679"  # no look-alikes (0/O, 1/I, 2/Z, 5/S, 8/B)
CAPTCHA_LENGTH = 4
CHALLENGE_TTL = dt.timedelta(minutes=30)
SUBMIT_BY_ADDRESS, SUBMIT_BY_PHONE, LOOKUP_BY_ADDRESS, FORM_BY_ADDRESS = "提交-地址", "提交-电话", "查询-地址", "表单-地址"


def _now() -> dt.datetime:
    return local_now().replace(microsecond=0)


def issue_challenge(session: Session) -> str:
    """A new one-time challenge; returns its nonce (the answer stays in the database)."""
    nonce = secrets.token_urlsafe(24)
    answer = "".join(secrets.choice(CAPTCHA_ALPHABET) for _ in range(CAPTCHA_LENGTH))
    now = _now()
    session.execute(delete(feedback_challenges).where(feedback_challenges.c.created_at < now - 2 * CHALLENGE_TTL))
    session.execute(insert(feedback_challenges).values(nonce=nonce, answer=answer, created_at=now))
    return nonce


def challenge_answer(session: Session, nonce: str) -> str | None:
    """The CAPTCHA text of an unused, unexpired challenge (to draw its image; tests read it too)."""
    c = feedback_challenges.c
    row = session.execute(select(c.answer, c.created_at, c.used_at).where(c.nonce == nonce)).first()
    if row is None or row.used_at is not None or row.created_at < _now() - CHALLENGE_TTL:
        return None
    return str(row.answer)


def consume_challenge(session: Session, nonce: str, answer: str | None, *, need_answer: bool = True) -> str | None:
    """Use up the challenge (once only, whatever the answer); None if it was unused, fresh and
    (when ``need_answer``) answered right, else the Chinese reason the form is refused."""
    c = feedback_challenges.c
    row = session.execute(select(c.answer, c.created_at).where(c.nonce == nonce)).first()
    used = session.execute(update(feedback_challenges).where(c.nonce == nonce, c.used_at.is_(None))
                           .values(used_at=_now()))
    if row is None or used.rowcount != 1:  # type: ignore[attr-defined]
        return "表单已提交过或已失效（每个表单只能提交一次），请重新填写验证码后提交。"
    if row.created_at < _now() - CHALLENGE_TTL:
        return "表单已超过 30 分钟未提交而失效，请重新提交。"
    if not need_answer:
        return None
    if answer is None or not answer.strip():
        return "请填写图中的验证码。"
    if not hmac.compare_digest(answer.strip().upper().encode(), str(row.answer).encode()):
        return "验证码不正确，请重新输入。"
    return None


def keyed(secret: bytes, value: str) -> str:
    """The keyed hash an address or phone number is stored as."""
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()


def hits(session: Session, kind: str, key_hash: str, window: dt.timedelta) -> int:
    h = feedback_hits.c
    stmt = select(func.count()).where(h.kind == kind, h.key_hash == key_hash, h.at >= _now() - window)
    return int(session.execute(stmt).scalar() or 0)


def record_hit(session: Session, kind: str, key_hash: str) -> None:
    now = _now()
    session.execute(delete(feedback_hits).where(feedback_hits.c.at < now - dt.timedelta(days=2)))
    session.execute(insert(feedback_hits).values(kind=kind, key_hash=key_hash, at=now))
