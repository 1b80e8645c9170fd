"""Imported text (a department's name) never becomes a link or an image: in chart text
(:func:`charts.style.styled`), in escaped Markdown and in label values."""

from __future__ import annotations

import re

import plotly.graph_objects as go

from charts.style import styled
from dashboard.kit.escape import escape_md
from dashboard.labels import _inert

HOSTILE = '区住房城乡建设局![图](http://evil.example/md.png)<a href="http://evil.example/">点此</a>'


def test_chart_text_holds_no_live_link_but_keeps_formatting() -> None:
    fig = go.Figure(go.Bar(x=[HOSTILE, "区教育局"], y=[1, 2], name=HOSTILE, hovertext=[f"{HOSTILE}<br>95%", "b"],
                           customdata=[[HOSTILE], ["x"]]))
    fig = styled(fig, title=f"{HOSTILE} 趋势")
    text = fig.to_json()
    assert not re.search(r"<a\b", text, re.IGNORECASE)
    assert "&lt;a href" in fig.data[0].name and fig.data[0].x[1] == "区教育局"
    assert fig.data[0].hovertext[0].endswith("<br>95%")  # formatting tags stay
    assert fig.layout.template.layout.font.family  # the template is still applied


def test_escaped_markdown_has_no_link_syntax_or_bare_url() -> None:
    out = escape_md(HOSTILE + " www.evil.example")
    assert "](" not in out and "://" not in out and "www." not in out
    assert out.replace("\\", "").replace("\u2060", "") == HOSTILE + " www.evil.example"  # shown as it is


def test_label_values_lose_link_syntax() -> None:
    out = str(_inert(HOSTILE))
    assert "](" not in out and "://" not in out
    assert _inert(3) == 3


def test_missing_values_survive_the_link_check() -> None:
    """A chart of a period without scores holds pandas' NA (无数据): making its text inert must
    not fail on it (the scorecard radar of an unscored, incomplete period)."""
    import pandas as pd
    import plotly.graph_objects as go

    from charts.style import styled

    fig = go.Figure(go.Scatterpolar(r=pd.array([50.0, None, 70.0], dtype="Float64").tolist(),
                                    theta=["办事流程", "服务渠道", "审批途径"], name="<a href='x'>区某局</a>"))
    out = styled(fig)
    assert list(out.data[0].r) == [50.0, None, 70.0]
    assert out.data[0].name == "&lt;a href='x'>区某局&lt;/a>"
