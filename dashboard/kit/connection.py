"""The dashboard process's way to its database: one :class:`~data.db.Database` (a
connection pool) per URL, and whether the server runs on the demo data.

Both the Streamlit pages (through :mod:`dashboard.kit.cache`) and the ASGI wrapper
(:mod:`dashboard.server`) take the database from here, so that a process holds one pool.
"""

from __future__ import annotations

import os

from dashboard.kit.memo import memoized
from data.db import Database, default_url

DEMO_ENV = "MARKET_ACCESS_DEMO"


def is_demo() -> bool:
    """True when ``serve --demo`` started the server (demo sign-in, demo data)."""
    return os.environ.get(DEMO_ENV) == "1"


@memoized(16, check=False)  # a connection pool, not a result
def _database(url: str) -> Database:
    return Database(url)


def database(url: str | None = None) -> Database:
    """The database at ``url`` (default: the configured one), one per process and URL."""
    return _database(url or default_url())
