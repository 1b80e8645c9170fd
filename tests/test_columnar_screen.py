"""The hidden-barrier screen through the columnar engine equals the in-memory screen.

On the demo data (which plants a barrier of every kind) and on the hand-built oracle data
set, every signal, every comparison of every kind and the records behind each signal are
computed by :class:`~metrics.screening.screener.Screener` on the in-memory engine and by
:class:`~metrics.columnar.screen.ColumnarScreener` on DuckDB (the Parquet snapshot, or the
frames) and, on the PostgreSQL leg of the suite, pushed down into the test's database.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from cli.main import main
from data.db import Database
from data.frames import Frames, frames_from, load_tables
from metrics.columnar import ColumnarEngine, duckdb_source, frames_source, postgres_source
from metrics.columnar.engine import SMALL_TABLES
from metrics.columnar.screen import ColumnarScreener
from metrics.engine import MetricsEngine
from metrics.screening.model import ScreeningRequest
from metrics.screening.screener import Screener
from metrics.screening_rules import TESTED_KINDS
from tests.fixtures.compare import differences
from tests.fixtures.oracle import fixture_tables

D = date
REQUESTS = (
    ScreeningRequest(D(2025, 11, 1), D(2026, 10, 31)),                   # a year
    ScreeningRequest(D(2026, 7, 1), D(2026, 9, 30)),                     # a quarter
    ScreeningRequest(D(2025, 1, 1), D(2025, 12, 31), dept="JH010"),      # one department's items
    ScreeningRequest(D(2026, 3, 1), D(2026, 3, 31), as_of=D(2026, 3, 15)),  # judged mid-period
    ScreeningRequest(D(2019, 1, 1), D(2019, 3, 31)),                     # before the data: nothing
)


def screened(screener: Screener, request: ScreeningRequest) -> dict[str, Any]:
    """The screen, every kind's comparisons, and the records behind each signal."""
    result = screener.screen(request)
    out: dict[str, Any] = {"screen": result}
    for kind in TESTED_KINDS:
        out[kind] = screener.comparisons(request, kind)
    for n, signal in enumerate(result.signals):
        out[f"records {n}"] = screener.records(request, signal)
    return out


def assert_same(reference: dict[str, Any], columnar: dict[str, Any]) -> None:
    assert reference.keys() == columnar.keys()
    for name, value in reference.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, columnar[name], obj=name)
        else:
            assert list(differences(value, columnar[name], name)) == []


def test_duckdb_screen_equals_the_in_memory_screen(demo_snapshot: tuple[Database, Frames, Path]) -> None:
    _db, frames, folder = demo_snapshot
    reference, columnar = Screener(MetricsEngine(frames)), ColumnarScreener(ColumnarEngine(duckdb_source(folder)))
    for request in REQUESTS:
        assert_same(screened(reference, request), screened(columnar, request))
    year = reference.screen(REQUESTS[0])
    assert {s.kind for s in year.signals} == {*TESTED_KINDS, "lifted_still_approved"}, "the demo plants every kind"
    assert all(n > 10 for n in year.tested.values())
    # other settings: a county prefix, a smaller group, a stricter FDR
    rules = dataclasses.replace(reference.rules, local_prefix="440704", min_group=3, fdr=0.01)
    again = Screener(reference.engine, rules), ColumnarScreener(columnar.columnar, rules)
    assert_same(screened(again[0], REQUESTS[0]), screened(again[1], REQUESTS[0]))


def test_duckdb_screen_on_the_oracle_data() -> None:
    frames = frames_from(fixture_tables())
    reference, columnar = Screener(MetricsEngine(frames)), ColumnarScreener(ColumnarEngine(frames_source(frames)))
    for request in (ScreeningRequest(D(2026, 1, 1), D(2026, 3, 31)), ScreeningRequest(D(2026, 3, 1), D(2026, 3, 31))):
        for min_group in (1, 2, 4):
            rules = dataclasses.replace(reference.rules, min_group=min_group)
            pair = Screener(reference.engine, rules), ColumnarScreener(columnar.columnar, rules)
            assert_same(screened(pair[0], request), screened(pair[1], request))


def test_postgresql_screen_equals_the_in_memory_screen(demo_snapshot: tuple[Database, Frames, Path]) -> None:
    db, frames, _folder = demo_snapshot
    if db.dialect != "postgresql":
        pytest.skip("the PostgreSQL leg of the suite (MARKET_ACCESS_TEST_PG) runs the pushed-down SQL")
    with db.session() as s:
        small = load_tables(s, SMALL_TABLES)
    reference, columnar = Screener(MetricsEngine(frames)), ColumnarScreener(ColumnarEngine(postgres_source(db.url, small)))
    for request in REQUESTS[:3]:
        assert_same(screened(reference, request), screened(columnar, request))


def test_cli_screen_prints_the_same_json_on_every_engine(demo_db_url: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """``market-access screen --engine duckdb`` (and ``postgresql`` on a PostgreSQL database)
    prints exactly what the in-memory screen prints, flagged signals included."""
    period = ["--from", "2025-11-01", "--to", "2026-10-31"]
    engines = ["memory", "duckdb"] + (["postgresql"] if demo_db_url.startswith("postgresql") else [])
    out = {}
    for engine in engines:
        assert main(["--db", demo_db_url, "screen", *period, "--engine", engine]) == 0
        out[engine] = json.loads(capsys.readouterr().out)
    assert len(out["memory"]["signals"]) >= 5
    for engine in engines[1:]:
        assert list(differences(out["memory"], out[engine])) == [], engine
