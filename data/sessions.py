"""Server-side sign-in sessions: a random token per sign-in, only its hash stored.

The dashboard keeps the token in an HttpOnly cookie (never in a URL) and checks it on every
run through :func:`data.accounts.resume`; the Streamlit session id is no longer what signs a
browser in.  A session ends after IDLE without activity, at EXPIRES after sign-in
(absolute), at sign-out (:func:`revoke`), and for every session of a user at once when the
password is reset or the account disabled (:func:`revoke_all`, called by
:mod:`data.accounts` in the same transaction).  Rows are kept for KEEP after they were
created (the known-address rule of :mod:`data.throttle`), then purged.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from data.schema import auth_sessions, users

IDLE = timedelta(hours=2)
EXPIRES = timedelta(hours=12)
KEEP = timedelta(days=30)
TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often
TOKEN_BYTES = 32
ADDRESS_LENGTH = 64


def token_hash(token: str) -> str:
    """What is stored for ``token``: its SHA-256 (a token has 256 random bits, no salt needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LiveSession:
    """A valid session: whose it is and until when."""

    user_id: int
    username: str
    created_at: datetime
    expires_at: datetime


def create(session: Session, user_id: int, now: datetime, address: str | None = None) -> str:
    """A new session for ``user_id``; returns the token (shown once, to be put in the cookie)."""
    session.execute(delete(auth_sessions).where(auth_sessions.c.created_at < now - KEEP))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.execute(insert(auth_sessions).values(
        token_hash=token_hash(token), user_id=user_id, created_at=now, last_seen_at=now,
        expires_at=now + EXPIRES, address=(address or None) and address[:ADDRESS_LENGTH]))
    return token


def validate(session: Session, token: str | None, now: datetime) -> LiveSession | None:
    """The live session of ``token`` at ``now`` (touching its last activity), or None when the
    token is unknown, revoked, idle for longer than IDLE or past its absolute expiry."""
    if not token or len(token) > 256:
        return None
    s, u = auth_sessions.c, users.c
    row = session.execute(
        select(s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at, u.username)
        .join(users, users.c.id == s.user_id).where(s.token_hash == token_hash(token))
    ).first()
    if row is None or row.revoked_at is not None or now >= row.expires_at or now - row.last_seen_at > IDLE:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        session.execute(update(auth_sessions).where(s.id == row.id).values(last_seen_at=now))
    return LiveSession(row.user_id, row.username, row.created_at, row.expires_at)


def revoke(session: Session, token: str | None, now: datetime) -> str | None:
    """End the session of ``token`` (sign-out); returns its user name, None if there was none."""
    if not token:
        return None
    s = auth_sessions.c
    row = session.execute(select(s.id, users.c.username).join(users, users.c.id == s.user_id)
                          .where(s.token_hash == token_hash(token), s.revoked_at.is_(None))).first()
    if row is None:
        return None
    session.execute(update(auth_sessions).where(s.id == row.id).values(revoked_at=now))
    return str(row.username)


def revoke_all(session: Session, user_id: int, now: datetime) -> int:
    """End every live session of ``user_id``; returns how many were ended."""
    s = auth_sessions.c
    res = session.execute(update(auth_sessions).where(s.user_id == user_id, s.revoked_at.is_(None))
                          .values(revoked_at=now))
    return int(res.rowcount or 0)  # type: ignore[attr-defined]


def known_address(session: Session, user_id: int, address: str | None, now: datetime) -> bool:
    """Whether ``user_id`` signed in from ``address`` within KEEP (the throttle's trusted path)."""
    if not address:
        return False
    s = auth_sessions.c
    return session.execute(select(s.id).where(
        s.user_id == user_id, s.address == address[:ADDRESS_LENGTH], s.created_at >= now - KEEP).limit(1)
    ).first() is not None
