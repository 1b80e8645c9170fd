"""The principal's decks: the meeting deck of 汇报模式 and a department's self-check report,
built from the cached figures (:mod:`dashboard.kit.cache`) and kept per process and in the
results store shared by the processes.

:func:`deck` is for a page that shows the deck; :func:`deck_builder` for a download that
builds it only when clicked, with its live parts (open tasks, the last meeting's review) as
they are then.  Both keep a built deck under the same key, so a deck shown on 汇报模式 and
then downloaded, or downloaded twice, is built once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

import streamlit as st

from dashboard.kit import cache, results_store
from dashboard.kit.memo import kept_memo
from dashboard.labels import t
from data import clock
from data.db import Database
from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest, MetricsResult, PeriodValues

Urged = tuple[tuple[tuple[str, str], int], ...]


def _deck_key(scope: str | None, request: MetricsRequest, dept: str | None, today: dt.date,
              urged: Urged) -> tuple[Any, ...]:
    return ("deck", scope, request, dept, today, urged)


def _built(engine: MetricsEngine, district: MetricsEngine, request: MetricsRequest, dept: str | None,
           result: MetricsResult, year_ago: Callable[[], PeriodValues], view: Callable[..., Any], today: dt.date,
           urged: Urged) -> Any:
    """The deck, from the period's result, its kept 同比 (``year_ago()``, read only here: a deck
    found in the store needs it not) and the kept views of its pieces (``view``: the trend
    table, ledger, candidates and screen that the pages and the period's other decks share)."""
    from report.deck import build_deck

    return build_deck(engine, request, dept, None, result, district_engine=district, today=today,
                      urgings=dict(urged), year_ago=year_ago(), view=view)


_DECKS = kept_memo("decks.deck", 32, check=False)  # a deck holds figures, whose pickle is no measure of them


def _deck(url: str, v: int, overrides: str, scope: str | None, request: MetricsRequest,
          dept: str | None, result: MetricsResult, today: dt.date, urged: Urged) -> Any:
    """The deck kept per process (one object for every session, never changed: live parts
    are added to a new deck) and in the results store.  ``result`` is not in the key: it is
    ``compute`` of the key's own request (its 同比 is read only when the deck is built)."""
    key = (url, v, overrides, scope, request, dept, today, urged)

    def build() -> Any:
        engine, district = cache.engines_at(url, v, overrides, scope)
        year_ago = partial(cache.year_ago_at, url, v, overrides, scope, replace(request, dept=dept))
        view = partial(cache.view_at, url, v, overrides, scope)
        with st.spinner(t("present.building")):
            return results_store.fetch(cache.results_folder(url, v, overrides),
                                       _deck_key(scope, request, dept, today, urged),
                                       lambda: _built(engine, district, request, dept, result, year_ago, view, today,
                                                      urged))

    return _DECKS.get(key, build)


def _as_now(db: Database, request: MetricsRequest, dept: str | None) -> tuple[Urged, Any]:
    """The ledger slide's 催办次数 and (for ``dept``) its 排查 submissions, as they are now."""
    from data.self_checks import period_submissions
    from data.urgings import counts
    from metrics.lights import KEY_CASE
    from metrics.periods import calendar_key

    with db.session() as session:
        urged = tuple(sorted(counts(session, (KEY_CASE,)).items()))
        key = calendar_key(request.date_from, request.date_to)
        submitted = period_submissions(session, dept, key) if dept and key else ()
    return urged, submitted


def deck(request: MetricsRequest, dept: str | None) -> Any:
    """The meeting deck (or a department's self-check report, with its 排查 submissions as
    they are now) for the principal: its own records, with the district's published
    figures and trend lines."""
    from report.self_check import with_self_check

    dept = cache.scope_dept() or dept
    result = cache.compute(replace(request, dept=dept))
    urged, submitted = _as_now(cache.database(), request, dept)
    built = _deck(*cache.selection_key(), request, dept, result, clock.today_local(), urged)
    return with_self_check(built, submitted) if dept else built


def deck_builder(request: MetricsRequest, dept: str | None) -> Callable[[], Any]:
    """:func:`deck` with its live parts as they are when it is called: for a download, which
    builds the deck only when clicked.  Who asks, the engines and the figures are taken now;
    the call runs in Streamlit's download thread, which has no session."""
    from report.live import with_live_parts
    from report.self_check import with_self_check

    dept = cache.scope_dept() or dept
    url, v, overrides, scope = cache.selection_key()
    db, where = cache.database(), cache.results_folder(url, v, overrides)
    engine, district = cache.engines_at(url, v, overrides, scope)
    own = replace(request, dept=dept)
    result, year_ago = cache.compute(own), partial(cache.year_ago_at, url, v, overrides, scope, own)
    view = partial(cache.view_at, url, v, overrides, scope)

    def build() -> Any:
        today = clock.today_local()
        urged, submitted = _as_now(db, request, dept)
        built = results_store.fetch(where, _deck_key(scope, request, dept, today, urged),
                                    lambda: _built(engine, district, request, dept, result, year_ago, view, today,
                                                   urged))
        with db.session() as session:
            return with_live_parts(with_self_check(built, submitted) if dept else built, session, today, dept)

    return build
