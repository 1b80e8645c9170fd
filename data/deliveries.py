"""The record of every reminder sent (or attempted): what makes ``notify`` idempotent.

A delivery is one attempt to send one digest to one recipient (a contact on one channel).
``digest_key`` names the digest (``daily:2026-12-01``, ``monthly:2026-11``); the items a
successful attempt covered are not sent again under the same key, while a failed attempt's
items stay unsent and so are retried by the next run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from data.schema import deliveries
from data.urgings import local_now

SENT, FAILED = "成功", "失败"


@dataclass(frozen=True)
class Delivery:
    digest_key: str
    recipient_key: str
    contact_id: int | None
    dept_code: str | None
    channel: str
    item_keys: tuple[str, ...]
    outcome: str
    error: str | None
    attempted_at: datetime


def sent_items(session: Session, digest_key: str, recipient_key: str) -> set[str]:
    """Item keys already delivered successfully to ``recipient_key`` under ``digest_key``."""
    d = deliveries.c
    rows = session.execute(select(d.item_keys).where(d.digest_key == digest_key, d.recipient_key == recipient_key,
                                                     d.outcome == SENT))
    return {k for (text,) in rows for k in json.loads(text)}


def record(session: Session, *, digest_key: str, recipient_key: str, contact_id: int | None,
           dept_code: str | None, channel: str, item_keys: Sequence[str], ok: bool, error: str | None = None) -> None:
    session.execute(insert(deliveries).values(
        digest_key=digest_key, recipient_key=recipient_key, contact_id=contact_id, dept_code=dept_code,
        channel=channel, item_keys=json.dumps(list(item_keys), ensure_ascii=False), item_count=len(item_keys),
        outcome=SENT if ok else FAILED, error=(error or None) and error[:2000], attempted_at=local_now(),
    ))


def history(session: Session, limit: int = 500) -> list[Delivery]:
    """The newest attempts first."""
    d = deliveries.c
    rows = session.execute(select(deliveries).order_by(d.id.desc()).limit(limit))
    return [Delivery(r.digest_key, r.recipient_key, r.contact_id, r.dept_code, r.channel,
                     tuple(json.loads(r.item_keys)), r.outcome, r.error, r.attempted_at) for r in rows]
