"""Settings the administrator changes through the interface (indicator floors, targets,
weights, screening settings).  Stored as JSON; validated by the caller (metrics.config) before saving."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from data import audit
from data.clock import local_now
from data.schema import settings

INDICATOR_OVERRIDES = "indicator_overrides"


def get(session: Session, key: str) -> Any | None:
    row = session.execute(select(settings.c.value).where(settings.c.key == key)).first()
    return None if row is None else json.loads(row.value)


def put(session: Session, key: str, value: Any, user: str) -> None:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    now = local_now()
    if session.execute(select(settings.c.key).where(settings.c.key == key)).first():
        session.execute(update(settings).where(settings.c.key == key).values(value=text, updated_by=user, updated_at=now))
    else:
        session.execute(insert(settings).values(key=key, value=text, updated_by=user, updated_at=now))
    audit.record(session, user, "修改设置", key, value=value)


def clear(session: Session, key: str, user: str) -> None:
    session.execute(delete(settings).where(settings.c.key == key))
    audit.record(session, user, "恢复默认设置", key)


SCREENING = "screening"
"""Key of the screening settings inside the indicator overrides (the TOML's [screening] table)."""


def put_screening(
    session: Session, values: Mapping[str, Any], user: str, validate: Callable[[dict[str, Any]], object]
) -> dict[str, Any]:
    """Merge the administrator's screening settings into the indicator overrides, have
    ``validate`` (``metrics.screening.settings.validate_overrides``; raises with a Chinese
    message) check the whole, then save and audit it in the caller's transaction."""
    current = get(session, INDICATOR_OVERRIDES) or {}
    merged = dict(current)
    merged[SCREENING] = {**(current.get(SCREENING) or {}), **dict(values)}
    validate(merged)
    put(session, INDICATOR_OVERRIDES, merged, user)
    return merged


def clear_screening(session: Session, user: str) -> None:
    """Back to the file's screening settings (the other overrides stay)."""
    current = get(session, INDICATOR_OVERRIDES) or {}
    if SCREENING not in current:
        return
    rest = {k: v for k, v in current.items() if k != SCREENING}
    if rest:
        put(session, INDICATOR_OVERRIDES, rest, user)
    else:
        clear(session, INDICATOR_OVERRIDES, user)
