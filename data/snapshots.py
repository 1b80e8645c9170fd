"""Columnar snapshots of the contract tables, keyed by the data's fingerprint.

Loading a million applications row by row from SQLite costs seconds; reading the same
columns from Parquet costs a fraction of that.  A snapshot is written after a load and read
by the next process that loads the same data: the fingerprint changes with every
successful import batch (and names the database's history, not just a counter), so a
snapshot is never read for other data.  Snapshots are a cache: deleting them is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data import contract
from data.arrow_text import contiguous
from data.batches import OUTCOME_OK
from data.schema import CONTRACT, import_batches

FORMAT = "1"  # bump when the typed frame layout changes


def fingerprint(session: Session) -> str:
    """A key that changes whenever the stored contract data may have changed."""
    b = import_batches.c
    last = session.execute(
        select(b.id, b.started_at, b.finished_at).where(b.outcome == OUTCOME_OK).order_by(b.id.desc()).limit(1)
    ).first()
    counts = [int(session.execute(select(func.count()).select_from(CONTRACT[t.id])).scalar_one())
              for t in contract.TABLES]
    raw = json.dumps([FORMAT, None if last is None else [last.id, str(last.started_at), str(last.finished_at)],
                      counts])
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def read(cache_dir: Path, key: str) -> dict[str, pd.DataFrame] | None:
    """The snapshot ``key`` as typed frames, or None if there is none (or it is unreadable)."""
    return read_tables(cache_dir / key, [t.id for t in contract.TABLES])


def read_tables(folder: Path, table_ids: Iterable[str]) -> dict[str, pd.DataFrame] | None:
    """Tables ``table_ids`` of the snapshot in ``folder`` as typed frames (None if it is
    incomplete or unreadable)."""
    if not is_complete(folder):
        return None
    try:
        return {i: contiguous(pq.read_table(table_file(folder, i)).to_pandas()) for i in table_ids}
    except (OSError, pa.ArrowException):
        return None


def is_complete(folder: Path) -> bool:
    """Whether ``folder`` holds a whole snapshot (written last, after every table)."""
    return (folder / "complete").exists()


def table_file(folder: Path, table_id: str) -> Path:
    """The Parquet file of one contract table in a snapshot folder."""
    return folder / f"{table_id}.parquet"


def write(cache_dir: Path, key: str, frames: dict[str, pd.DataFrame]) -> None:
    """Store ``frames`` as snapshot ``key`` (atomically) and drop older snapshots."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=cache_dir))
        for table_id, frame in frames.items():
            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), table_file(tmp, table_id))
        (tmp / "complete").touch()
        target = cache_dir / key
        if target.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            os.replace(tmp, target)
        for old in cache_dir.iterdir():
            if old.name != key and old.is_dir() and not old.name.startswith(".tmp-"):
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        return  # a cache that cannot be written is only slower


def default_cache_dir(url: str) -> Path:
    """Where the snapshots of the database at ``url`` live: beside a SQLite file, else under
    ``$MARKET_ACCESS_HOME/cache`` by a hash of the URL."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        return Path(parsed.database + ".frames")
    home = Path(os.environ.get("MARKET_ACCESS_HOME", Path.home() / ".market-access"))
    return home / "cache" / hashlib.sha256(url.encode()).hexdigest()[:16]


def results_dir(url: str) -> Path:
    """Where results computed from the database at ``url`` are kept for every dashboard
    process (beside its snapshots, not among them: a snapshot write drops other folders)."""
    snapshots = default_cache_dir(url)
    return snapshots.with_name(snapshots.name + ".results")
