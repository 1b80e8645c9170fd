"""Columnar snapshots: the same frames as the database, and never read for other data."""

from __future__ import annotations

from pathlib import Path

from data import contract
from data.db import Database
from data.demo import write_demo_data
from data.frames import load_frames
from data.importer import import_files
from data.snapshots import fingerprint


def _assert_same(a: object, b: object) -> None:
    for spec in contract.TABLES:
        x, y = a.table(spec.id), b.table(spec.id)  # type: ignore[attr-defined]
        assert list(x.dtypes) == list(y.dtypes), spec.id
        assert x.equals(y), spec.id


def test_snapshot_round_trip_and_invalidation(db: Database, tmp_path: Path) -> None:
    files = write_demo_data(tmp_path / "demo", scale=0.05)
    with db.session() as s:
        assert import_files(s, sorted(files.values())).ok
    cache = tmp_path / "cache"
    with db.session() as s:
        first = load_frames(s, cache)
        key = fingerprint(s)
    assert (cache / key / "complete").exists()
    with db.session() as s:
        again = load_frames(s, cache)
        plain = load_frames(s)
    _assert_same(first, again)
    _assert_same(plain, again)
    # new data: a new fingerprint, and the loaded frames show it
    more = write_demo_data(tmp_path / "more", scale=0.05, seed=7)
    with db.session() as s:
        assert import_files(s, [more["applications"]]).ok
    with db.session() as s:
        assert fingerprint(s) != key
        fresh = load_frames(s, cache)
        direct = load_frames(s)
    _assert_same(direct, fresh)
    assert len(fresh.applications) > len(first.applications)
    assert not (cache / key).exists()  # the old snapshot was dropped
