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
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from data.db import Database

PG_ENV = "MARKET_ACCESS_TEST_PG"
_counter = itertools.count()


def _pg_admin_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@pytest.fixture(scope="session")
def _db_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated template: a SQLite file path, or a PostgreSQL database name."""
    admin = _pg_admin_url()
    if admin is None:
        path = tmp_path_factory.mktemp("template") / "template.db"
        db = Database(f"sqlite:///{path}")
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
    db.dispose()
    yield name
    with eng.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    eng.dispose()


@pytest.fixture
def db_url(_db_template: str, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, migrated, empty database for this test only."""
    admin = _pg_admin_url()
    if admin is None:
        path = tmp_path / "test.db"
        shutil.copyfile(_db_template, path)
        yield f"sqlite:///{path}"
        return
    name = f"ma_t_{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    eng = create_engine(admin, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_db_template}"'))
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with eng.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        eng.dispose()


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A :class:`Database` on a fresh, migrated, empty database for this test only."""
    database = Database(db_url)
    try:
        yield database
    finally:
        database.dispose()
