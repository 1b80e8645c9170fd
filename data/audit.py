"""The audit log: who changed what, when — every change made through the interface and
every import.  Written in the same transaction as the change it records."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from data.clock import local_now
from data.schema import audit_log


def record(session: Session, user: str, action: str, target: str | None = None, **detail: Any) -> None:
    """Append one entry; ``detail`` must never hold a password or secret."""
    session.execute(
        insert(audit_log).values(
            at=local_now(), user_name=user, action=action, target=target,
            detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
        )
    )


def entries(session: Session, limit: int = 500, user: str | None = None) -> pd.DataFrame:
    """The newest entries first."""
    c = audit_log.c
    stmt = select(c.id, c.at, c.user_name, c.action, c.target, c.detail).order_by(c.id.desc()).limit(limit)
    if user is not None:
        stmt = stmt.where(c.user_name == user)
    return pd.DataFrame(session.execute(stmt).all(), columns=["id", "at", "user_name", "action", "target", "detail"])
