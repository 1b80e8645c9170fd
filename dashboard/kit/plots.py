"""Around the charts of :mod:`charts` on a page: the one call that draws a chart (no
English toolbar), what a click selected (Plotly selection events carry the clicked marks'
``customdata``) and room for the values beside bars."""

from __future__ import annotations

from typing import Any

import streamlit as st

CONFIG: dict[str, Any] = {"displayModeBar": False, "displaylogo": False, "showTips": False}
"""Plotly.js options of every chart.  Streamlit's frontend (1.67) bundles only Plotly's
``en``/``en-US`` locales, not ``zh-CN``, so the mode bar (English tooltips: "Zoom in",
"Download plot as a png") is hidden and the English double-click tips are off.  A click
still selects points."""


def chart(fig: Any, **kw: Any) -> Any:
    """Draw ``fig`` with :data:`CONFIG` (a page's own ``config`` may add to it); the same
    arguments and return value (the selection event) as ``st.plotly_chart``."""
    config = {**CONFIG, **kw.pop("config", {})}
    return st.plotly_chart(fig, config=config, **kw)


def _points(event: Any) -> list[dict[str, Any]]:
    """The points selected in a Plotly chart event (attribute or dict form; empty if none)."""
    try:
        return list(event.selection.points)  # type: ignore[union-attr]
    except AttributeError:
        try:
            return list(event["selection"]["points"])
        except (KeyError, TypeError):
            return []


def first_customdata(event: Any) -> list[Any] | None:
    """The whole customdata of the first selected point, as a list (None if none)."""
    points = _points(event)
    if not points or points[0].get("customdata") is None:
        return None
    data = points[0]["customdata"]
    return list(data) if isinstance(data, list | tuple) else [data]


def selected_points(event: Any, field: str = "customdata") -> list[Any]:
    """Values of ``field`` of the points selected in a Plotly chart event (empty if none)."""
    out = []
    for p in _points(event):
        v = p.get(field)
        if isinstance(v, list):
            v = v[0] if v else None
        if v is not None:
            out.append(v)
    return out


def picked(chart_key: str) -> list[Any]:
    """The first customdata value of each point selected in the chart ``chart_key``."""
    return selected_points(st.session_state.get(chart_key))


def room_for_labels(fig: Any, share: float = 0.14) -> Any:
    """Widen the value axis of horizontal bars so that the value written outside the longest
    bar is not cut off at the figure's edge."""
    values = [float(v) for tr in fig.data if getattr(tr, "orientation", None) == "h" and tr.x is not None
              for v in tr.x if v is not None and v == v]
    if values and min(values) >= 0:
        fig.update_xaxes(range=[0, max(values) * (1 + share) or 1])
    return fig
