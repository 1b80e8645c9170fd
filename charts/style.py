"""One look for every chart: CJK font, calm government palette, compact margins."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

FONT = "NotoSansSC, 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"
PRIMARY = "#1d4f91"
ACCENT = "#c8161d"  # for what needs attention (weak links, overdue)
GOOD = "#2e7d32"
WARN = "#e0a100"
SELECTED = "#3aa0a0"  # the unit being looked at among others: neither good nor bad
MUTED = "#8a99ad"
PALETTE = ["#1d4f91", "#4f86c6", "#8fb3de", "#e0a100", "#c8161d", "#2e7d32", "#6c5b7b", "#8a99ad", "#3aa0a0"]
SEQUENTIAL = ["#f2f5f9", "#c9d8ec", "#8fb3de", "#4f86c6", "#1d4f91"]
DIVERGING_SCORE = [[0.0, "#c8161d"], [0.4, "#f4b183"], [0.6, "#fbe7a1"], [0.8, "#a9cce3"], [1.0, "#1d4f91"]]

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 14, "color": "#1f2933"},
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        xaxis={"gridcolor": "#e6ebf1", "zeroline": False, "automargin": True},
        yaxis={"gridcolor": "#e6ebf1", "zeroline": False, "automargin": True},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        hoverlabel={"font": {"family": FONT}},
        title={"font": {"size": 16}, "x": 0, "xanchor": "left", "y": 0.98, "yanchor": "top",
               "yref": "container"},
        separators=".,",
    )
)
pio.templates["market_access"] = TEMPLATE


_LINK = re.compile(r"<(/?)(a)\b", re.IGNORECASE)


def _unlinked(value: Any) -> Any:
    """``value`` with every Plotly ``<a …>`` / ``</a>`` tag written as text (``&lt;a``): data
    such as a department's name is put into labels, ticks and hover text, and Plotly would
    draw a link from it; its other tags (``<br>``, ``<b>``) only format and stay."""
    if isinstance(value, str):
        return _LINK.sub(r"&lt;\1\2", value)
    if value is pd.NA or value is pd.NaT:  # a missing value (无数据): Plotly's own None
        return None
    if isinstance(value, dict):
        return {k: _unlinked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_unlinked(v) for v in value]
    if isinstance(value, np.ndarray) and value.dtype == object:
        return np.array([_unlinked(v) for v in value.ravel()], dtype=object).reshape(value.shape)
    return value


def unlinked(fig: go.Figure) -> go.Figure:
    """``fig`` (in place) with no live link in any trace or layout text (see :func:`_unlinked`)."""
    for trace in fig.data:
        trace.update(_unlinked(trace.to_plotly_json()), overwrite=True)
    layout = fig.layout.to_plotly_json()
    layout.pop("template", None)
    fig.update_layout(_unlinked(layout), overwrite=True)
    return fig


def styled(fig: go.Figure, *, title: str | None = None, height: int | None = None) -> go.Figure:
    """Apply the project template (and a title / height) to ``fig``; no text of it is a link."""
    fig.update_layout(template="market_access")
    if title is not None:
        fig.update_layout(title={"text": title})
    if height is not None:
        fig.update_layout(height=height)
    return unlinked(fig)
