"""Every page runs on the demo data without exception or error element."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import available
from tests.dashboard.conftest import assert_clean, open_page


@pytest.mark.parametrize("file", [p.file for p in available() if "领导" in p.roles])
def test_page_runs(app: AppTest, file: str) -> None:
    open_page(app, file)
    assert_clean(app)
    assert app.title, "each page has a title"


def test_empty_database_explains_itself(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.dashboard.conftest import APP

    monkeypatch.setenv("MARKET_ACCESS_DB", db_url)
    monkeypatch.setenv("MARKET_ACCESS_DEMO", "1")
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert_clean(at)
    assert any("暂无数据" in i.value for i in at.info)
