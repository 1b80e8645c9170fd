"""Shared fixtures.

Every test that touches a database gets its own, migrated, empty one:
- SQLite (default): a copy of a migrated template file in the test's tmp dir;
- PostgreSQL, when ``MARKET_ACCESS_TEST_PG`` holds a server URL (e.g.
  ``postgresql+psycopg://postgres@127.0.0.1:54329/postgres``): a fresh database
  created from a migrated template database.
No two tests share a database.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from data.db import Database

PG_ENV = "MARKET_ACCESS_TEST_PG"
_counter = itertools.count()


def _pg_admin_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@contextmanager
def _template(tmp_path_factory: pytest.TempPathFactory, populate: Callable[[Database], None] | None) -> Iterator[str]:
    """A migrated (and optionally populated) template: a SQLite file path or a PostgreSQL database name."""
    admin = _pg_admin_url()
    if admin is None:
        path = tmp_path_factory.mktemp("template") / "template.db"
        db = Database(f"sqlite:///{path}")
        if populate is not None:
            populate(db)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.dispose()
        yield str(path)
        return
    name = f"ma_tpl_{uuid.uuid4().hex[:10]}"
    eng = create_engine(admin, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(make_url(admin).set(database=name).render_as_string(hide_password=False))
    if populate is not None:
        populate(db)
    db.dispose()
    try:
        yield name
    finally:
        with eng.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        eng.dispose()


@contextmanager
def _copy_of(template: str, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh copy of ``template`` for one test."""
    admin = _pg_admin_url()
    if admin is None:
        path = tmp_path / f"test-{uuid.uuid4().hex[:6]}.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    name = f"ma_t_{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    eng = create_engine(admin, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with eng.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        eng.dispose()


@pytest.fixture(scope="session")
def _db_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with _template(tmp_path_factory, None) as name:
        yield name


@pytest.fixture
def db_url(_db_template: str, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, migrated, empty database for this test only."""
    with _copy_of(_db_template, tmp_path) as url:
        yield url


DEMO_SCALE = 0.25
"""Demo data scale for dashboard tests: every planted weak link, about 15,000 applications."""


def load_demo(db: Database, scale: float = DEMO_SCALE, seed: int = 2025) -> None:
    """Write the demo files and import them into ``db`` (must succeed)."""
    from data.demo import write_demo_data
    from data.importer import import_files

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_demo_data(Path(tmp), seed=seed, scale=scale)
        with db.session() as session:
            report = import_files(session, sorted(paths.values()), user="tests")
    assert report.ok, report.problems[:5]


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with _template(tmp_path_factory, load_demo) as name:
        yield name


@pytest.fixture
def demo_db_url(_demo_template: str, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh database holding the demo data (scale DEMO_SCALE) for this test only."""
    with _copy_of(_demo_template, tmp_path) as url:
        yield url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A :class:`Database` on a fresh, migrated, empty database for this test only."""
    database = Database(db_url)
    try:
        yield database
    finally:
        database.dispose()
