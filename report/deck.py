"""The deck for a period: :func:`build_deck` puts the cover, the figure sections
(:mod:`report.sections`) and the table sections (:mod:`report.table_sections`) into one
:class:`~report.slides.Deck`; every number comes from :mod:`metrics`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from data import clock
from metrics.engine import MetricsEngine, period_of
from metrics.populations import window_of
from metrics.results import MetricsRequest, MetricsResult, PeriodValues
from report import review as review_source
from report import screening, sections, table_sections
from report import self_check as self_check_source
from report import tasks as task_source
from report.review import ReviewSource
from report.sections import DeckInputs
from report.self_check import SelfCheckSource
from report.slides import DECK_TITLE, DISTRICT, ISSUER, MEETING, SELF_CHECK_TITLE, CoverSlide, Deck, Slide
from report.tasks import TasksSource
from report.text import period_label


def cover(c: DeckInputs, label: str) -> Slide:
    """The title slide: the district deck's, or a department's self-check report's."""
    req = c.request
    period = f"{label}（{req.date_from:%Y-%m-%d} 至 {req.date_to:%Y-%m-%d}）"
    date_line = f"评估基准日 {req.effective_as_of:%Y-%m-%d}"
    if req.street:
        date_line += f" · 街道：{c.engine.data.dept_names.get(req.street, req.street)}"
    if c.dept:
        return CoverSlide(title=SELF_CHECK_TITLE, subtitle=c.dept_name, period=period,
                          issuer=f"{ISSUER}\n{MEETING}", date_line=date_line)
    return CoverSlide(title=DECK_TITLE, subtitle=MEETING, period=period, issuer=ISSUER, date_line=date_line)


def build_deck(engine: MetricsEngine, request: MetricsRequest, dept: str | None = None,
               tasks: TasksSource | None = None, result: MetricsResult | None = None,
               district_engine: MetricsEngine | None = None, today: dt.date | None = None,
               review: ReviewSource | None = None, urgings: Mapping[tuple[str, str], int] | None = None,
               self_checks: SelfCheckSource | None = None, year_ago: PeriodValues | None = None,
               view: Callable[..., Any] | None = None) -> Deck:
    """The deck for ``request``'s period: the district's, or ``dept``'s self-check report.

    ``tasks`` supplies the open rectification tasks (see :mod:`report.tasks`); by default
    :data:`report.tasks.DEFAULT_SOURCE`.  ``result`` is the period's computed result when
    the caller has it already — e.g. a department's, with the district's published figures
    (:func:`metrics.access.with_published_district`), when ``engine`` holds only that
    department's records.  Raises :class:`metrics.results.MetricsRequestError` (a Chinese
    message) for an unknown department.  ``district_engine`` draws the district's trend lines
    when ``engine`` is restricted to one department (published aggregates only).  ``today``
    (default: today in Asia/Shanghai) is the day the ledger's deadlines and the open tasks
    are judged at; the indicators keep the request's as_of.
    ``review``
    supplies the previous joint meeting's decisions (see :mod:`report.review`); the district
    deck opens with them, right after the cover, when there was such a meeting.  ``urgings``
    gives the 催办次数 of each item, ``(kind, item id) -> n`` (:func:`data.urgings.counts`),
    shown per key case on the ledger slide.  ``self_checks`` supplies a department's 排查
    submissions for the period (see :mod:`report.self_check`), shown in its report after
    its weak links; by default there is no submissions data.  ``year_ago`` is the period's
    同比 (``engine.year_ago`` of the request, or a department's with the published district)
    when the caller has it already, like ``result``.  ``view(fn, *args)`` answers
    ``fn(engine, *args)`` for the deck's pure pieces (its trend table, ledger, candidates and
    screen) from the caller's kept results (the dashboard's, shared with its pages and
    between the decks of one period); by default they are computed.
    """
    dept = dept if dept is not None else request.dept
    req = replace(request, dept=dept)
    if result is None or result.request != req:
        result = engine.compute(req)
    name = engine.data.dept_names.get(dept, dept) if dept else DISTRICT
    c = DeckInputs(engine, engine.config, req, result, dept, name, district_engine or engine,
                   today or clock.today_local(), urgings or {},
                   year_ago if year_ago is not None and year_ago.period == period_of(window_of(req).year_ago()) else None,
                   view)
    label = period_label(req.date_from, req.date_to)
    opening = [] if dept else review_source.review_slides((review or review_source.no_review)(req), c.engine.data.dept_names)
    slides: list[Slide] = [cover(c, label), *opening, sections.headlines(c), *sections.trends(c),
                           *sections.scores(c)]
    if not dept:
        slides += table_sections.scorecard(c)
    slides += table_sections.weak_links(c)
    if dept:
        slides += self_check_source.self_checks(req, dept, self_checks or self_check_source.no_self_checks)
    slides += [*table_sections.ledger(c), *table_sections.candidates(c),
               *screening.signals(c),
               *table_sections.tasks(c, tasks or task_source.DEFAULT_SOURCE), *table_sections.appendix(c)]
    first = slides[0]
    assert isinstance(first, CoverSlide)
    return Deck(title=first.title, subtitle=first.subtitle, period_label=label, issuer=ISSUER, request=req,
                dept=dept, dept_name=name, slides=tuple(slides), names=dict(engine.data.dept_names))
