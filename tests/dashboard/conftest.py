"""AppTest fixtures: the real app on a fresh copy of the demo database."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


@pytest.fixture
def app(demo_db_url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app (not yet run) on this test's own demo database."""
    monkeypatch.setenv("MARKET_ACCESS_DB", demo_db_url)
    monkeypatch.delenv("MARKET_ACCESS_DEMO", raising=False)
    return AppTest.from_file(str(APP), default_timeout=120)


def open_page(app: AppTest, file: str, **query: str) -> AppTest:
    """Run the app on ``dashboard/views/<file>`` with the given query parameters."""
    for k, v in query.items():
        app.query_params[k] = v
    app.switch_page(f"views/{file}")
    app.run()
    return app


def assert_clean(app: AppTest) -> None:
    """No exception and no error element on the page."""
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
