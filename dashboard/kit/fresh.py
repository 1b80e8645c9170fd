"""What the product itself writes, read as it is now: the import history and the cases made
from screening signals.

These are not engine results: they change on every import, upload or case step, so they are
kept a few seconds at most (the import history) or read on every run (the cases), and
:func:`forget` drops what is kept after a change made through the interface.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from sqlalchemy.orm import Session

from dashboard.kit.connection import database
from dashboard.kit.memo import memoized
from data.batches import batch_history, last_import_per_table


@memoized(64, ttl=5)
def _read(url: str, reader: Callable[[Session], pd.DataFrame]) -> pd.DataFrame:
    with database(url).session() as session:
        return reader(session)


def batches() -> pd.DataFrame:
    """The newest import batches (re-read every few seconds)."""
    return _read(database().url, batch_history)


def last_imports() -> pd.DataFrame:
    """Per table, the newest successful batch that wrote rows to it (re-read every few seconds)."""
    return _read(database().url, last_import_per_table)


def signal_cases(keys: tuple[str, ...]) -> dict[str, list[tuple[str, str | None]]]:
    """The cases made from the given screening signals, per signal key (read fresh on every
    run: a case just made, or its new status, shows at once)."""
    from data.screening_cases import linked_cases

    with database().session() as session:
        return linked_cases(session, list(keys))


def forget() -> None:
    """Drop the kept import history (after an import or upload made through the interface)."""
    _read.clear()  # type: ignore[attr-defined]
