"""AppTest fixtures: the real app on a fresh copy of the demo database (helpers to drive it
are in :mod:`tests.fixtures.apptest`)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.fixtures.apptest import APP


@pytest.fixture
def app(demo_db_url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app (not yet run) on this test's own demo database, in demo mode: signed in as a
    leader; set ``app.session_state["demo_role"]`` (and ``"demo_dept"``) to act as another role."""
    monkeypatch.setenv("MARKET_ACCESS_DB", demo_db_url)
    monkeypatch.setenv("MARKET_ACCESS_DEMO", "1")
    return AppTest.from_file(str(APP), default_timeout=120)
