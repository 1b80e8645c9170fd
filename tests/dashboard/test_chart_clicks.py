"""The chart-click helper of :mod:`tests.fixtures.apptest` on a two-bar script: a click runs
the chart's own ``on_select`` callback with the clicked point, and nothing else changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.fixtures.apptest import chart_points, click_chart

SCRIPT = '''
import plotly.graph_objects as go
import streamlit as st

def picked():
    st.session_state["calls"] = st.session_state.get("calls", 0) + 1
    st.session_state["picked"] = st.session_state["bars"]["selection"]["points"][0]["customdata"]

fig = go.Figure(go.Bar(x=[3, 5], y=["甲", "乙"], orientation="h", customdata=[["A", 1], ["B", 2]]))
st.plotly_chart(fig, key="bars", on_select=picked, selection_mode="points")
st.plotly_chart(go.Figure(go.Bar(x=[1], y=["丙"], customdata=[["C"]])), key="plain")
'''


@pytest.fixture
def two_bars(tmp_path: Path) -> AppTest:
    script = tmp_path / "bars.py"
    script.write_text(SCRIPT, encoding="utf-8")
    return AppTest.from_file(str(script), default_timeout=30).run()


def test_a_click_runs_the_callback_with_the_point(two_bars: AppTest) -> None:
    assert chart_points(two_bars, "bars", "B") == [
        {"curve_number": 0, "point_number": 1, "point_index": 1, "x": 5, "y": "乙", "customdata": ["B", 2]}]
    click_chart(two_bars, "bars", "B")
    assert not two_bars.exception
    assert two_bars.session_state["picked"] == ["B", 2]
    assert two_bars.session_state["calls"] == 1
    assert two_bars.session_state["bars"]["selection"]["point_indices"] == [1]
    two_bars.run()  # a plain rerun is not another click
    assert two_bars.session_state["calls"] == 1
    click_chart(two_bars, "bars", "A", "1")
    assert two_bars.session_state["picked"] == ["A", 1]
    assert two_bars.session_state["calls"] == 2


def test_unknown_points_and_charts_without_selection_are_refused(two_bars: AppTest) -> None:
    with pytest.raises(AssertionError, match="no point with customdata"):
        click_chart(two_bars, "bars", "Z")
    with pytest.raises(AssertionError, match="takes no selection"):
        click_chart(two_bars, "plain", "C")
