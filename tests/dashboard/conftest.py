"""AppTest fixtures: the real app on a fresh copy of the demo database."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import script

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


@pytest.fixture
def app(demo_db_url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app (not yet run) on this test's own demo database, in demo mode: signed in as a
    leader; set ``app.session_state["demo_role"]`` (and ``"demo_dept"``) to act as another role."""
    monkeypatch.setenv("MARKET_ACCESS_DB", demo_db_url)
    monkeypatch.setenv("MARKET_ACCESS_DEMO", "1")
    return AppTest.from_file(str(APP), default_timeout=120)


def as_role(app: AppTest, role: str, dept: str | None = None) -> AppTest:
    """Act as ``role`` (demo mode's role switcher), e.g. 管理员 or 部门用户 with ``dept``."""
    app.session_state["demo_role"] = role
    if dept is not None:
        app.session_state["demo_dept"] = dept
    return app


def page_script(page: str) -> str:
    """The script of a page named ``process`` (or ``process.py``): ``screens/process/page.py``."""
    name = page.removesuffix(".py")
    return script("data_import" if name == "import" else name)


def open_page(app: AppTest, file: str, **query: str) -> AppTest:
    """Run the app on the page ``file`` (``process`` or ``process.py``: see :func:`page_script`)
    with the given query parameters.

    AppTest ignores ``switch_page`` before the app's first run, so a fresh app runs once
    (on its default page, with the query parameters) before switching.
    """
    for k, v in query.items():
        app.query_params[k] = v
    if not getattr(app, "_ma_started", False):
        app.run()
        app._ma_started = True  # type: ignore[attr-defined]
        for k, v in query.items():  # the first run may have normalised them
            app.query_params[k] = v
    app.switch_page(page_script(file))
    app.run()
    return app


def assert_clean(app: AppTest) -> None:
    """No exception and no error element on the page."""
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]


def frame(app: AppTest, header: str, *, unique: bool = False) -> pd.DataFrame:
    """The first table on the page that has the column ``header`` (the only one, with
    ``unique``); a styled table gives its data."""
    found = [v.data if hasattr(v, "data") else v for v in (d.value for d in app.dataframe)]
    found = [data for data in found if header in data.columns]
    assert found, f"no table with column {header}"
    assert not unique or len(found) == 1, f"{header}: {len(found)} tables"
    return found[0]


def texts(app: AppTest, kind: str) -> list[str]:
    """The texts of every element of ``kind`` (title, info, caption …) on the page."""
    return [str(e.value) for e in getattr(app, kind)]


def page_text(app: AppTest) -> str:
    """The page's prose in one string: markdown, captions, infos and warnings."""
    return "\n".join([m.value for m in app.markdown] + [c.value for c in app.caption] + [i.value for i in app.info]
                      + [w.value for w in app.warning])


def pin_today(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    """Make today (Asia/Shanghai, :func:`data.clock.today_local`) ``day`` (ISO): live work on
    the demo is judged at a known day, not the machine's."""
    from datetime import date

    from data import clock

    monkeypatch.setattr(clock, "today_local", lambda: date.fromisoformat(day))
