"""The cache boundary: the data version, the signed-in principal and the engines, once per
process.

The database is :func:`dashboard.kit.connection.database` (``cache.database`` is that
function). ``st.cache_resource`` keeps one :class:`~metrics.engine.MetricsEngine` per data
version and settings (a new import or a changed weight makes a new one), plus, for each
department that has users signed in, an engine over that department's records only
(:mod:`metrics.access`).  The engines' pure
functions are kept per process by :func:`~dashboard.kit.memo.memoized` (every session gets
the same result object, which pages never change), so that a filter change seen before
costs nothing.

Every function here answers for the signed-in principal: a department user's calls go to
its restricted engine, and the district figures it sees are the published aggregates.
Pages call these functions (their context from :func:`dashboard.kit.page.page`) and never
touch a session, SQL or an unscoped engine.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from dashboard.kit import fresh, page_warm_up, results_store, served_data, warm_up
from dashboard.kit.connection import database
from dashboard.kit.memo import memoized
from dashboard.kit.served_data import results_folder
from dashboard.kit.served_data import state as _state
from data.accounts import Principal
from data.frames import load_frames
from data.snapshots import default_cache_dir
from metrics import lights
from metrics.access import (
    department_result,
    department_year_ago,
    published_request,
    restrict_frames,
    scoped_trends,
)
from metrics.alert_settings import LightRules
from metrics.config import load_config
from metrics.coverage import Coverage, coverage
from metrics.directory import Directory, directory
from metrics.engine import MetricsEngine
from metrics.records import records_behind
from metrics.results import (
    MetricsRequest,
    MetricsResult,
    PeriodValues,
    narrowed,
    narrowed_values,
    whole_request,
)
from metrics.series import item_breakdown, monthly_series, series_of

T = TypeVar("T")
PRINCIPAL_KEY = "_principal"


# ---------------------------------------------------------------- who is asking


def principal() -> Principal | None:
    """The signed-in principal of this browser session (set by :mod:`dashboard.kit.auth`)."""
    return st.session_state.get(PRINCIPAL_KEY)


def scope_dept() -> str | None:
    """The signed-in department user's department (None for a district user)."""
    p = principal()
    return p.dept if p is not None and p.is_department else None


# ---------------------------------------------------------------- data version and engines


def version() -> int:
    """The current data version (newest successful import batch id)."""
    return _state(database().url)[0]


def _kept(url: str, v: int, overrides: str, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()`` through the results store: once for every process (see :mod:`results_store`)."""
    return results_store.fetch(results_folder(url, v, overrides), key, compute)


@st.cache_resource(show_spinner="正在加载数据……", max_entries=2)
def _full_engine(url: str, v: int, overrides: str) -> MetricsEngine:
    with database(url).session() as session:
        frames = load_frames(session, default_cache_dir(url))
    full = MetricsEngine(frames, load_config(overrides=json.loads(overrides) or None))
    # the district's figures of every period, computed once for every process after an import,
    # then the pages run on them (a child process)
    where, units = results_folder(url, v, overrides), directory(frames)
    warm_up.start(where, [
        (key, partial(method, request))
        for request in warm_up.period_requests(units)
        for key, method in ((_compute_key(None, request), full.compute), (_year_ago_key(None, request), full.year_ago))
    ], then=partial(page_warm_up.spawn, url, where, warm_up.page_plan(units)))
    return full


@st.cache_resource(show_spinner="正在加载数据……", max_entries=32)
def _dept_engine(url: str, v: int, overrides: str, dept: str) -> MetricsEngine:
    full = _full_engine(url, v, overrides)
    return MetricsEngine(restrict_frames(full.frames, dept), full.config, data_end=full.data_end)


def selection_key() -> tuple[str, int, str, str | None]:
    """(database URL, data version, settings key, the principal's department scope): what every
    cached result here is kept by (and :mod:`dashboard.kit.decks`)."""
    url = database().url
    v, overrides = _state(url)
    return url, v, overrides, scope_dept()


def _engine_for(url: str, v: int, overrides: str, dept: str | None) -> MetricsEngine:
    return _full_engine(url, v, overrides) if dept is None else _dept_engine(url, v, overrides, dept)


def engines_at(url: str, v: int, overrides: str, scope: str | None) -> tuple[MetricsEngine, MetricsEngine]:
    """(the engine of ``scope`` — a department's own records, or the whole data —, the district's)."""
    return _engine_for(url, v, overrides, scope), _full_engine(url, v, overrides)


def engine() -> MetricsEngine:
    """The engine the signed-in principal may use (a department's own records only)."""
    return _engine_for(*selection_key())


# ---------------------------------------------------------------- cached engine calls


@memoized(8)
def _coverage(url: str, v: int, overrides: str) -> Coverage:
    return coverage(_full_engine(url, v, overrides).frames)


def data_coverage() -> Coverage:
    """数据截至 of the whole data (dates only: published, like the department names)."""
    url, v, overrides, _ = selection_key()
    return _coverage(url, v, overrides)


@memoized(64)
def _directory(url: str, v: int, overrides: str, dept: str | None) -> Directory:
    d = directory(_full_engine(url, v, overrides).frames)
    if dept is None:
        return d
    return replace(d, units=tuple(u for u in d.units if u.code == dept))


def units() -> Directory:
    """Departments and streets the principal may choose (a department: itself only)."""
    return _directory(*selection_key())


def all_units() -> Directory:
    """Every department and street by name (names are public: for choosing a unit to act on)."""
    url, v, overrides, _ = selection_key()
    return _directory(url, v, overrides, None)


@memoized(4)
def _code_names(url: str, v: int, overrides: str) -> dict[str, dict[str, str]]:
    frames = _full_engine(url, v, overrides).frames
    items = frames.service_items
    return {"dept": directory(frames).names(),
            "item": dict(zip(items["item_code"].astype(str), items["item_name"].astype(str), strict=True))}


def code_names() -> dict[str, dict[str, str]]:
    """Names of every code a record table shows (``dept``: departments and streets, ``item``:
    service items); names are public, so a department's tables name other units too."""
    url, v, overrides, _ = selection_key()
    return _code_names(url, v, overrides)


def _compute_key(dept: str | None, request: MetricsRequest) -> tuple[Any, ...]:
    return ("compute", dept, request)


@memoized(256)
def _compute(url: str, v: int, overrides: str, dept: str | None, request: MetricsRequest) -> MetricsResult:
    if dept is None and request.dept is not None:
        # the district's result narrowed, as the engine itself answers a department filter:
        # every department of a period the warm-up computed is a hit
        return narrowed(_compute(url, v, overrides, None, whole_request(request)), request)
    run: Callable[[], MetricsResult]
    if dept is None:
        run = partial(_full_engine(url, v, overrides).compute, request)
    else:  # the district's published figures are the district's own result, kept once for all
        def run() -> MetricsResult:
            published = _compute(url, v, overrides, None, whole_request(published_request(request)))
            return department_result(_dept_engine(url, v, overrides, dept), request, dept, published)
    return _kept(url, v, overrides, _compute_key(dept, request), run)


def compute(request: MetricsRequest) -> MetricsResult:
    """Indicators, scores and weak links for ``request`` (cached per data version)."""
    return _compute(*selection_key(), request)


def _year_ago_key(dept: str | None, request: MetricsRequest) -> tuple[Any, ...]:
    return ("year_ago", dept, request)


@memoized(128)
def _year_ago(url: str, v: int, overrides: str, dept: str | None, request: MetricsRequest) -> PeriodValues:
    if dept is None and request.dept is not None:
        return narrowed_values(_year_ago(url, v, overrides, None, whole_request(request)), request.dept)
    run: Callable[[], PeriodValues]
    if dept is None:
        run = partial(_full_engine(url, v, overrides).year_ago, request)
    else:
        def run() -> PeriodValues:
            published = _year_ago(url, v, overrides, None, whole_request(request))
            return department_year_ago(_dept_engine(url, v, overrides, dept), request, dept, published)
    return _kept(url, v, overrides, _year_ago_key(dept, request), run)


def year_ago_at(url: str, v: int, overrides: str, scope: str | None, request: MetricsRequest) -> PeriodValues:
    """:func:`year_ago` for an explicit :func:`selection_key` (a thread without a session)."""
    return _year_ago(url, v, overrides, scope, request)


def year_ago(request: MetricsRequest) -> PeriodValues:
    """同比: the values of the same period a year before (a department: its own, with the
    district's published values)."""
    return _year_ago(*selection_key(), request)


@memoized(512)
def _series(url: str, v: int, overrides: str, scope: str | None, indicator: str, date_from: dt.date,
            date_to: dt.date, dept: str | None, street: str | None) -> pd.DataFrame:
    if scope is not None and dept not in (None, scope):
        return pd.DataFrame(columns=["month", "date_from", "date_to", "as_of", "value"])
    # the district line is a published aggregate: computed on the full data (for a department,
    # the whole district's, not its street's records of every department)
    key = ("series", scope, indicator, date_from, date_to, dept, street)
    if dept is None:
        return _kept(url, v, overrides, key, lambda: monthly_series(
            _full_engine(url, v, overrides), indicator, date_from, date_to, None, street if scope is None else None))
    return _kept(url, v, overrides, key, lambda: monthly_series(
        _engine_for(url, v, overrides, scope), indicator, date_from, date_to, dept, street))


def series(indicator: str, date_from: dt.date, date_to: dt.date,
           dept: str | None = None, street: str | None = None) -> pd.DataFrame:
    """Monthly values of ``indicator`` (each month its own period); None = the district."""
    return _series(*selection_key(), indicator, date_from, date_to, dept, street)


@memoized(128)
def _trends(url: str, v: int, overrides: str, scope: str | None, indicators: tuple[str, ...],
            date_from: dt.date, date_to: dt.date, street: str | None) -> pd.DataFrame:
    return _kept(url, v, overrides, ("trends", scope, indicators, date_from, date_to, street),
                 lambda: scoped_trends(_full_engine(url, v, overrides), indicators, date_from, date_to, street, scope))


def trends(indicators: tuple[str, ...], date_from: dt.date, date_to: dt.date,
           street: str | None = None) -> pd.DataFrame:
    """Monthly values of ``indicators`` for the district and the departments the principal
    may see, in one pass per month (see :func:`metrics.series.monthly_values`)."""
    return _trends(*selection_key(), indicators, date_from, date_to, street)


@memoized(256)
def _trend_lines(url: str, v: int, overrides: str, scope: str | None, indicators: tuple[str, ...],
                 date_from: dt.date, date_to: dt.date, street: str | None,
                 dept: str | None) -> dict[str, tuple[pd.DataFrame, pd.DataFrame | None]]:
    monthly = _trends(url, v, overrides, scope, indicators, date_from, date_to, street)
    return {ind: (series_of(monthly, ind), None if dept is None else series_of(monthly, ind, dept))
            for ind in indicators}


def trend_lines(indicators: tuple[str, ...], date_from: dt.date, date_to: dt.date, street: str | None = None,
                dept: str | None = None) -> dict[str, tuple[pd.DataFrame, pd.DataFrame | None]]:
    """Per indicator, the district's monthly line of :func:`trends` and ``dept``'s (None when
    no department is asked for)."""
    return _trend_lines(*selection_key(), indicators, date_from, date_to, street, dept)


def _own(dept: str | None, scope: str | None) -> str | None:
    return scope if scope is not None else dept


@memoized(128)
def _records(url: str, v: int, overrides: str, scope: str | None, request: MetricsRequest,
             dept: str | None, indicator: str) -> pd.DataFrame:
    return _kept(url, v, overrides, ("records", scope, request, dept, indicator),
                 lambda: records_behind(_engine_for(url, v, overrides, scope), request, _own(dept, scope), indicator))


def records(request: MetricsRequest, dept: str | None, indicator: str) -> pd.DataFrame:
    """The records behind ``indicator`` for ``dept`` (None = district; a department: its own)."""
    return _records(*selection_key(), request, dept, indicator)


@memoized(128)
def _items(url: str, v: int, overrides: str, scope: str | None, request: MetricsRequest,
           dept: str | None) -> pd.DataFrame:
    return _kept(url, v, overrides, ("items", scope, request, dept),
                 lambda: item_breakdown(_engine_for(url, v, overrides, scope), request, _own(dept, scope)))


def items(request: MetricsRequest, dept: str | None) -> pd.DataFrame:
    """Application-based indicators per item of ``dept`` (None = every item the principal may see)."""
    return _items(*selection_key(), request, dept)


@memoized(64)
def _record_lights(url: str, v: int, overrides: str, scope: str | None, today: dt.date,
                   rules: LightRules) -> pd.DataFrame:
    return lights.record_lights(_engine_for(url, v, overrides, scope).data, today, rules)


def record_lights(today: dt.date, rules: LightRules) -> pd.DataFrame:
    """The lights of the imported records at ``today`` on the principal's engine, once per day,
    data version and rules (tasks and urgings are not in it: they are read on every run)."""
    return _record_lights(*selection_key(), today, rules)


@memoized(1024)
def _view(url: str, v: int, overrides: str, scope: str | None, fn_path: str, args: tuple[Any, ...]) -> Any:
    module, _, name = fn_path.partition(":")
    fn = getattr(importlib.import_module(module), name)
    return _kept(url, v, overrides, ("view", scope, fn_path, args), lambda: fn(_engine_for(url, v, overrides, scope), *args))


def view_at(url: str, v: int, overrides: str, scope: str | None, fn: Callable[..., T], *args: Any) -> T:
    """:func:`view` for an explicit :func:`selection_key` (a deck built for a kept key)."""
    return _view(url, v, overrides, scope, f"{fn.__module__}:{fn.__qualname__}", args)  # type: ignore[no-any-return]


def view(fn: Callable[..., T], *args: Any) -> T:
    """``fn(engine, *args)`` cached per data version, on the principal's engine: the one way
    pages call a pure ``metrics`` function that takes the engine first (hashable arguments)."""
    return view_at(*selection_key(), fn, *args)


def drawing(key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """``make()`` through this data's results store, for what a page draws (a figure's dict, a
    table as shown) kept by its ``key``: a digest of what it is made from, so the same for
    every principal who has those inputs.  The first process to draw it makes it; the others
    read it instead of building it again (a Plotly figure costs 10–20 ms, a fifth of a
    process's CPU under load)."""
    url, v, overrides, _ = selection_key()
    return _kept(url, v, overrides, ("drawing", *key), make)


@memoized(128)
def _published(url: str, v: int, overrides: str, fn_path: str, args: tuple[Any, ...]) -> Any:
    module, _, name = fn_path.partition(":")
    fn = getattr(importlib.import_module(module), name)
    return _kept(url, v, overrides, ("published", fn_path, args), lambda: fn(_full_engine(url, v, overrides), *args))


def published(fn: Callable[..., T], *args: Any) -> T:
    """``fn(engine, *args)`` on the whole district's data, for every principal: only for a
    function returning a district aggregate (counts and shares, no records), which is what
    a department user may see of the district, labelled 全区."""
    url, v, overrides, _ = selection_key()
    return _published(url, v, overrides, f"{fn.__module__}:{fn.__qualname__}", args)  # type: ignore[no-any-return]


def invalidate() -> None:
    """Forget cached data versions after a change made through the interface."""
    served_data.forget()
    fresh.forget()
