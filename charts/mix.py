"""A category mix per unit: horizontal 100% bars, one per department or street, stacked by
category (the 服务渠道 page's channels, the 审批途径 page's routes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from charts.style import PALETTE, styled


def unit_mix(df: pd.DataFrame, *, title: str, label_col: str, code_col: str, name_col: str,
             order: Sequence[str] | None = None, highlight: str | None = None,
             colors: Mapping[str, str]) -> go.Figure:
    """Horizontal 100% bars, one per unit (department or street), stacked by category; the
    units in ``order`` (top to bottom), customdata = unit code for drill-down."""
    units = list(order) if order is not None else list(dict.fromkeys(df[code_col]))
    units = [u for u in units if u in set(df[code_col])]
    names = df.drop_duplicates(code_col).set_index(code_col)[name_col]
    ticks = [f"<b>{names[u]}</b>" if u == highlight else str(names[u]) for u in units]
    fig = go.Figure()
    for i, label in enumerate(dict.fromkeys(df[label_col])):
        part = df[df[label_col] == label].set_index(code_col).reindex(units)
        fig.add_trace(go.Bar(
            y=ticks, x=part["share"] * 100, orientation="h", name=str(label),
            marker_color=colors.get(label, PALETTE[i % len(PALETTE)]),
            customdata=list(zip(units, part["count"].fillna(0).astype(int), strict=True)),
            hovertemplate="%{y} " + str(label) + "：%{x:.1f}%（%{customdata[1]} 件）<extra></extra>",
        ))
    fig.update_layout(barmode="stack", xaxis_title=None, yaxis_title=None, clickmode="event+select",
                      legend={"y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left", "traceorder": "normal"})
    fig.update_xaxes(ticksuffix="%", range=[0, 100])
    fig.update_yaxes(autorange="reversed")
    return styled(fig, title=title, height=max(320, 28 * len(units) + 130))
