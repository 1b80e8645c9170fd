"""Charts of several pages and of the deck: departments against the district, monthly
trends (and the window they cover), the five dimension scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from charts.style import ACCENT, MUTED, PALETTE, PRIMARY, SELECTED, WARN, styled


def _scale(unit: str) -> float:
    return 100.0 if unit == "ratio" else 1.0


def _suffix(unit: str) -> str:
    return "%" if unit == "ratio" else ""


def department_bars(
    df: pd.DataFrame, value_col: str, *, unit: str, district: float | None, title: str,
    highlight: str | None = None, name_col: str = "dept_name", code_col: str = "dept_code",
    higher_is_better: bool = True,
) -> go.Figure:
    """Horizontal bars, one per department (customdata = code), with the district value as a
    line; the ``highlight``ed unit (the one looked at) in a colour of its own that says
    neither better nor worse (red is for what needs attention)."""
    data = df[df[value_col].notna()].copy()
    k = _scale(unit)
    data["_v"] = data[value_col].astype(float) * k
    data = data.sort_values("_v", ascending=higher_is_better)
    colors = [SELECTED if c == highlight else PRIMARY for c in data[code_col]]
    fig = go.Figure(
        go.Bar(
            x=data["_v"], y=data[name_col], orientation="h", marker_color=colors,
            customdata=data[[code_col]].to_numpy(),
            text=[f"{v:.1f}{_suffix(unit)}" for v in data["_v"]], textposition="outside", cliponaxis=False,
            hovertemplate="%{y}: %{x:.1f}" + _suffix(unit) + "<extra></extra>",
        )
    )
    if district is not None:
        fig.add_vline(x=float(district) * k, line_dash="dash", line_color=MUTED,
                      annotation_text=f"全区 {float(district) * k:.1f}{_suffix(unit)}",
                      annotation_position="top")
    fig.update_layout(showlegend=False, yaxis_title=None, xaxis_title=None, clickmode="event+select")
    return styled(fig, title=title, height=max(320, 26 * len(data) + 90))


def trend_window_start(date_from: dt.date, date_to: dt.date) -> dt.date:
    """First month of a monthly trend chart: the same month a year before ``date_to`` (so
    the chart compares the period with a year ago), or the period itself when it is about a
    year or longer."""
    if (date_to - date_from).days >= 330:
        return date_from
    return date_to.replace(year=date_to.year - 1, day=1)


def trend_lines(series: Mapping[str, pd.DataFrame], *, unit: str, title: str) -> go.Figure:
    """Monthly lines (``month``, ``value``), one per name in ``series``."""
    fig = go.Figure()
    k = _scale(unit)
    for label, df in series.items():
        y = [None if v is None or pd.isna(v) else float(v) * k for v in df["value"]]
        fig.add_trace(go.Scatter(x=df["month"], y=y, mode="lines+markers", name=label, connectgaps=False,
                                 customdata=df[["month"]].to_numpy(),
                                 hovertemplate="%{x}: %{y:.1f}" + _suffix(unit) + "<extra>" + label + "</extra>"))
    fig.update_layout(xaxis_title=None, yaxis_title=None, hovermode="x unified")
    fig.update_xaxes(type="category", tickangle=-45)
    fig.update_yaxes(ticksuffix=_suffix(unit))
    return styled(fig, title=title, height=300)


def dimension_radar(dimensions: Sequence[str], series: Mapping[str, Sequence[float | None]], *, title: str) -> go.Figure:
    """Radar of the five dimension scores (0–100) for each named series: the first (the unit
    shown) filled, the others (the benchmark, e.g. 全区) as dashed outlines in colours of their
    own, so the two read apart at a glance and in the legend."""
    fig = go.Figure()
    theta = [*dimensions, dimensions[0]]
    colors = [PRIMARY, WARN, *[c for c in PALETTE if c not in (PRIMARY, WARN)]]
    for i, (label, values) in enumerate(series.items()):
        r = [0.0 if v is None or pd.isna(v) else float(v) for v in values]
        line = {"color": colors[i % len(colors)], "width": 2 if i == 0 else 3, "dash": "solid" if i == 0 else "dash"}
        fig.add_trace(go.Scatterpolar(r=[*r, r[0]], theta=theta, name=label, line=line,
                                      fill="toself" if i == 0 else "none", opacity=0.6 if i == 0 else 1.0))
    fig.update_layout(polar={"radialaxis": {"range": [0, 100], "tickfont": {"size": 10}},
                             "domain": {"y": [0, 0.85]}},
                      legend={"y": -0.1, "yanchor": "top", "xanchor": "center", "x": 0.5})
    return styled(fig, title=title, height=400)


def dimension_bars(dimensions: Sequence[str], values: Sequence[float | None], *, title: str,
                   compare: Sequence[float | None] | None = None, compare_label: str = "全区") -> go.Figure:
    """Bars of the dimension scores, optionally with the district's as markers."""
    y = [None if v is None or pd.isna(v) else float(v) for v in values]  # pandas NA: no score
    fig = go.Figure(go.Bar(x=list(dimensions), y=y, marker_color=PRIMARY, name="得分",
                           text=["数据不足" if v is None else f"{v:.1f}" for v in y],
                           textposition="outside", cliponaxis=False))
    if compare is not None:
        fig.add_trace(go.Scatter(x=list(dimensions), y=list(compare), mode="markers", name=compare_label,
                                 marker={"symbol": "line-ew-open", "size": 30, "color": ACCENT,
                                         "line": {"width": 3}}))
    fig.update_layout(yaxis={"range": [0, 110]}, showlegend=compare is not None)
    return styled(fig, title=title, height=320)
