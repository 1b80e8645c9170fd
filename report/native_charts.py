"""The deck's charts as native PowerPoint charts: a Plotly figure of bars, lines or a radar
read into categories and series that python-pptx draws as an editable chart (the numbers
stay in the chart's own workbook, so a clerk can restyle or correct it in PowerPoint).
Figures of other kinds (heatmaps, histograms with shapes) give None and stay pictures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

KINDS = ("column", "bar", "line", "radar")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    colors: tuple[str | None, ...]  # per category; None: the palette's
    labels: bool  # value labels on the marks


@dataclass(frozen=True)
class NativeChart:
    """What a native chart needs: its kind (column, bar, line or radar), title, categories,
    series and the number format of its values (``0.0"%"`` where the axis shows %)."""

    kind: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    number_format: str
    legend: bool
    value_range: tuple[float, float] | None = None


def _number(v: Any) -> float | None:
    if v is None or isinstance(v, bool | str):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def _text(v: Any) -> str:
    return v.strftime("%Y-%m") if hasattr(v, "strftime") else str(v)


def _list(values: Any) -> list[Any]:
    """A trace's data array (tuple, list or numpy array; None) as a list."""
    return [] if values is None else list(values)


def _colors(marker_color: Any, n: int) -> tuple[str | None, ...]:
    if isinstance(marker_color, str):
        return (marker_color,) * n
    colors = _list(marker_color) if not isinstance(marker_color, dict) else []
    if len(colors) == n:
        return tuple(c if isinstance(c, str) else None for c in colors)
    return (None,) * n


def _title(fig: go.Figure) -> str:
    title = fig.layout.title.text or ""
    notes = [a.text for a in fig.layout.annotations if a.text]  # e.g. the district line's "全区 93.1"
    return f"{title}（{'；'.join(notes)}）" if notes and title else title


def _aligned(cats: list[str], xs: Sequence[Any], ys: Sequence[Any]) -> tuple[float | None, ...]:
    by = {_text(x): _number(y) for x, y in zip(_list(xs), _list(ys), strict=False)}
    return tuple(by.get(c) for c in cats)


def _categories(traces: Sequence[Any], axis: str) -> list[str]:
    cats: list[str] = []
    for tr in traces:
        for v in _list(getattr(tr, axis)):
            if _text(v) not in cats:
                cats.append(_text(v))
    return cats


def _format(fig: go.Figure, axis: str) -> str:
    suffix = getattr(fig.layout, axis).ticksuffix
    return '0.0"%"' if suffix == "%" else "0.0"


def native_chart(fig: go.Figure) -> NativeChart | None:
    """``fig`` as a native chart, or None when PowerPoint has no like chart for it."""
    traces = list(fig.data)
    if not traces:
        return None
    types = {tr.type for tr in traces}
    legend = fig.layout.showlegend is not False and len(traces) > 1
    if types == {"scatterpolar"}:
        first = _list(traces[0].theta)
        closed = len(first) > 1 and first[-1] == first[0]
        cats = [_text(c) for c in (first[:-1] if closed else first)]
        series = tuple(Series(tr.name or "", _aligned(cats, tr.theta, tr.r),
                              (tr.line.color if isinstance(tr.line.color, str) else None,) * len(cats), False)
                       for tr in traces)
        return NativeChart("radar", _title(fig), tuple(cats), series, "0.0", legend, (0.0, 100.0))
    if types == {"scatter"} and all("lines" in (tr.mode or "lines") for tr in traces):
        cats = _categories(traces, "x")
        series = tuple(Series(tr.name or "", _aligned(cats, tr.x, tr.y), (None,) * len(cats), False)
                       for tr in traces)
        return NativeChart("line", _title(fig), tuple(cats), series, _format(fig, "yaxis"), legend)
    bars = [tr for tr in traces if tr.type == "bar"]
    marks = [tr for tr in traces if tr.type == "scatter" and "lines" not in (tr.mode or "")]
    if not bars or len(bars) + len(marks) != len(traces) or fig.layout.barmode in ("stack", "relative"):
        return None
    horizontal = {tr.orientation == "h" for tr in bars}
    if len(horizontal) != 1:
        return None
    h = horizontal.pop()
    cat_axis, val_axis = ("y", "x") if h else ("x", "y")
    cats = _categories(bars, cat_axis)
    bar_series: list[Series] = []
    for tr in [*bars, *marks]:  # a marker series (the district's value) becomes bars beside them
        values = _aligned(cats, getattr(tr, cat_axis), getattr(tr, val_axis))
        color = tr.marker.color if tr.marker is not None else None
        bar_series.append(Series(tr.name or "", values, _colors(color, len(cats)),
                                 tr.type == "bar" and tr.text is not None))
    rng = getattr(fig.layout, f"{val_axis}axis").range
    value_range = (float(rng[0]), float(rng[1])) if rng is not None and None not in rng else None
    return NativeChart("bar" if h else "column", _title(fig), tuple(cats), tuple(bar_series),
                       _format(fig, f"{val_axis}axis"), len(bar_series) > 1, value_range)
