"""Around the charts of :mod:`charts` on a page: the one call that draws a chart (no
English toolbar), the one way a page makes a chart (:func:`kept`, once per process), what a
click selected (Plotly selection events carry the clicked marks' ``customdata``) and room for
the values beside bars."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from dashboard.kit import cache
from dashboard.kit.content_key import content_key
from dashboard.kit.memo import CHECK_ENV, SharedResultChanged, kept_memo

CONFIG: dict[str, Any] = {"displayModeBar": False, "displaylogo": False, "showTips": False}
"""Plotly.js options of every chart.  Streamlit's frontend (1.67) bundles only Plotly's
``en``/``en-US`` locales, not ``zh-CN``, so the mode bar (English tooltips: "Zoom in",
"Download plot as a png") is hidden and the English double-click tips are off.  A click
still selects points."""


@dataclass(frozen=True)
class Adjust:
    """Changes a page makes to a chart builder's figure, made once when the kept figure is made:
    ``room`` widens horizontal bars' value axis for the labels beside them
    (:func:`room_for_labels`), then ``xaxes`` and ``layout`` are Plotly updates."""

    room: float | None = None
    xaxes: Mapping[str, Any] = field(default_factory=dict)
    layout: Mapping[str, Any] = field(default_factory=dict)


ROOM = Adjust(room=0.14)
"""Room for the value written beside the longest bar."""


_FIGURES = kept_memo("plots.figures", 1024, check=False)  # a figure's pickle is no measure of it: tests check it


class KeptFigure(go.Figure):
    """A figure every session draws and nobody changes, made from the dict its builder's figure
    gives (:func:`drawn`), which ``to_dict`` returns.  ``st.plotly_chart`` turns a figure into a
    dict on every call, a deep copy of every trace: 6 % of the server's CPU on reruns whose
    numbers are all cached.  Each call gets a new top-level dict (Plotly's pickling adds keys
    to it) over the one kept copy, which Streamlit only reads.  Under the test suite's check
    (:data:`memo.CHECK_ENV`) every call also verifies that the figure is as it was made."""

    @classmethod
    def of(cls, drawing: dict[str, Any]) -> KeptFigure:
        """The figure of ``drawing`` (a figure's ``to_dict``), without Plotly validating every
        property again: 0.2 ms instead of the 10–20 ms of a build (it was validated when built)."""
        fig = cls(drawing, _validate=False)
        fig.__dict__["_kept_dict"] = drawing
        if os.environ.get(CHECK_ENV) == "1":
            fig.__dict__["_made_as"] = content_key(go.Figure.to_dict(fig))
        return fig

    def to_dict(self) -> dict[str, Any]:
        kept: dict[str, Any] = self.__dict__["_kept_dict"]
        made_as = self.__dict__.get("_made_as")
        if made_as is not None and content_key(super().to_dict()) != made_as:
            raise SharedResultChanged("plots.KeptFigure: a page changed a figure that every session shares")
        return dict(kept)


def drawn(build: Callable[..., go.Figure], args: tuple[Any, ...], kwargs: dict[str, Any],
          adjust: Adjust) -> dict[str, Any]:
    """What ``build(*args, **kwargs)`` with ``adjust`` draws: its figure's dict."""
    fig = build(*args, **kwargs)
    assert isinstance(fig, go.Figure), f"{build.__qualname__} is not a chart builder"
    if adjust.room is not None:
        room_for_labels(fig, adjust.room)
    if adjust.xaxes:
        fig.update_xaxes(**adjust.xaxes)
    if adjust.layout:
        fig.update_layout(**adjust.layout)
    return fig.to_dict()


def kept(build: Callable[..., go.Figure], *args: Any, adjust: Adjust = Adjust(), **kwargs: Any) -> go.Figure:
    """The process's one figure of ``build(*args, **kwargs)``, a chart builder of :mod:`charts`,
    with the page's ``adjust``ments, to draw with :func:`chart`.  Building a Plotly figure costs
    10–20 ms (its properties are validated one update at a time) and even a copy of one 2 ms:
    that matters when 60 people rerun pages whose numbers are all cached.  Its dict is made once
    for all the processes (:func:`dashboard.kit.cache.drawing`).  Shared by every
    session, so never changed after it is made: a page says what it changes in ``adjust``."""
    key = (f"{build.__module__}:{build.__qualname__}", content_key(adjust, *args, **kwargs))
    return _FIGURES.get(key, lambda: KeptFigure.of(cache.drawing(("figure", *key),
                                                                 partial(drawn, build, args, kwargs, adjust))))


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
