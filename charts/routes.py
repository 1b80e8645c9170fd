"""Charts of the 审批途径 page: route mix, processing time by route, limit compression and
materials per item (pure builders: DataFrames in, figures out)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from charts.style import ACCENT, MUTED, PRIMARY, WARN, styled

ROUTE_COLORS = {"即办件": "#2e7d32", "承诺件": "#8a99ad", "告知承诺": "#1d4f91", "容缺受理": "#4f86c6",
                "并联审批": "#e0a100"}


def route_timing(df: pd.DataFrame, *, title: str) -> go.Figure:
    """Median and 90th percentile of processing_wd per route, the on-time rate as text."""
    def vals(col: str) -> list[float | None]:
        return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in df[col]]

    on_time = ["" if v is None else f"按时 {v * 100:.0f}%" for v in vals("on_time_rate")]
    fig = go.Figure([
        go.Bar(x=df["route"], y=vals("median_processing_wd"), name="中位数", marker_color=PRIMARY,
               text=on_time, textposition="outside", cliponaxis=False,
               hovertemplate="%{x} 中位数：%{y:.1f} 个工作日<extra></extra>"),
        go.Bar(x=df["route"], y=vals("p90_processing_wd"), name="90分位", marker_color="#8fb3de",
               hovertemplate="%{x} 90分位：%{y:.1f} 个工作日<extra></extra>"),
        go.Scatter(x=df["route"], y=vals("avg_processing_wd"), name="平均", mode="markers",
                   marker={"symbol": "line-ew-open", "size": 28, "color": ACCENT, "line": {"width": 3}},
                   hovertemplate="%{x} 平均：%{y:.1f} 个工作日<extra></extra>"),
    ])
    top = max([v for v in vals("p90_processing_wd") + vals("median_processing_wd") if v is not None] or [1.0])
    fig.update_layout(barmode="group", xaxis_title=None, yaxis_title="办理用时（工作日）")
    fig.update_yaxes(range=[0, top * 1.25 + 0.5])
    fig.update_xaxes(type="category")
    return styled(fig, title=title, height=360)


def item_compression(df: pd.DataFrame, *, title: str, limit: int = 25) -> go.Figure:
    """The least compressed items: legal and promised limits side by side, the compression as
    text; customdata = item code."""
    data = df[df["compression"].notna()].head(limit).iloc[::-1]
    names = [f"{n}（{c}）" if len(n) <= 18 else f"{n[:17]}…（{c}）"
             for n, c in zip(data["item_name"], data["item_code"].str[-7:], strict=True)]
    fig = go.Figure([
        go.Bar(y=names, x=data["legal_limit_days"], orientation="h", name="法定时限", marker_color=MUTED,
               customdata=data[["item_code"]].to_numpy(), hovertemplate="%{y} 法定 %{x} 个工作日<extra></extra>"),
        go.Bar(y=names, x=data["promised_limit_days"], orientation="h", name="承诺时限",
               marker_color=[ACCENT if c <= 0 else WARN if c < 0.3 else PRIMARY for c in data["compression"]],
               customdata=data[["item_code"]].to_numpy(),
               text=[f"压缩 {c * 100:.0f}%" for c in data["compression"]], textposition="outside",
               cliponaxis=False, hovertemplate="%{y} 承诺 %{x} 个工作日<extra></extra>"),
    ])
    fig.update_layout(barmode="group", xaxis_title="工作日", yaxis_title=None, bargap=0.25)
    return styled(fig, title=title, height=max(340, 34 * len(data) + 120))


def materials_histogram(df: pd.DataFrame, *, title: str) -> go.Figure:
    """Number of items by number of application materials (申请材料数)."""
    counts = pd.to_numeric(df["materials"], errors="coerce").dropna().astype(int).value_counts().sort_index()
    fig = go.Figure(go.Bar(x=[str(i) for i in counts.index], y=counts.to_numpy(), marker_color=PRIMARY,
                           text=counts.to_numpy(), textposition="outside", cliponaxis=False,
                           hovertemplate="%{x} 份材料：%{y} 个事项<extra></extra>"))
    fig.update_layout(xaxis_title="申请材料数（份）", yaxis_title="事项数", showlegend=False)
    fig.update_xaxes(type="category")
    fig.update_yaxes(range=[0, max(1, int(counts.max()) if len(counts) else 1) * 1.2])
    return styled(fig, title=title, height=320)
