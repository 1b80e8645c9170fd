"""Around the charts of :mod:`charts` on a page: the one call that draws a chart (no
English toolbar), the one way a page makes a chart (:func:`figure`, kept per process), what a
click selected (Plotly selection events carry the clicked marks' ``customdata``) and room for
the values beside bars."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from dashboard.kit.content_key import content_key

CONFIG: dict[str, Any] = {"displayModeBar": False, "displaylogo": False, "showTips": False}
"""Plotly.js options of every chart.  Streamlit's frontend (1.67) bundles only Plotly's
``en``/``en-US`` locales, not ``zh-CN``, so the mode bar (English tooltips: "Zoom in",
"Download plot as a png") is hidden and the English double-click tips are off.  A click
still selects points."""


_COPYING = threading.Lock()  # Plotly copies a figure through its shared internals: one copy at a time


@st.cache_resource(show_spinner=False, max_entries=1024)
def _figure(fn_path: str, key: str, _args: tuple[Any, ...], _kwargs: dict[str, Any]) -> go.Figure:
    del key  # identifies the arguments (:func:`~dashboard.kit.content_key.content_key`)
    module, _, name = fn_path.partition(":")
    fig = getattr(importlib.import_module(module), name)(*_args, **_kwargs)
    assert isinstance(fig, go.Figure), f"{fn_path} is not a chart builder"
    return fig


def figure(build: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    """``build(*args, **kwargs)``, a chart builder of :mod:`charts`, made once per process for
    the same arguments; every call gets its own copy, which the page may still change.
    Building a Plotly figure costs 10–20 ms (its properties are validated one update at a
    time), a copy 2 ms: that matters when 60 people rerun pages whose numbers are all cached.
    (The kept figure is never handed out; a copy is made with ``go.Figure``, which keeps
    arrays as arrays, where a pickled copy would hold them base64-encoded.)  Sessions run in
    threads, and Plotly's copy briefly changes the kept figure's trace properties, so two
    copies at once could mix a heatmap's properties into a scatter: copies are made one at a time."""
    original = kept(build, *args, **kwargs)
    with _COPYING:
        return go.Figure(original)


def kept(build: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    """The process's one figure of ``build(*args, **kwargs)`` (see :func:`figure`), to draw as
    it is with :func:`chart`, without a copy (4 ms a chart on a rerun whose numbers are all
    cached).  Shared by every session: never changed; a page that adds to its chart takes
    :func:`figure`."""
    path = f"{build.__module__}:{build.__qualname__}"
    return _figure(path, content_key(*args, **kwargs), args, kwargs)


def chart(fig: Any, **kw: Any) -> Any:
    """Draw ``fig`` with :data:`CONFIG` (a page's own ``config`` may add to it); the same
    arguments and return value (the selection event) as ``st.plotly_chart``.  Streamlit reads
    the figure (``to_dict``) while no copy of a kept figure is being made (:data:`_COPYING`)."""
    config = {**CONFIG, **kw.pop("config", {})}
    with _COPYING:
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
