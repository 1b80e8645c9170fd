"""Charts of the 数据质量 page, and the clickable tile heatmap the special pages share.

Plotly heatmap cells send no selection event to Streamlit, so :func:`tile_heatmap` lays an
invisible marker on every cell: a click selects that marker, whose ``customdata`` (e.g.
department code and month) drives the drill-down.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.style import ACCENT, DIVERGING_SCORE, FONT, styled

FLAG_COLOR = "#f4b6b3"  # a cell that needs attention (not published, flagged month)
MISSING_TEXT = "—"
RATIO_SCALE = [[0.0, "#f4b183"], [0.5, "#fbfbf7"], [1.0, "#8fb3de"]]


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


def _pct(v: float | None) -> str:
    return MISSING_TEXT if v is None or pd.isna(v) else f"{float(v) * 100:.0f}%"


def _matrix(df: pd.DataFrame, value: str, rows: list[str], cols: list[str], row_col: str = "dept_code",
            col_col: str = "month") -> np.ndarray:
    wide = df.pivot_table(index=row_col, columns=col_col, values=value, aggfunc="first", dropna=False)
    wide = wide.reindex(index=rows, columns=cols)
    return wide.to_numpy(dtype=float, na_value=np.nan)


def completeness_heatmap(df: pd.DataFrame, *, title: str) -> go.Figure:
    """Departments × months, the share of completed applications with the field present."""
    codes = list(dict.fromkeys(df["dept_code"]))
    names = dict(zip(df["dept_code"], df["dept_name"], strict=False))
    months = list(dict.fromkeys(df["month"]))
    z = _matrix(df, "dq_share", codes, months)
    n = _matrix(df, "completed", codes, months)
    text = [[_pct(None if np.isnan(v) else v) for v in row] for row in z]
    hover = [[f"{names[c]} · {m}<br>完整率 {_pct(None if np.isnan(z[i, j]) else z[i, j])}"
              f"（办结 {int(n[i, j]) if not np.isnan(n[i, j]) else 0} 件）"
              for j, m in enumerate(months)] for i, c in enumerate(codes)]
    cd = [[(c, m) for m in months] for c in codes]
    return tile_heatmap(z, rows=[names[c] for c in codes], cols=months, text=text, customdata=cd, hover=hover,
                        title=title, colorbar_title="完整率", tickformat=".0%")


def volume_heatmap(df: pd.DataFrame, *, title: str, zero_baseline: float) -> go.Figure:
    """Departments × months: records (label) against the usual volume (colour: the ratio, 1 =
    usual, only where the usual volume reaches ``zero_baseline``); flagged months are marked."""
    codes = list(dict.fromkeys(df["dept_code"]))
    names = dict(zip(df["dept_code"], df["dept_name"], strict=False))
    months = list(dict.fromkeys(df["month"]))
    records = _matrix(df, "dq_records", codes, months)
    base = _matrix(df, "dq_baseline", codes, months)
    # colour only where the usual volume is large enough to judge a month by
    ratio = np.where(base >= zero_baseline, np.clip(_matrix(df, "dq_ratio", codes, months), 0.5, 1.5), np.nan)
    flagged = _matrix(df.assign(dq_flagged=df["dq_flagged"].astype(float)), "dq_flagged", codes, months) == 1.0
    text = [[str(int(v)) if not np.isnan(v) else MISSING_TEXT for v in row] for row in records]
    hover = [[f"{names[c]} · {m}<br>报送 {int(records[i, j]) if not np.isnan(records[i, j]) else 0} 件，"
              f"常态 {'无' if np.isnan(base[i, j]) else f'{base[i, j]:g}'} 件"
              + ("<br>低于常态一半，请核实是否漏报" if flagged[i, j] else "")
              for j, m in enumerate(months)] for i, c in enumerate(codes)]
    cd = [[(c, m) for m in months] for c in codes]
    return tile_heatmap(ratio, rows=[names[c] for c in codes], cols=months, text=text, customdata=cd, hover=hover,
                        title=title, colorscale=RATIO_SCALE, zmin=0.5, zmax=1.5, flags=flagged,
                        colorbar_title="与常态之比", tickformat=".0%", flag_color=ACCENT, flag_text="white")
