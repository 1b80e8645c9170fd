"""The cache boundary: the database, the data version and the engine, once per process.

``st.cache_resource`` keeps one :class:`~data.db.Database` and one
:class:`~metrics.engine.MetricsEngine` per data version (a new import makes a new version);
``st.cache_data`` wraps the engine's pure functions so that a filter change that was seen
before costs nothing.  Pages call these functions and never touch a session or SQL.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from data.batches import data_version
from data.db import Database, default_url
from data.frames import load_frames
from metrics.directory import Directory, directory
from metrics.engine import MetricsEngine
from metrics.records import records_behind
from metrics.results import MetricsRequest, MetricsResult
from metrics.series import item_breakdown, monthly_series

T = TypeVar("T")

DEMO_ENV = "MARKET_ACCESS_DEMO"


def is_demo() -> bool:
    return os.environ.get(DEMO_ENV) == "1"


@st.cache_resource(show_spinner=False)
def _database(url: str) -> Database:
    return Database(url)


def database(url: str | None = None) -> Database:
    """The database at ``url`` (default: the configured one), one per process and URL."""
    return _database(url or default_url())


@st.cache_data(ttl=5, show_spinner=False)
def _version(url: str) -> int:
    with database(url).session() as session:
        return data_version(session)


def version() -> int:
    """The current data version (newest successful import batch id), re-read every few seconds."""
    return _version(database().url)


@st.cache_resource(show_spinner="正在加载数据……", max_entries=2)
def _engine(url: str, data_version_: int) -> MetricsEngine:
    with database(url).session() as session:
        frames = load_frames(session)
    return MetricsEngine(frames)


def engine() -> MetricsEngine:
    """The engine over the current data (reloaded after an import)."""
    return _engine(database().url, version())


@st.cache_data(show_spinner=False, max_entries=64)
def _directory(url: str, v: int) -> Directory:
    return directory(_engine(url, v).frames)


def units() -> Directory:
    return _directory(database().url, version())


@st.cache_data(show_spinner=False, max_entries=128)
def _compute(url: str, v: int, request: MetricsRequest) -> MetricsResult:
    return _engine(url, v).compute(request)


def compute(request: MetricsRequest) -> MetricsResult:
    """Indicators, scores and weak links for ``request`` (cached per data version)."""
    return _compute(database().url, version(), request)


@st.cache_data(show_spinner=False, max_entries=512)
def _series(url: str, v: int, indicator: str, date_from: dt.date, date_to: dt.date,
            dept: str | None, street: str | None) -> pd.DataFrame:
    return monthly_series(_engine(url, v), indicator, date_from, date_to, dept, street)


def series(indicator: str, date_from: dt.date, date_to: dt.date,
           dept: str | None = None, street: str | None = None) -> pd.DataFrame:
    """Monthly values of ``indicator`` (each month its own period)."""
    return _series(database().url, version(), indicator, date_from, date_to, dept, street)


@st.cache_data(show_spinner=False, max_entries=128)
def _records(url: str, v: int, request: MetricsRequest, dept: str | None, indicator: str) -> pd.DataFrame:
    return records_behind(_engine(url, v), request, dept, indicator)


def records(request: MetricsRequest, dept: str | None, indicator: str) -> pd.DataFrame:
    """The records behind ``indicator`` for ``dept`` (None = district)."""
    return _records(database().url, version(), request, dept, indicator)


@st.cache_data(show_spinner=False, max_entries=128)
def _items(url: str, v: int, request: MetricsRequest, dept: str | None) -> pd.DataFrame:
    return item_breakdown(_engine(url, v), request, dept)


def items(request: MetricsRequest, dept: str | None) -> pd.DataFrame:
    """Application-based indicators per item of ``dept`` (None = every item)."""
    return _items(database().url, version(), request, dept)


@st.cache_data(show_spinner=False, max_entries=1024)
def _view(url: str, v: int, fn_path: str, args: tuple[Any, ...]) -> Any:
    module, _, name = fn_path.partition(":")
    fn = getattr(importlib.import_module(module), name)
    return fn(_engine(url, v), *args)


def view(fn: Callable[..., T], *args: Any) -> T:
    """``fn(engine, *args)`` cached per data version: the one way pages call a pure
    ``metrics`` function that takes the engine first (arguments must be hashable)."""
    return _view(database().url, version(), f"{fn.__module__}:{fn.__qualname__}", args)  # type: ignore[no-any-return]


@st.cache_data(ttl=5, show_spinner=False)
def _batches(url: str) -> pd.DataFrame:
    from data.batches import batch_history

    with database(url).session() as session:
        return batch_history(session)


def batches() -> pd.DataFrame:
    """The newest import batches (re-read every few seconds)."""
    return _batches(database().url)
