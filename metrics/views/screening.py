"""隐性壁垒筛查 page (and the overview's count and the deck's slide): the screen of a request,
one signal, the applications of both groups behind it, one application whole, and the
request that turns a signal into a case.

Every function takes the engine first and hashable arguments, so the dashboard caches it
with ``cache.view``.  The screen itself is :class:`metrics.screening.screener.Screener`
(one per engine, kept while the engine lives); nothing here restates a population: the
records are the screener's, the values compared are the signal's.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from data.screening_cases import CLOSED_STATUSES, SignalCase, signal_key
from metrics.engine import MetricsEngine
from metrics.screening.cases import case_request as _case_request
from metrics.screening.model import LOCAL_LABEL, NONLOCAL_LABEL, ScreeningRequest, ScreeningResult, Signal
from metrics.screening.screener import LIFTED, Screener
from metrics.views.application import application_record as _application_record

_LOCK = threading.Lock()
_SCREENERS: weakref.WeakKeyDictionary[MetricsEngine, Screener] = weakref.WeakKeyDictionary()

VALUE_COLUMN = {"nonlocal_time": "processing_wd", "nonlocal_visits": "visits"}
"""The per-application value a Mann–Whitney kind compares (its records' column)."""

RECORD_COLUMNS = ("applicant_group", "app_id", "item_name", "dept_name", "entity_id", "division_code", "submitted_at",
                  "accepted_at", "completed_at", "status", "result", "processing_wd", "suspended_days", "visits")
"""The records table of a signal as people read it: names, not codes (the group first)."""


def screener(engine: MetricsEngine) -> Screener:
    """The engine's screener (its locality index built once per engine)."""
    with _LOCK:
        found = _SCREENERS.get(engine)
        if found is None:
            found = _SCREENERS[engine] = Screener(engine)
    return found


RESULTS_KEPT = 8
"""Screens kept per engine: a signal's records, chart and case request reuse the page's screen."""
_RESULTS: weakref.WeakKeyDictionary[MetricsEngine, dict[ScreeningRequest, ScreeningResult]] = (
    weakref.WeakKeyDictionary())


def screen(engine: MetricsEngine, request: ScreeningRequest) -> ScreeningResult:
    """Every flagged signal of ``request`` and the tested counts (screening.md); the newest
    few screens of an engine are kept, so that drilling into a signal does not screen again."""
    with _LOCK:  # pages run in threads; the screen itself runs outside the lock
        found = _RESULTS.setdefault(engine, {}).get(request)
    if found is None:
        found = screener(engine).screen(request)
    with _LOCK:
        kept = _RESULTS.setdefault(engine, {})
        kept.pop(request, None)
        kept[request] = found  # newest last
        while len(kept) > RESULTS_KEPT:
            del kept[next(iter(kept))]
    return found


def key_of(result: ScreeningResult, s: Signal) -> str:
    """The signal's identity for its case (kind, item, period)."""
    return signal_key(s.kind, s.item_code, result.period.date_from, result.period.date_to)


def find(result: ScreeningResult, kind: str, item_code: str) -> Signal | None:
    """The flagged signal of ``kind`` on ``item_code`` in ``result`` (None if not flagged)."""
    return next((s for s in result.signals if s.kind == kind and s.item_code == item_code), None)


def signal(engine: MetricsEngine, request: ScreeningRequest, kind: str, item_code: str) -> Signal | None:
    """One flagged signal of the request's screen, or None."""
    return find(screen(engine, request), kind, item_code)


def open_case_of(cases: Sequence[tuple[str, str | None]]) -> tuple[str, str] | None:
    """The still-open case among a signal's linked cases (``data.screening_cases.linked_cases``)."""
    for case_id, status in cases:
        if status is not None and status not in CLOSED_STATUSES:
            return case_id, status
    return None


def open_signals(result: ScreeningResult, links: Mapping[str, Sequence[tuple[str, str | None]]]) -> tuple[Signal, ...]:
    """The signals not yet turned into a case (no case made from them, open or closed):
    what is still waiting for someone to act on it."""
    return tuple(s for s in result.signals if not links.get(key_of(result, s)))


def records(engine: MetricsEngine, request: ScreeningRequest, kind: str, item_code: str) -> pd.DataFrame:
    """The applications behind a flagged signal, 外地 first, with item and department names
    and the registering authority's division code (characters 3–8 of the credit code);
    empty when the signal is not flagged in this request."""
    s = signal(engine, request, kind, item_code)
    if s is None:
        return pd.DataFrame(columns=list(RECORD_COLUMNS))
    df = screener(engine).records(request, s)
    names = engine.data.dept_names
    out = df.assign(
        applicant_group=df["group"],
        item_name=s.item_name,
        dept_name=[names.get(str(d), str(d)) if not pd.isna(d) else None for d in df["dept_code"]],
        division_code=df["entity_id"].astype("string").str.slice(2, 8),
    )
    return out.loc[:, list(RECORD_COLUMNS)]


def distribution(engine: MetricsEngine, request: ScreeningRequest, kind: str, item_code: str) -> pd.DataFrame:
    """What the two groups' chart shows: for a Mann–Whitney kind one row per application
    (``group``, ``value``: its processing_wd or visits, as compared); for a share kind one row
    per group (``group``, ``n``, ``value`` = the share); empty for 国家已放开地方仍审批."""
    s = signal(engine, request, kind, item_code)
    if s is None or kind == LIFTED:
        return pd.DataFrame(columns=["group", "value"])
    if kind in VALUE_COLUMN:
        df = screener(engine).records(request, s)
        values = pd.to_numeric(df[VALUE_COLUMN[kind]], errors="coerce").astype("float64")
        return pd.DataFrame({"group": df["group"].astype(str), "value": values}).dropna().reset_index(drop=True)
    groups = [(NONLOCAL_LABEL, s.nonlocal_), (LOCAL_LABEL, s.local)]
    return pd.DataFrame([{"group": g, "n": x.n, "value": x.value} for g, x in groups if x is not None])


def application_record(engine: MetricsEngine, request: ScreeningRequest, app_id: str) -> dict[str, Any] | None:
    """One application whole (see :func:`metrics.views.application.application_record`)."""
    return _application_record(engine, request, app_id)


def case_request(engine: MetricsEngine, request: ScreeningRequest, kind: str, item_code: str) -> SignalCase | None:
    """What the case made from a flagged signal says (key, department, summary); None when
    the signal is not flagged in this request."""
    result = screen(engine, request)
    s = find(result, kind, item_code)
    return None if s is None else _case_request(screener(engine), result, s)

