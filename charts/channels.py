"""Charts of the 服务渠道 page: the channel mix by month, visits and 好差评 (the mix by unit is
:mod:`charts.mix`)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from charts.style import ACCENT, GOOD, MUTED, PALETTE, PRIMARY, WARN, styled

CHANNEL_COLORS = {"网上办理": "#1d4f91", "掌上办理": "#4f86c6", "窗口办理": "#e0a100", "自助终端": "#3aa0a0",
                  "邮寄": "#6c5b7b", "其他": "#8a99ad"}
RATING_COLORS = {"非常不满意": ACCENT, "不满意": "#f4b183", "基本满意": "#fbe7a1", "满意": "#8fb3de",
                 "非常满意": PRIMARY, "未评价": MUTED}
VISIT_COLORS = {"0次": GOOD, "1次": PRIMARY, "2次": WARN, "3次及以上": ACCENT, "未填报": MUTED}


def monthly_mix(df: pd.DataFrame, *, title: str, label_col: str = "channel",
                colors: Mapping[str, str] = CHANNEL_COLORS) -> go.Figure:
    """Share of each category per month, stacked to 100% (``month``, label, ``count``, ``share``)."""
    fig = go.Figure()
    for i, label in enumerate(dict.fromkeys(df[label_col])):
        part = df[df[label_col] == label]
        fig.add_trace(go.Bar(
            x=part["month"], y=part["share"] * 100, name=str(label),
            marker_color=colors.get(label, PALETTE[i % len(PALETTE)]), customdata=part[["count"]].to_numpy(),
            hovertemplate="%{x} " + str(label) + "：%{y:.1f}%（%{customdata[0]} 件）<extra></extra>",
        ))
    fig.update_layout(barmode="stack", xaxis_title=None, yaxis_title=None,
                      legend={"y": -0.3, "yanchor": "top", "x": 0.5, "xanchor": "center", "traceorder": "normal"})
    fig.update_xaxes(type="category", tickangle=-45)
    fig.update_yaxes(ticksuffix="%", range=[0, 100])
    return styled(fig, title=title, height=380)


def distribution(df: pd.DataFrame, *, title: str, label_col: str, colors: Mapping[str, str]) -> go.Figure:
    """Counts per category (``count``, optional ``share`` shown as text)."""
    shares = df["share"] if "share" in df.columns else pd.Series([None] * len(df))
    text = [f"{int(c)} 件" if pd.isna(s) else f"{s * 100:.1f}%" for c, s in zip(df["count"], shares, strict=True)]
    fig = go.Figure(go.Bar(
        x=df[label_col].astype(str), y=df["count"], text=text, textposition="outside", cliponaxis=False,
        marker_color=[colors.get(str(v), PRIMARY) for v in df[label_col]],
        hovertemplate="%{x}：%{y} 件<extra></extra>", textfont={"size": 13},
    ))
    fig.update_layout(showlegend=False, xaxis_title=None, yaxis_title="件数")
    fig.update_xaxes(type="category")
    fig.update_yaxes(range=[0, max(1, float(df["count"].max() or 0)) * 1.2])
    return styled(fig, title=title, height=320)
