"""Which data and settings a dashboard process serves: the data version and the indicator
settings' key (re-read every few seconds), the data's identity, and the folder of the
results store they are kept in.

Everything kept (:mod:`dashboard.kit.cache`, the decks, the warm-ups) is kept under these,
so a new import or a changed weight is a new key, never a stale result.
"""

from __future__ import annotations

import json
from pathlib import Path

from dashboard.kit import results_store
from dashboard.kit.connection import database
from dashboard.kit.memo import memoized
from data import settings as settings_store
from data.batches import data_identity, data_version


@memoized(64, ttl=5)
def state(url: str) -> tuple[int, str]:
    """(data version, settings key): re-read every few seconds, cheap."""
    with database(url).session() as session:
        overrides = settings_store.get(session, settings_store.INDICATOR_OVERRIDES) or {}
        return data_version(session), json.dumps(overrides, sort_keys=True, ensure_ascii=False)


@memoized(8)
def _identity(url: str, v: int) -> str:
    with database(url).session() as session:
        return data_identity(session, v)


def results_folder(url: str, v: int, overrides: str) -> Path:
    """This data's and settings' folder of the results store shared by the processes."""
    return results_store.folder(url, _identity(url, v), overrides)


def current_folder(url: str | None = None) -> Path:
    """The results folder of the database's (default: the configured one's) current data
    and settings."""
    url = url or database().url
    return results_folder(url, *state(url))


def forget() -> None:
    """Read the data version and settings again at the next call (after a change made here)."""
    state.clear()  # type: ignore[attr-defined]
