"""Charts of the 信用分类 page: grade mix per department, transitions, monthly movements."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.style import ACCENT, GOOD, WARN, styled
from charts.tiles import tile_heatmap

GRADE_COLORS = {"A": GOOD, "B": "#8fb3de", "C": WARN, "D": ACCENT}
GRADE_NAMES = {"A": "A类（低风险）", "B": "B类", "C": "C类", "D": "D类（高风险）"}
TRANSITION_SCALE = [[0.0, "#f7f9fc"], [0.3, "#c9d8ec"], [1.0, "#4f86c6"]]


def grade_bars(dist: pd.DataFrame, grades: tuple[str, ...], *, title: str, highlight: str | None = None) -> go.Figure:
    """One stacked bar per department: the share of its rated entities in each grade
    (customdata = department code)."""
    order = (dist[dist["grade"].isin(["C", "D"])].groupby("dept_code", sort=False)["cr_share"].sum()
             .sort_values(ascending=True))
    codes = list(order.index)
    names = dict(zip(dist["dept_code"], dist["dept_name"], strict=False))
    labels = [("▶ " if c == highlight else "") + names[c] for c in codes]
    cell = dist.set_index(["dept_code", "grade"])
    fig = go.Figure()
    for g in grades:
        shares = [float(cell.at[(c, g), "cr_share"] or 0.0) * 100 for c in codes]
        counts = [int(cell.at[(c, g), "cr_entities"]) for c in codes]
        fig.add_trace(go.Bar(
            x=shares, y=labels, orientation="h", name=GRADE_NAMES.get(g, g), marker_color=GRADE_COLORS.get(g),
            customdata=np.array([[c, g, n] for c, n in zip(codes, counts, strict=True)], dtype=object),
            text=[f"{v:.0f}%" if v >= 6 else "" for v in shares], textposition="inside", insidetextanchor="middle",
            hovertemplate="%{y} · " + g + "类：%{customdata[2]} 户（%{x:.1f}%）<extra></extra>",
        ))
    fig.update_layout(barmode="stack", clickmode="event+select", xaxis={"ticksuffix": "%", "range": [0, 100]},
                      yaxis_title=None, xaxis_title=None, legend={"traceorder": "normal"})
    return styled(fig, title=title, height=max(300, 34 * len(codes) + 130))


def transition_heatmap(matrix: pd.DataFrame, grades: tuple[str, ...], *, title: str) -> go.Figure:
    """From-grade (rows) × to-grade (columns): moves counted, coloured by the row share."""
    cell = matrix.set_index(["cr_from_grade", "cr_to_grade"])
    z = np.array([[float(cell.at[(a, b), "cr_share"]) if pd.notna(cell.at[(a, b), "cr_share"]) else np.nan
                   for b in grades] for a in grades])
    text = [[f"{int(cell.at[(a, b), 'cr_moves'])}" for b in grades] for a in grades]
    hover = [[f"由 {a} 类调整为 {b} 类：{int(cell.at[(a, b), 'cr_moves'])} 次"
              + ("" if np.isnan(z[i, j]) else f"（占原 {a} 类的 {z[i, j] * 100:.1f}%）")
              for j, b in enumerate(grades)] for i, a in enumerate(grades)]
    cd = [[(a, b) for b in grades] for a in grades]
    fig = tile_heatmap(z, rows=[f"{a}类" for a in grades], cols=[f"{b}类" for b in grades], text=text,
                       customdata=cd, hover=hover, title=title, colorscale=TRANSITION_SCALE,
                       colorbar_title="占原类别", tickformat=".0%", row_height=56)
    fig.update_layout(xaxis_title={"text": "调整后类别", "standoff": 4}, yaxis_title="原类别")
    return fig


def movement_bars(monthly: pd.DataFrame, *, title: str) -> go.Figure:
    """Per month: upgrades above the axis, downgrades below (customdata = month)."""
    cd = monthly[["month"]].to_numpy()
    fig = go.Figure([
        go.Bar(x=monthly["month"], y=monthly["cr_upgrades"], name="升级（风险降低）", marker_color=GOOD, customdata=cd,
               hovertemplate="%{x} 升级 %{y} 次<extra></extra>"),
        go.Bar(x=monthly["month"], y=-monthly["cr_downgrades"], name="降级（风险升高）", marker_color=ACCENT,
               customdata=cd, text=monthly["cr_downgrades"], textposition="none",
               hovertemplate="%{x} 降级 %{text} 次<extra></extra>"),
    ])
    top = max(1, int(monthly["cr_upgrades"].max()), int(monthly["cr_downgrades"].max()))
    step = _nice_step(top)
    ticks = [v * step for v in range(-(top // step) - 1, top // step + 2)]
    fig.update_layout(barmode="relative", xaxis={"type": "category", "tickangle": -45}, xaxis_title=None,
                      yaxis_title="次数", clickmode="event+select")
    fig.update_yaxes(tickvals=ticks, ticktext=[str(abs(v)) for v in ticks])
    return styled(fig, title=title, height=340)


def _nice_step(top: int) -> int:
    """A round tick step giving about three ticks up to ``top``."""
    raw = max(1, top // 3)
    magnitude = 10 ** (len(str(raw)) - 1)
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
