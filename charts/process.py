"""Charts of the 办事流程 page: the stage map, the processing-time distribution and the
monthly control chart (pure builders: DataFrames in, figures out)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from charts.style import ACCENT, GOOD, MUTED, PRIMARY, SEQUENTIAL, WARN, styled

SLOWNESS_COLORS = {"明显偏慢": ACCENT, "偏慢": WARN, "正常": PRIMARY}


def _hours(v: float | None) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "无数据"
    return f"{v:.1f} 小时" if v < 48 else f"{v:.1f} 小时（约 {v / 24:.1f} 天）"


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def stage_flow(stages: pd.DataFrame, *, title: str, reference_label: str | None) -> go.Figure:
    """The process map: one box per stage (受理 → 审查 → 决定 → 送达) with its median hours,
    coloured by slowness against ``reference_label`` (or by its share of the total when there
    is no reference), the bottleneck outlined and labelled; customdata = stage."""
    colors, texts, hovers, widths = [], [], [], []
    for row in stages.itertuples(index=False):
        if reference_label is None:
            share = 0.0 if _missing(row.ratio) else float(row.ratio)
            colors.append(SEQUENTIAL[min(4, 1 + int(share * 4))])
        else:
            colors.append(SLOWNESS_COLORS.get(row.slowness, MUTED) if not _missing(row.ratio) else MUTED)
        value = "无数据" if _missing(row.median_hours) else f"{row.median_hours:.1f}"
        texts.append(f"<b>{row.stage}</b><br>{value}<br>小时")
        hover = f"{row.stage}：中位数 {_hours(row.median_hours)}<br>样本 {row.stage_count} 件"
        if reference_label is not None:
            hover += f"<br>{reference_label} {_hours(row.reference_hours)}"
            if not _missing(row.ratio):
                hover += f"（为其 {row.ratio:.1f} 倍，{row.slowness}）"
        hovers.append(hover)
        widths.append(6 if row.bottleneck else 0)
    x = list(range(len(stages)))
    fig = go.Figure(go.Scatter(
        x=x, y=[0] * len(x), mode="markers+text", text=texts, textposition="middle center",
        textfont={"color": ["#1f2933" if c in (SEQUENTIAL[1], SEQUENTIAL[2]) else "white" for c in colors],
                  "size": 15},
        marker={"symbol": "square", "size": 104, "color": colors,
                "line": {"color": ACCENT, "width": widths}},
        customdata=stages[["stage"]].to_numpy(), hovertext=hovers, hoverinfo="text",
        selected={"marker": {"opacity": 1}}, unselected={"marker": {"opacity": 0.55}},
    ))
    for i in x[:-1]:
        fig.add_annotation(x=i + 0.5, y=0, text="➜", showarrow=False, font={"size": 30, "color": MUTED})
    for i, row in enumerate(stages.itertuples(index=False)):
        if row.bottleneck:
            fig.add_annotation(x=i, y=0.62, text="<b>瓶颈环节</b>", showarrow=False,
                               font={"color": ACCENT, "size": 14})
        if reference_label is not None and not _missing(row.ratio):
            fig.add_annotation(x=i, y=-0.62, text=f"{row.slowness} · {reference_label}的 {row.ratio:.1f} 倍",
                               showarrow=False, font={"size": 12, "color": "#52606d"})
        elif reference_label is None and not _missing(row.ratio):
            fig.add_annotation(x=i, y=-0.62, text=f"占四环节合计 {row.ratio * 100:.0f}%", showarrow=False,
                               font={"size": 12, "color": "#52606d"})
    fig.update_xaxes(visible=False, range=[-0.6, len(x) - 0.4])
    fig.update_yaxes(visible=False, range=[-0.9, 0.9])
    fig.update_layout(showlegend=False, clickmode="event+select", dragmode=False)
    return styled(fig, title=title, height=280)


def processing_histogram(dist: pd.DataFrame, *, title: str, median: float | None, p90: float | None,
                         cap: int) -> go.Figure:
    """Completed applications by working days used, on time and overdue stacked, with the
    median and 90th percentile marked."""
    labels = [f"≥{v}" if v == cap else str(v) for v in dist["processing_wd"]]
    fig = go.Figure([
        go.Bar(x=labels, y=dist["on_time"], name="按时办结", marker_color=PRIMARY,
               hovertemplate="%{x} 个工作日：%{y} 件按时<extra></extra>"),
        go.Bar(x=labels, y=dist["overdue"], name="超期办结", marker_color=ACCENT,
               hovertemplate="%{x} 个工作日：%{y} 件超期<extra></extra>"),
    ])
    for value, name, pos in ((median, "中位数", "top left"), (p90, "90分位", "top right")):
        if value is None:
            continue
        x = min(float(value), float(cap))
        if pos == "top right" and x > 0.8 * (len(dist) - 1):
            pos = "bottom left"
        fig.add_vline(x=x, line_dash="dash", line_color=MUTED, annotation_text=f"{name} {value:g}",
                      annotation_position=pos, annotation_font={"size": 12, "color": "#52606d"})
    top = float(dist["total"].max()) if len(dist) else 1.0
    fig.update_yaxes(range=[0, max(1.0, top) * 1.22])
    fig.update_layout(barmode="stack", xaxis_title="办理用时（工作日）", yaxis_title="件数", bargap=0.1,
                      legend={"y": -0.22, "yanchor": "top", "x": 0.5, "xanchor": "center"})
    fig.update_xaxes(type="category")
    return styled(fig, title=title, height=340)


def control_chart(rows: pd.DataFrame, *, title: str, unit: str, name: str) -> go.Figure:
    """Monthly values with the centre line and ±3σ control limits; months outside the limits
    are marked (red on the worse side, green on the better side)."""
    k = 100.0 if unit == "ratio" else 1.0
    suffix = "%" if unit == "ratio" else ""

    def scaled(col: str) -> list[float | None]:
        return [None if _missing(v) else float(v) * k for v in rows[col]]

    months = rows["month"].tolist()
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=months, y=scaled("ucl"), name="控制上限", mode="lines",
                             line={"color": MUTED, "dash": "dot", "width": 1}, connectgaps=False))
    fig.add_trace(go.Scatter(x=months, y=scaled("lcl"), name="控制下限", mode="lines",
                             line={"color": MUTED, "dash": "dot", "width": 1}, connectgaps=False,
                             fill="tonexty", fillcolor="rgba(143,179,222,0.15)"))
    fig.add_trace(go.Scatter(x=months, y=scaled("centre"), name="中心线", mode="lines",
                             line={"color": MUTED, "dash": "dash", "width": 1}))
    fig.add_trace(go.Scatter(x=months, y=scaled("value"), name=name, mode="lines+markers",
                             line={"color": PRIMARY, "width": 2}, customdata=rows[["month"]].to_numpy(),
                             hovertemplate="%{x}: %{y:.1f}" + suffix + "<extra></extra>"))
    out = rows[rows["signal"].notna()]
    if len(out):
        colors = [ACCENT if w else GOOD for w in out["worse"]]
        fig.add_trace(go.Scatter(
            x=out["month"], y=[float(v) * k for v in out["value"]], name="超出控制限", mode="markers",
            marker={"color": colors, "size": 13, "symbol": "diamond", "line": {"color": "white", "width": 1}},
            hovertemplate="%{x}: %{y:.1f}" + suffix + "（超出控制限）<extra></extra>",
        ))
    fig.update_xaxes(type="category", tickangle=-45)
    fig.update_yaxes(ticksuffix=suffix)
    fig.update_layout(hovermode="x unified", xaxis_title=None, yaxis_title=None,
                      legend={"y": -0.35, "yanchor": "top", "x": 0.5, "xanchor": "center"})
    return styled(fig, title=title, height=380)
