"""Charts of the 隐性壁垒筛查 page: the two groups of one signal side by side (pure builders:
DataFrames in, figures out) — a box of each group's values for processing time and visits,
bars of the two shares (with n) for rejection and special procedures."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.style import ACCENT, PRIMARY, styled

GROUP_COLORS = {"外地": ACCENT, "本地": PRIMARY}
GROUPS = ("外地", "本地")


def group_values(df: pd.DataFrame, *, title: str, axis: str, statistic: str) -> go.Figure:
    """One box per group of the per-application values (``group``, ``value``), every point
    shown beside it, the group's compared statistic (中位数 / 平均数) as a marker."""
    fig = go.Figure()
    for g in GROUPS:
        values = df.loc[df["group"] == g, "value"].astype(float)
        if values.empty:
            continue
        centre = float(values.median() if statistic == "median" else values.mean())
        label = "中位数" if statistic == "median" else "平均数"
        name = f"{g}（{len(values)} 件，{label} {centre:.2f}）"  # the compared statistic under the box
        fig.add_trace(go.Box(
            y=values, name=name, marker_color=GROUP_COLORS[g], boxpoints="all", jitter=0.4,
            pointpos=-1.6, marker={"size": 4, "opacity": 0.45}, boxmean=statistic == "mean",
            hovertemplate=f"{g}：%{{y:g}}<extra></extra>",
        ))
        fig.add_trace(go.Scatter(
            x=[name], y=[centre], mode="markers", marker={"symbol": "diamond", "size": 11, "color": "#1f2933"},
            showlegend=False, hovertemplate=f"{g}{label}：{centre:.2f}<extra></extra>",
        ))
    fig.update_layout(showlegend=False, yaxis_title=axis, xaxis_title=None)
    return styled(fig, title=title, height=380)


def group_shares(df: pd.DataFrame, *, title: str, axis: str) -> go.Figure:
    """One bar per group: the share (``value``, a fraction) of its ``n`` applications."""
    rows = df.set_index("group")
    groups = [g for g in GROUPS if g in rows.index]
    shares = [float(rows.loc[g, "value"]) for g in groups]
    fig = go.Figure(go.Bar(
        x=[f"{g}（{int(rows.loc[g, 'n'])} 件）" for g in groups], y=shares,
        marker_color=[GROUP_COLORS[g] for g in groups], text=[f"{v * 100:.1f}%" for v in shares],
        textposition="outside", cliponaxis=False, hovertemplate="%{x}：%{y:.1%}<extra></extra>",
    ))
    fig.update_layout(yaxis_title=axis, xaxis_title=None, bargap=0.45)
    fig.update_yaxes(tickformat=".0%", range=[0, max([*shares, 0.01]) * 1.3])
    return styled(fig, title=title, height=380)
