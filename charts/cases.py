"""Charts of 案例线索 and 督查督办台账: cases received by a breakdown, the flow 接收 → 转办 →
核查 → 整改 → 办结, 通报候选 per department.

Pure builders (no Streamlit).  Clickable marks carry ``customdata``: breakdown bars the group
key, flow bars ``"<step>|<kind>"`` (kind reached, pending or overdue), department bars the code.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.style import ACCENT, MUTED, PRIMARY, styled

TRUE_COLOR = "#4f86c6"


def received_bars(df: pd.DataFrame, *, title: str, horizontal: bool) -> go.Figure:
    """Cases received per group (``key``, ``label``, ``received``, ``verified_true``): the
    verified-属实 part and the rest stacked; customdata = key."""
    data = df.iloc[::-1] if horizontal else df
    other = data["received"] - data["verified_true"]
    fig = go.Figure()
    for name, values, color in (("核实属实", data["verified_true"], PRIMARY), ("其他", other, "#c9d8ec")):
        labels = list(data["label"])
        vals = [int(v) for v in values]
        fig.add_trace(go.Bar(
            x=vals if horizontal else labels, y=labels if horizontal else vals, name=name,
            orientation="h" if horizontal else "v", marker_color=color, customdata=data[["key"]].to_numpy(),
            hovertemplate="%{" + ("y" if horizontal else "x") + "}：" + name + " %{"
            + ("x" if horizontal else "y") + "} 件<extra></extra>",
        ))
    totals = [int(v) for v in data["received"]]
    fig.add_trace(go.Scatter(
        x=totals if horizontal else list(data["label"]), y=list(data["label"]) if horizontal else totals,
        mode="text", text=[str(v) for v in totals], textposition="middle right" if horizontal else "top center",
        showlegend=False, hoverinfo="skip",
    ))
    fig.update_layout(barmode="stack", xaxis_title=None, yaxis_title=None, clickmode="event+select",
                      dragmode=False, legend={"y": 1.0})
    if not horizontal:
        fig.update_xaxes(type="category")
        fig.update_yaxes(rangemode="tozero")
    else:
        fig.update_xaxes(range=[0, max([*totals, 1]) * 1.15])
    height = max(300, 26 * len(data) + 110) if horizontal else 320
    return styled(fig, title=title, height=height)


KINDS = (("reached", "已完成", PRIMARY), ("pending", "在途", MUTED), ("overdue", "超期", ACCENT))


def flow_bars(flow: pd.DataFrame, *, title: str, labels: dict[str, str] | None = None) -> go.Figure:
    """Grouped bars per step (``step``, ``reached``, ``pending``, ``overdue``, ``median_wd``):
    completed, waiting at as_of and overdue counts; customdata = ``"<step>|<kind>"``.  Each
    step's label carries its median working days."""
    names = labels or {}
    steps = list(flow["step"])
    ticks = [s if pd.isna(m) else f"{s}<br>用时中位数 {float(m):g} 个工作日"
             for s, m in zip(steps, flow["median_wd"], strict=True)]
    fig = go.Figure()
    for kind, default, color in KINDS:
        values = [None if pd.isna(v) else int(v) for v in flow[kind]]
        fig.add_trace(go.Bar(
            x=steps, y=values, name=names.get(kind, default), marker_color=color,
            customdata=[f"{s}|{kind}" for s in steps], text=["" if v is None else str(v) for v in values],
            textposition="outside", cliponaxis=False, textfont={"size": 13},
            hovertemplate="%{x}：" + names.get(kind, default) + " %{y} 件<extra></extra>",
        ))
    fig.update_xaxes(tickmode="array", tickvals=steps, ticktext=ticks)
    top = max([int(v) for k, _, _ in KINDS for v in flow[k].dropna()] + [1])
    fig.update_layout(barmode="group", yaxis={"range": [0, top * 1.25], "title": None}, xaxis_title=None,
                      clickmode="event+select", dragmode=False, legend={"y": 1.0})
    fig.update_xaxes(type="category")
    return styled(fig, title=title, height=340)


def candidate_bars(df: pd.DataFrame, *, title: str) -> go.Figure:
    """通报候选 per department (``dept_code``, ``dept_name``, ``count``), customdata = code."""
    data = df.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=[int(v) for v in data["count"]], y=list(data["dept_name"]), orientation="h", marker_color=ACCENT,
        customdata=data[["dept_code"]].to_numpy(), text=[f"{int(v)} 件" for v in data["count"]],
        textposition="outside", cliponaxis=False, hovertemplate="%{y}：%{x} 件<extra></extra>",
    ))
    fig.update_layout(showlegend=False, xaxis={"title": None, "range": [0, max([*data["count"], 1]) * 1.3],
                                                "dtick": 1}, yaxis_title=None, clickmode="event+select",
                      dragmode=False)
    return styled(fig, title=title, height=max(220, 34 * len(data) + 110))
