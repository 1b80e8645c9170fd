"""Every page runs on the demo data without exception or error element."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.labels import t
from dashboard.navigation import PageSpec, available
from tests.fixtures.apptest import as_role, assert_clean, open_page


@pytest.mark.parametrize("spec", [p for p in available() if "领导" in p.roles], ids=lambda p: p.page)
def test_page_runs(app: AppTest, spec: PageSpec) -> None:
    open_page(app, spec.page)
    assert_clean(app)
    assert app.title, "each page has a title"
    if spec.page != "present":  # the presentation page's title is the slide's
        assert app.title[0].value.startswith(t(f"nav.{spec.label}")), app.title[0].value


@pytest.mark.parametrize("spec", [p for p in available() if "管理员" in p.roles and "领导" not in p.roles],
                         ids=lambda p: p.page)
def test_admin_page_runs(app: AppTest, spec: PageSpec) -> None:
    as_role(app, "管理员")
    open_page(app, spec.page)
    assert_clean(app)
    assert app.title[0].value.startswith(t(f"nav.{spec.label}")), app.title[0].value


NEEDS_DATA = {"overview.py", "process.py", "channels.py", "routes.py", "present.py", "scorecard.py",
              "weak_links.py", "cases.py", "ledger.py", "negative_list.py", "credit.py", "self_check.py",
              "data_quality.py"}


@pytest.mark.parametrize("file", sorted(NEEDS_DATA))
def test_empty_database_explains_itself(db_url: str, monkeypatch: pytest.MonkeyPatch, file: str) -> None:
    from tests.fixtures.apptest import APP

    monkeypatch.setenv("MARKET_ACCESS_DB", db_url)
    monkeypatch.setenv("MARKET_ACCESS_DEMO", "1")
    at = open_page(AppTest.from_file(str(APP), default_timeout=60), file)
    assert_clean(at)
    assert any("暂无数据" in i.value for i in at.info), file
    assert not at.title and not at.metric, "nothing is drawn from no data"
