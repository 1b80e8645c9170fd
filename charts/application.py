"""One application's stage timeline (the view a record table opens): its steps on a
working-day axis counted from acceptance, the working days that count toward the limits
beside the suspended ones (特别程序, not counted), and the promised and legal limits as
lines; what is over a limit in red (a pure builder: the timeline rows in, a figure out)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from charts.style import ACCENT, GOOD, MUTED, PALETTE, PRIMARY, WARN, styled

STEPS_ROW = "办理环节"
CLOCK_ROW = "计入时限"
STAGE_COLORS = {"受理": PALETTE[2], "审查": PRIMARY, "决定": PALETTE[1], "送达": PALETTE[8]}


def _known(v: object) -> bool:
    return v is not None and v is not pd.NA and not (isinstance(v, float) and math.isnan(v))


def _int(v: object) -> int | None:
    """A whole number of days, or None when missing."""
    return int(v) if _known(v) and isinstance(v, int | float | str) else None


def _marks(known: pd.DataFrame) -> list[tuple[int, str, str, int]]:
    """One marker per working day that has steps (steps of the same day share it), as (x,
    label, hover text, level): a label too close to one already placed on a level goes a
    level higher, so that labels stack instead of overlapping."""
    days: list[tuple[int, list[tuple[list[str], str]], list[str]]] = []  # x, [(steps, day)], hovers
    for step, day, cum in zip(known["step"], known["day"], known["cum_wd"], strict=True):
        x, when, hover = int(cum), f"{day:%m-%d}", f"{step}：{day:%Y-%m-%d}"
        if days and days[-1][0] == x:
            groups = days[-1][1]
            if groups[-1][1] == when:
                groups[-1][0].append(str(step))
            else:
                groups.append(([str(step)], when))
            days[-1][2].append(hover)
        else:
            days.append((x, [([str(step)], when)], [hover]))
    span = max(1, days[-1][0] - days[0][0])
    gap = span / 5
    last: list[float] = []  # the x of the last label on each level
    out: list[tuple[int, str, str, int]] = []
    for x, labels, hovers in days:
        level = next((i for i, at in enumerate(last) if x - at >= gap), len(last))
        level = min(level, 2)
        if level == len(last):
            last.append(x)
        else:
            last[level] = x
        out.append((x, "；".join(f"{'、'.join(steps)} {when}" for steps, when in labels), "<br>".join(hovers) + f"<br>自受理起第 {x} 个工作日", level))
    return out


def stage_timeline(rows: pd.DataFrame, clock: Mapping[str, object], *, title: str) -> go.Figure:
    """The timeline of one application.

    ``rows``: its steps in order (``step``, ``stage`` — the stage a step ends, None for the
    first —, ``day``, ``cum_wd`` working days since acceptance, ``stage_wd``).  ``clock``:
    ``elapsed_wd``, ``counted_wd``, ``suspended_days``, ``promised_limit_days``,
    ``legal_limit_days``, ``overdue``, ``legal_overdue``, ``open`` (as
    :class:`metrics.timeline.Timeline` holds them).  The top row draws each stage as a
    segment between its steps; the bottom row the counted working days (red when over the
    promised limit, amber when open and within it, green when done within it) followed by
    the suspended ones (grey, hatched).
    """
    fig = go.Figure()
    known = rows[[_known(v) for v in rows["cum_wd"]]]
    cum = [int(v) for v in known["cum_wd"]]
    for prev, (_, row) in zip(cum, known.iloc[1:].iterrows(), strict=False):
        stage = row["stage"]
        length = int(row["cum_wd"]) - prev
        name = f"{stage}环节" if isinstance(stage, str) else str(row["step"])
        wide = length >= max(2, (cum[-1] - cum[0]) / 6)  # room for the label inside the segment
        fig.add_trace(go.Bar(
            y=[STEPS_ROW], x=[max(length, 0.08)], base=[prev], orientation="h", name=name,
            marker={"color": STAGE_COLORS.get(str(stage), MUTED)}, showlegend=False,
            text=[f"{stage} {length}天" if wide else ""], textposition="inside", insidetextanchor="middle",
            textangle=0,
            hovertemplate=f"{name}：{length} 个工作日<extra></extra>",
        ))
    if len(known):
        marks = _marks(known)
        fig.add_trace(go.Scatter(
            y=[STEPS_ROW] * len(marks), x=[m[0] for m in marks], mode="markers", showlegend=False,
            marker={"size": 11, "color": "white", "line": {"color": PRIMARY, "width": 2}, "symbol": "diamond"},
            hovertext=[m[2] for m in marks], hoverinfo="text",
        ))
        first, last = marks[0][0], marks[-1][0]
        for x, text, _, level in marks:
            # the first label reads rightwards from its step, the last leftwards: never cut at an edge
            anchor = "left" if x == first else "right" if x == last else "center"
            fig.add_annotation(x=x, y=STEPS_ROW, text=text, showarrow=True, arrowhead=0, arrowwidth=1,
                               arrowcolor=MUTED, ax=0, ay=-(34 + 20 * level), font={"size": 12}, xanchor=anchor,
                               bgcolor="rgba(255,255,255,0.85)")
    counted, suspended = _int(clock.get("counted_wd")), _int(clock.get("suspended_days")) or 0
    promised, legal = _int(clock.get("promised_limit_days")), _int(clock.get("legal_limit_days"))
    elapsed = _int(clock.get("elapsed_wd"))
    if counted is not None:
        n = counted
        over = bool(clock.get("overdue"))
        color = ACCENT if over else (WARN if clock.get("open") else GOOD)
        state = "超承诺时限" if over else ("在办" if clock.get("open") else "承诺时限内")
        if clock.get("legal_overdue"):
            state = "超法定时限"
        fig.add_trace(go.Bar(
            y=[CLOCK_ROW], x=[max(n, 0.08)], base=[0], orientation="h", name="计入时限的工作日",
            marker={"color": color}, text=[f"计时 {n} 天"], textposition="inside",
            insidetextanchor="middle", textangle=0, hovertemplate=f"计入时限：{n} 个工作日（{state}）<extra></extra>",
        ))
        if suspended:
            fig.add_trace(go.Bar(
                y=[CLOCK_ROW], x=[suspended], base=[n], orientation="h", name="特别程序（不计时）",
                marker={"color": "#d5dbe3", "pattern": {"shape": "/", "fgcolor": MUTED}},
                text=[f"特别程序 {suspended}天"], textposition="inside", insidetextanchor="middle", textangle=0,
                hovertemplate=f"特别程序：{suspended} 个工作日，不计入办理时限<extra></extra>",
            ))
    for value, label, color, dash in ((promised, "承诺时限", WARN, "dash"), (legal, "法定时限", ACCENT, "dot")):
        if value:
            fig.add_vline(x=value, line_dash=dash, line_color=color, line_width=2,
                          annotation_text=f"{label} {value}", annotation_position="top",
                          annotation_font_color=color)
    if clock.get("open") and elapsed is not None:
        fig.add_vline(x=elapsed, line_color=MUTED, line_width=1,
                      annotation_text="统计时点", annotation_position="bottom right", annotation_font_color=MUTED)
    ends = [0, *cum, (counted or 0) + suspended, *(v for v in (promised, legal) if v is not None)]
    lo, hi = min(ends), max(ends)
    fig.update_layout(barmode="overlay", bargap=0.45, showlegend=False,
                      margin={"l": 10, "r": 20, "t": 90, "b": 10})
    fig.update_xaxes(title_text="自受理起的工作日", range=[lo - 0.6, hi + 0.8], tick0=0,
                     dtick=max(1, math.ceil((hi - lo) / 12)), zeroline=True, zerolinecolor=MUTED)
    fig.update_yaxes(categoryorder="array", categoryarray=[CLOCK_ROW, STEPS_ROW], range=[-0.6, 2.1])
    return styled(fig, title=title, height=360)
