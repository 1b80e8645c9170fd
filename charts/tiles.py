"""The clickable tile heatmap of the 数据质量, 负面清单落实 and 信用分类 pages.

Plotly heatmap cells send no selection event to Streamlit, so :func:`tile_heatmap` lays an
invisible marker on every cell: a click selects that marker, whose ``customdata`` (e.g.
department code and month) drives the drill-down.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from charts.style import DIVERGING_SCORE, FONT, styled

FLAG_COLOR = "#f4b6b3"  # a cell that needs attention (not published, flagged month)


def tile_heatmap(
    z: np.ndarray, *, rows: Sequence[str], cols: Sequence[str], text: Sequence[Sequence[str]],
    customdata: Sequence[Sequence[Any]], hover: Sequence[Sequence[str]], title: str,
    colorscale: Any = DIVERGING_SCORE, zmin: float = 0.0, zmax: float = 1.0,
    flags: np.ndarray | None = None, colorbar_title: str | None = None, tickformat: str | None = None,
    row_height: int = 28, flag_color: str = FLAG_COLOR, flag_text: str = "#7a0c10",
) -> go.Figure:
    """A heatmap of ``z`` (rows × cols; NaN = no value) with cell labels, an optional overlay
    colouring ``flags`` cells, and an invisible clickable marker per cell."""
    z = np.asarray(z, dtype=float)
    marked = np.zeros(z.shape, dtype=bool) if flags is None else np.asarray(flags, dtype=bool)
    base_text = [["" if marked[i, j] else text[i][j] for j in range(len(cols))] for i in range(len(rows))]
    fig = go.Figure(go.Heatmap(
        z=z, x=list(cols), y=list(rows), text=base_text, texttemplate="%{text}",
        textfont={"family": FONT, "size": 12}, colorscale=colorscale, zmin=zmin, zmax=zmax, xgap=2, ygap=2,
        hoverinfo="skip", showscale=True,
        colorbar={"title": {"text": colorbar_title or "", "side": "top"}, "thickness": 12, "len": 0.8,
                  "tickformat": tickformat or ""},
    ))
    if flags is not None and np.asarray(flags).any():
        flagged = np.asarray(flags, dtype=bool)
        marked = np.where(flagged, 1.0, np.nan)
        fig.add_trace(go.Heatmap(
            z=marked, x=list(cols), y=list(rows), texttemplate="%{text}",
            text=[[text[i][j] if flagged[i, j] else "" for j in range(len(cols))] for i in range(len(rows))],
            textfont={"family": FONT, "size": 12, "color": flag_text},
            colorscale=[[0, flag_color], [1, flag_color]], showscale=False, xgap=2, ygap=2, hoverinfo="skip",
        ))
    xs, ys, cd, hv = [], [], [], []
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            xs.append(c)
            ys.append(r)
            cd.append(list(customdata[i][j]) if isinstance(customdata[i][j], list | tuple) else [customdata[i][j]])
            hv.append(hover[i][j])
    fig.add_trace(go.Scatter(
        x=xs, y=ys, mode="markers", customdata=cd, hovertext=hv, hovertemplate="%{hovertext}<extra></extra>",
        marker={"symbol": "square", "size": max(12, row_height - 4), "opacity": 0}, showlegend=False,
    ))
    fig.update_layout(clickmode="event+select", hovermode="closest", hoverdistance=-1, dragmode=False,
                      xaxis={"type": "category", "side": "top", "showgrid": False, "tickangle": 0},
                      yaxis={"type": "category", "autorange": "reversed", "showgrid": False},
                      margin={"t": 90})
    return styled(fig, title=title, height=max(260, row_height * len(rows) + 140))
