"""Charts of 效能评估 and 短板清单: the score heatmap, a dimension's indicator scores, the
provincial platform's scores beside the computed ones, weak links by dimension or department.

Pure builders (no Streamlit).  Clickable marks carry ``customdata`` so a page can read the
selection: the heatmap ``[dept_code, dimension_id]`` (dimension_id "" for the composite
column), indicator bars ``[indicator]``, weak-link bars ``[key]``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from charts.style import ACCENT, DIVERGING_SCORE, MUTED, PRIMARY, WARN, styled

COMPOSITE = "综合得分"
NO_SCORE = "数据不足"


def _num(v: object) -> float | None:
    return None if v is None or pd.isna(v) else float(v)  # type: ignore[arg-type]


def _score_text(v: object) -> str:
    x = _num(v)
    return NO_SCORE if x is None else f"{x:.1f}"


def _change_text(v: object) -> str:
    x = _num(v)
    return "—" if x is None else f"{x:+.1f}"


def row_labels(matrix: pd.DataFrame, *, ranked: bool, highlight: str | None, district_label: str) -> list[str]:
    """Row labels of the heatmap: department names (rank first when ranked), the district's
    label for its row, a marker on the highlighted department."""
    labels = []
    for code, name, rank in zip(matrix["dept_code"], matrix["dept_name"], matrix["rank"], strict=True):
        label = district_label if code == "" else str(name)
        if ranked and code != "" and not pd.isna(rank):
            label = f"{int(rank)}. {label}"
        if highlight and code == highlight:
            label = f"▶ {label}"
        labels.append(label)
    return labels


def score_heatmap(
    matrix: pd.DataFrame, dimensions: Mapping[str, str], *, ranked: bool = False, highlight: str | None = None,
    district_label: str = "全区（基准）", title: str = "",
) -> go.Figure:
    """Departments × the five dimensions and the composite as a heatmap (0–100), with the
    deductions and the composite's change against the previous period as two narrow columns.

    ``matrix`` is :func:`metrics.views.scorecard.score_matrix`; ``dimensions`` maps dimension
    id -> Chinese name.  The district row comes first; departments in code order, or by rank
    when ``ranked``.  Hover shows each score's previous value and change.
    """
    district = matrix[matrix["dept_code"] == ""]
    depts = matrix[matrix["dept_code"] != ""]
    if ranked:
        depts = depts.sort_values(["rank", "dept_code"], na_position="last", kind="stable")
    data = pd.concat([district, depts], ignore_index=True)
    labels = row_labels(data, ranked=ranked, highlight=highlight, district_label=district_label)
    dim_ids = list(dimensions)
    cols = [dimensions[d] for d in dim_ids] + [COMPOSITE]
    z, text, hover, custom = [], [], [], []
    for _, r in data.iterrows():
        zr, tr, hr, cr = [], [], [], []
        for dim_id, col in zip([*dim_ids, ""], cols, strict=True):
            src = col if dim_id else "composite"
            prev = r[f"{col}_prev"] if dim_id else r["previous_composite"]
            chg = r[f"{col}_change"] if dim_id else r["composite_change"]
            zr.append(_num(r[src]))
            tr.append(_score_text(r[src]))
            hr.append(f"{col}：{_score_text(r[src])}<br>上期：{_score_text(prev)}<br>较上期：{_change_text(chg)}")
            cr.append(f"{r['dept_code']}|{dim_id}")
        z.append(zr)
        text.append(tr)
        hover.append(hr)
        custom.append(cr)

    fig = make_subplots(rows=1, cols=3, shared_yaxes=True, column_widths=[0.78, 0.11, 0.11],
                        horizontal_spacing=0.012)
    fig.add_trace(go.Heatmap(
        z=z, x=cols, y=labels, text=text, texttemplate="%{text}", zmin=0, zmax=100,
        colorscale=DIVERGING_SCORE, showscale=False, xgap=2, ygap=2, hoverinfo="skip",
    ), row=1, col=1)
    # transparent markers over the cells: they carry the hover text and make a cell clickable
    xs = [c for _ in labels for c in cols]
    ys = [lab for lab in labels for _ in cols]
    fig.add_trace(go.Scatter(
        x=xs, y=ys, mode="markers", marker={"size": 24, "opacity": 0, "symbol": "square"},
        customdata=[c for row in custom for c in row], hovertext=[h for row in hover for h in row],
        hovertemplate="%{y}<br>%{hovertext}<extra></extra>", showlegend=False,
        selected={"marker": {"opacity": 0}}, unselected={"marker": {"opacity": 0}},
    ), row=1, col=1)
    ded = [_num(v) or 0.0 for v in data["deductions"]]
    ded_hover = [f"扣分：{d:g}<br>应报未报 {int(u)} 件，重点督办逾期 {int(k)} 件"
                 for d, u, k in zip(ded, data["unreported_count"], data["key_overdue_count"], strict=True)]
    fig.add_trace(go.Heatmap(
        z=[[d] for d in ded], x=["扣分"], y=labels, text=[[f"−{d:g}" if d else "0"] for d in ded],
        texttemplate="%{text}", zmin=0, zmax=10, colorscale=[[0, "#f7f9fb"], [1, ACCENT]], showscale=False,
        xgap=2, ygap=2, hovertext=[[h] for h in ded_hover], hovertemplate="%{y}<br>%{hovertext}<extra></extra>",
    ), row=1, col=2)
    chg = [_num(v) for v in data["composite_change"]]
    fig.add_trace(go.Heatmap(
        z=[[c] for c in chg], x=["较上期"], y=labels, text=[[_change_text(c)] for c in chg],
        texttemplate="%{text}", zmid=0, zmin=-20, zmax=20,
        colorscale=[[0, ACCENT], [0.5, "#f7f9fb"], [1, PRIMARY]], showscale=False, xgap=2, ygap=2,
        hovertemplate="%{y}<br>综合得分较上期：%{text}<extra></extra>",
    ), row=1, col=3)
    fig.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=labels)
    for panel in (1, 2, 3):
        fig.update_xaxes(side="top", type="category", showgrid=False, tickfont={"size": 13}, row=1, col=panel)
    fig.update_yaxes(showgrid=False)
    fig.update_layout(clickmode="event+select", dragmode=False, margin={"t": 90})
    return styled(fig, title=title, height=max(360, 30 * len(labels) + 120))


def indicator_scores(df: pd.DataFrame, *, title: str, scope_label: str, district_label: str = "全区") -> go.Figure:
    """Bars of the scored indicators' scores (customdata = indicator id) with the district's
    score as a marker; ``df`` is :func:`metrics.views.scorecard.dimension_indicators`."""
    data = df[df["scored"]]
    y = [_num(v) for v in data["score"]]
    fig = go.Figure(go.Bar(
        x=list(data["indicator_name"]), y=[v if v is not None else 0 for v in y], name=scope_label,
        marker_color=[PRIMARY if v is not None else MUTED for v in y], customdata=data[["indicator"]].to_numpy(),
        text=[_score_text(v) for v in y], textposition="outside", cliponaxis=False,
        hovertemplate="%{x}：%{text}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=list(data["indicator_name"]), y=[_num(v) for v in data["district_score"]], mode="markers",
        name=district_label, marker={"symbol": "line-ew-open", "size": 34, "color": ACCENT, "line": {"width": 3}},
        hovertemplate="%{x}：全区 %{y:.1f}<extra></extra>",
    ))
    fig.update_layout(yaxis={"range": [0, 115], "title": None}, xaxis_title=None, clickmode="event+select",
                      dragmode=False, legend={"y": 1.02})
    return styled(fig, title=title, height=340)


def provincial_bars(dimensions: Sequence[str], computed: Sequence[float | None],
                    provincial: Sequence[float | None], *, title: str) -> go.Figure:
    """Grouped bars per dimension: the computed score and the provincial platform's."""
    fig = go.Figure()
    for name, values, color in (("本系统计算", computed, PRIMARY), ("省平台评估", provincial, WARN)):
        fig.add_trace(go.Bar(
            x=list(dimensions), y=[_num(v) for v in values], name=name, marker_color=color,
            text=[_score_text(v) for v in values], textposition="outside", cliponaxis=False,
        ))
    fig.update_layout(barmode="group", yaxis={"range": [0, 115]}, legend={"y": 1.02})
    return styled(fig, title=title, height=340)


def provincial_dots(wide: pd.DataFrame, *, title: str, highlight: str | None = None) -> go.Figure:
    """Per department (customdata = code): the mean computed dimension score and the provincial
    platform's, as two dots joined by a line."""
    data = wide.sort_values("provincial_mean", na_position="first")
    fig = go.Figure()
    for _, r in data.iterrows():
        c, p = _num(r["computed_mean"]), _num(r["provincial_mean"])
        if c is not None and p is not None:
            fig.add_trace(go.Scatter(x=[c, p], y=[r["dept_name"]] * 2, mode="lines", line={"color": "#c9d8ec", "width": 3},
                                     showlegend=False, hoverinfo="skip"))
    sizes = [14 if code == highlight else 10 for code in data["dept_code"]]
    for name, col, color in (("本系统计算", "computed_mean", PRIMARY), ("省平台评估", "provincial_mean", WARN)):
        fig.add_trace(go.Scatter(
            x=[_num(v) for v in data[col]], y=list(data["dept_name"]), mode="markers", name=name,
            marker={"color": color, "size": sizes}, customdata=data[["dept_code"]].to_numpy(),
            hovertemplate="%{y}：%{x:.1f}<extra>" + name + "</extra>",
        ))
    values = [v for col in ("computed_mean", "provincial_mean") for v in (_num(x) for x in data[col]) if v is not None]
    low = max(0.0, (min(values) if values else 0.0) - 10.0) // 10 * 10
    fig.update_layout(xaxis={"range": [low, 102], "title": None}, yaxis_title=None, legend={"y": 1.0},
                      clickmode="event+select", dragmode=False)
    return styled(fig, title=title, height=max(320, 26 * len(data) + 110))


def weak_link_bars(counts: pd.DataFrame, key_col: str, label_col: str, *, title: str,
                   horizontal: bool = True) -> go.Figure:
    """Stacked bars of weak links by severity (严重 red, 一般 amber), customdata = key."""
    data = counts.iloc[::-1] if horizontal else counts
    fig = go.Figure()
    for sev, color in (("严重", ACCENT), ("一般", WARN)):
        values = list(data[sev])
        labels = list(data[label_col])
        fig.add_trace(go.Bar(
            x=values if horizontal else labels, y=labels if horizontal else values, name=sev,
            orientation="h" if horizontal else "v", marker_color=color, customdata=data[[key_col]].to_numpy(),
            text=[str(v) if v else "" for v in values], textposition="inside", textangle=0,
            insidetextanchor="middle",
            hovertemplate="%{customdata[0]}：" + sev + " %{" + ("x" if horizontal else "y") + "} 条<extra></extra>",
        ))
    fig.update_layout(barmode="stack", xaxis_title=None, yaxis_title=None, clickmode="event+select",
                      dragmode=False, legend={"y": 1.0})
    height = max(300, 24 * len(data) + 110) if horizontal else 320
    return styled(fig, title=title, height=height)
