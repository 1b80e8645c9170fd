"""The slide the next joint meeting opens with: the previous meeting's decisions (议定事项)
and their status — done, or still open with today's light.

The deck does not read meetings itself.  :func:`report.deck.build_deck` takes ``review``, a
:data:`ReviewSource`: a callable ``(request) -> DecisionReview | None`` answering the review
of :func:`metrics.alerts.decision_review`; :func:`database_review` reads it from a database.
No previous meeting means no slide, so a deck without meetings keeps its pages.  The
dashboard builds the deck once per data version and puts the live review in with
:func:`with_review`, as it does for the tasks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from metrics.alerts import DecisionReview, decision_review
from metrics.lights import LIGHT_NAMES, RED
from metrics.results import MetricsRequest
from report.pagination import table_slides
from report.slides import Column, CoverSlide, Deck, Slide
from report.text import date_text, plain_text

if TYPE_CHECKING:
    from data.db import Database

REVIEW_TITLE = "上次联席会议议定事项落实情况"

ReviewSource = Callable[[MetricsRequest], DecisionReview | None]


def no_review(request: MetricsRequest) -> DecisionReview | None:
    """The source used when the deck has no database: no previous meeting to review."""
    del request
    return None


def database_review(db: Database, before: dt.date | None = None) -> ReviewSource:
    """A :data:`ReviewSource` reading the last meeting held before ``before`` (default: the
    last one held by today, Asia/Shanghai, the deck being the next meeting's)."""

    def source(request: MetricsRequest) -> DecisionReview | None:
        del request
        from metrics.lights import today_local

        day = before or today_local() + dt.timedelta(days=1)
        with db.session() as session:
            return decision_review(session, day)

    return source


def status_text(done: bool, status: str, light: str | None) -> str:
    """A decision's status as the slide says it: 已完成, or its task status with today's light."""
    if done:
        return "已完成"
    return f"{status}（{LIGHT_NAMES[light]}）" if light else status


def review_slides(review: DecisionReview | None, names: Mapping[str, str]) -> list[Slide]:
    """The review slide(s); none when there is no previous meeting."""
    if review is None or review.meeting is None:
        return []
    m = review.meeting
    cols = [Column("序号", 0.7, "center"), Column("议定事项", 5.4, max_lines=3), Column("责任单位", 2.2, max_lines=2),
            Column("完成时限", 1.45, "center"), Column("落实情况", 2.2, "center", max_lines=2)]
    rows, tones = [], []
    for d, light in zip(review.decisions, review.lights, strict=True):
        rows.append((str(d.seq), plain_text(d.content), names.get(d.dept_code, plain_text(d.dept_code)),
                     date_text(d.deadline), status_text(d.done, d.status, light)))
        tones.append(("",) * 4 + ("good" if d.done else "bad" if light == RED else "",))
    n, done = len(review.decisions), review.done_count
    red = sum(light == RED for light in review.lights)
    summary = (f"{m.held_on:%Y-%m-%d} 联席会议（召集人：{plain_text(m.convener)}）议定事项 {n} 项，"
               f"已完成 {done} 项，未完成 {n - done} 项，其中逾期（红灯）{red} 项。",)
    title = f"{REVIEW_TITLE}（{m.held_on:%Y-%m-%d}）"
    return table_slides(title, cols, rows, tones, summary, empty="上次联席会议未形成议定事项。")


def with_review(deck: Deck, review: DecisionReview | None) -> Deck:
    """``deck`` with its review slide(s) rebuilt from ``review``, right after the cover."""
    kept = [s for s in deck.slides if not s.title.startswith(REVIEW_TITLE)]
    new = review_slides(review, deck.names)
    at = 1 if kept and isinstance(kept[0], CoverSlide) else 0
    return replace(deck, slides=(*kept[:at], *new, *kept[at:]))
