"""Shared fixtures: every test that touches a database gets its own, migrated one.

``db_url`` / ``db``: an empty database; ``demo_db_url``: one holding the demo data (scale
:data:`tests.fixtures.databases.DEMO_SCALE`).  Each is a fresh copy of a session-wide
template (see :mod:`tests.fixtures.databases`), on SQLite or, with ``MARKET_ACCESS_TEST_PG``,
on PostgreSQL.  No two tests share a database.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.kit.memo import CHECK_ENV
from data.db import Database
from data.frames import Frames, load_frames
from tests.fixtures.databases import copy_of, load_demo, template_database

# no background warm-up of the results store between tests (servers started by tests inherit
# this); the tests of the warm-up turn it on for themselves
os.environ.setdefault("MARKET_ACCESS_WARM_UP", "0")
os.environ.setdefault("MARKET_ACCESS_WARM_PAGES", "0")
# every kept result a page is handed is checked on each later hit: a page that changed one
# (shared by every session) fails its test (dashboard.kit.memo)
os.environ.setdefault(CHECK_ENV, "1")

# the run's own home: snapshots and results of PostgreSQL test databases (kept under
# $MARKET_ACCESS_HOME/cache by URL) and any default database go there and are removed after
# the run, never into the user's ~/.market-access (servers started by tests inherit it)
_HOME = tempfile.mkdtemp(prefix="ma-test-home-")
os.environ["MARKET_ACCESS_HOME"] = _HOME
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def _db_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with template_database(tmp_path_factory, None) as name:
        yield name


@pytest.fixture
def db_url(_db_template: str, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, migrated, empty database for this test only."""
    with copy_of(_db_template, tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with template_database(tmp_path_factory, load_demo) as name:
        yield name


@pytest.fixture
def demo_db_url(_demo_template: str, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh database holding the demo data for this test only."""
    with copy_of(_demo_template, tmp_path) as url:
        yield url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A :class:`Database` on a fresh, migrated, empty database for this test only."""
    database = Database(db_url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def demo_snapshot(demo_db_url: str, tmp_path: Path) -> Iterator[tuple[Database, Frames, Path]]:
    """The demo database, its frames, and the folder of the Parquet snapshot written on load."""
    db = Database(demo_db_url)
    cache = tmp_path / "snapshots"
    with db.session() as s:
        frames = load_frames(s, cache)
    (folder,) = [p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")]
    try:
        yield db, frames, folder
    finally:
        db.dispose()
