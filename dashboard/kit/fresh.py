"""What the product itself writes, read as it is now: the import history and the cases made
from screening signals.

These are not engine results: they change on every import, upload or case step, so they are
kept a few seconds at most (the import history) or read on every run (the cases), and
:func:`forget` drops what is kept after a change made through the interface.
"""

from __future__ import annotations

import pandas as pd

from dashboard.kit.connection import database
from dashboard.kit.memo import memoized
from data.batches import batch_history, last_import_per_table


@memoized(64, ttl=5)
def _batches(url: str) -> pd.DataFrame:
    with database(url).session() as session:
        return batch_history(session)


def batches() -> pd.DataFrame:
    """The newest import batches (re-read every few seconds)."""
    return _batches(database().url)


@memoized(64, ttl=5)
def _last_imports(url: str) -> pd.DataFrame:
    with database(url).session() as session:
        return last_import_per_table(session)


def last_imports() -> pd.DataFrame:
    """Per table, the newest successful batch that wrote rows to it (re-read every few seconds)."""
    return _last_imports(database().url)


def signal_cases(keys: tuple[str, ...]) -> dict[str, list[tuple[str, str | None]]]:
    """The cases made from the given screening signals, per signal key (read fresh on every
    run: a case just made, or its new status, shows at once)."""
    from data.screening_cases import linked_cases

    with database().session() as session:
        return linked_cases(session, list(keys))


def forget() -> None:
    """Drop the kept import history (after an import or upload made through the interface)."""
    _batches.clear()  # type: ignore[attr-defined]
    _last_imports.clear()  # type: ignore[attr-defined]
