"""Chart images for the deck: the dashboard's Plotly figures exported to PNG with kaleido.

Kaleido ≥ 1 drives a Chrome/Chromium over the DevTools protocol; the project uses Debian's
``/usr/bin/chromium`` (``BROWSER_PATH`` overrides it), with the sandbox off (kaleido's
default) and no MathJax (no network).  One browser renders every chart of a deck.  When no
browser is available or a chart fails, its image is ``None`` and the writers draw a short
Chinese note in its place, so a deck is always produced.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import shutil
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from report import layout

if TYPE_CHECKING:
    from report.slides import Deck

log = logging.getLogger(__name__)

CHART_UNAVAILABLE = "图表暂无法生成（未找到图表渲染所需的浏览器）"
BROWSER_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def browser_path() -> str | None:
    """The Chromium kaleido should drive: ``$BROWSER_PATH``, Debian's chromium, or one on PATH."""
    env = os.environ.get("BROWSER_PATH")
    if env and Path(env).is_file():
        return env
    for p in BROWSER_CANDIDATES:
        if Path(p).is_file():
            return p
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def slide_figure(fig: go.Figure, width_in: float, height_in: float, *, base_font: int | None = None) -> go.Figure:
    """A copy of ``fig`` sized for a box of the slide, with fonts readable from the back of a room."""
    out = go.Figure(fig)
    w, h = int(width_in * layout.PX_PER_IN), int(height_in * layout.PX_PER_IN)
    font = base_font or (16 if h >= 360 else 14)
    out.update_layout(width=w, height=h, font={"size": font}, title={"font": {"size": font + 4}},
                      margin={"l": 10, "r": 24, "t": 64, "b": 10})
    if sum(1 for t in out.data if t.showlegend is not False) > 1 and out.layout.polar.domain.y is None:
        # the legend on its own line under the title, never beside it
        out.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0,
                                  "font": {"size": font - 2}},
                          margin={"t": 100})
    for trace in out.data:
        if trace.type == "bar":
            # every category labelled (Plotly skips labels when crowded) and bar labels never shrunk
            trace.update(textfont={"size": font - 2}, constraintext="none")
            if trace.orientation == "h":  # room for the value labels right of the longest bar
                out.update_layout(margin={"r": 56})
            axis = out.layout.yaxis if trace.orientation == "h" else out.layout.xaxis
            cats = trace.y if trace.orientation == "h" else trace.x
            if cats is not None and len(cats) > 0 and isinstance(cats[0], str):
                axis.update(tickmode="array", tickvals=list(cats), ticktext=list(cats),
                            tickfont={"size": font - 2 if len(cats) > 12 else font})
    return out


@dataclass(frozen=True)
class Job:
    figure: go.Figure
    width_in: float
    height_in: float


async def _render(jobs: Sequence[Job], path: str) -> list[bytes | None]:
    import kaleido

    out: list[bytes | None] = [None] * len(jobs)
    async with kaleido.Kaleido(n=min(2, max(1, len(jobs))), path=path, mathjax=False, timeout=60) as k:
        async def one(i: int, job: Job) -> None:
            fig = slide_figure(job.figure, job.width_in, job.height_in)
            opts = {"format": "png", "width": fig.layout.width, "height": fig.layout.height,
                    "scale": layout.CHART_SCALE}
            try:
                out[i] = await k.calc_fig(fig, opts=opts)
            except Exception as err:  # a failed chart becomes a note, not a failed deck
                log.warning("chart %d failed: %s", i, err)

        await asyncio.gather(*(one(i, j) for i, j in enumerate(jobs)))
    return out


def render_pngs(jobs: Sequence[Job]) -> list[bytes | None]:
    """PNG bytes of each job's figure at its slide size (None where it could not be drawn)."""
    if not jobs:
        return []
    path = browser_path()
    if path is None:
        log.warning("no Chromium found for chart images")
        return [None] * len(jobs)
    try:
        # a thread of its own: the caller may already run an event loop (Streamlit, notebooks)
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, _render(jobs, path)).result()
    except Exception as err:
        log.warning("chart rendering failed: %s", err)
        return [None] * len(jobs)


def deck_images(deck: Deck, keys_wanted: Collection[str] | None = None) -> dict[str, bytes | None]:
    """Every chart of ``deck`` (or those of ``keys_wanted``) as PNG, keyed by chart key,
    sized for its box on its slide."""
    from report.slides import ChartSlide

    keys: list[str] = []
    jobs: list[Job] = []
    for slide in deck.slides:
        if isinstance(slide, ChartSlide):
            boxes = layout.chart_boxes([c.weight for c in slide.charts], slide.summary)
            for chart, (_, _, w, h) in zip(slide.charts, boxes, strict=True):
                if keys_wanted is not None and chart.key not in keys_wanted:
                    continue
                keys.append(chart.key)
                jobs.append(Job(chart.figure, w, h))
    return dict(zip(keys, render_pngs(jobs), strict=True))
