"""The columnar engine (DuckDB, PostgreSQL) equals the in-memory engine, value by value.

Every indicator, score and weak link, for the district, every department, every street and
every item, is computed through the same rules three ways on one generated data set (the
demo data): the in-memory engine (the reference the oracle tests pin by hand), the
expressions on an in-process DuckDB reading the Parquet snapshot, and, on the PostgreSQL
leg of the suite, the same expressions pushed down as SQL into the test's database.  The
hand-built oracle data set (holidays, 调休, suspensions, empty denominators) goes through
DuckDB as well.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, is_dataclass, replace
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.main import main
from data.db import Database
from data.frames import Frames, frames_from, load_tables
from metrics.columnar import ColumnarEngine, duckdb_source, frames_source, postgres_source
from metrics.columnar.batch import Batch, counted_quantile
from metrics.columnar.engine import SMALL_TABLES
from metrics.columnar.reducer import ColumnarReducer
from metrics.engine import MetricsEngine
from metrics.grouping import _sorted_quantile
from metrics.ops import at_least, isin, present
from metrics.populations import window_of
from metrics.results import MetricsRequest
from tests.fixtures.compare import differences
from tests.fixtures.oracle import Q1, fixture_tables

D = date
REQUESTS = (
    MetricsRequest(D(2026, 7, 1), D(2026, 9, 30)),                    # a quarter
    MetricsRequest(D(2025, 11, 1), D(2026, 10, 31)),                  # a year
    MetricsRequest(D(2026, 1, 1), D(2026, 6, 30), street="JH017"),    # a street's half year
    MetricsRequest(D(2026, 4, 1), D(2026, 6, 30), dept="JH010"),      # one department
    MetricsRequest(D(2026, 3, 1), D(2026, 3, 31), as_of=D(2026, 3, 15)),  # judged mid-period
    MetricsRequest(D(2026, 10, 1), D(2026, 12, 31)),                  # past the data's end
    MetricsRequest(D(2019, 1, 1), D(2019, 3, 31)),                    # before the data: all empty
)


def everything(engine: MetricsEngine) -> dict[str, Any]:
    """Every figure the engine gives for :data:`REQUESTS`: results (values, scores, weak links,
    previous period), 同比, the street table and the item tables."""
    out: dict[str, Any] = {}
    for n, request in enumerate(REQUESTS):
        window = window_of(request)
        out[f"{n}.compute"] = engine.compute(request)
        out[f"{n}.year_ago"] = engine.year_ago(request)
        out[f"{n}.streets"] = engine.street_values(request)
        out[f"{n}.items"] = engine.measures(window, engine.item_grouping())
        out[f"{n}.items_JH010"] = engine.measures(window, engine.item_grouping("JH010"))
    return out


def count_values(x: Any) -> int:
    """Numbers (not None) in a nested structure, so an equality over nothing cannot pass."""
    if is_dataclass(x) and not isinstance(x, type):
        return count_values(asdict(x))
    if isinstance(x, dict):
        return sum(count_values(v) for v in x.values())
    if isinstance(x, list | tuple):
        return sum(count_values(v) for v in x)
    return int(isinstance(x, int | float) and not isinstance(x, bool))


def test_duckdb_equals_the_in_memory_engine_on_every_figure(demo_snapshot: tuple[Database, Frames, Path]) -> None:
    _db, frames, folder = demo_snapshot
    reference = everything(MetricsEngine(frames))
    columnar = everything(ColumnarEngine(duckdb_source(folder)))
    assert list(differences(reference, columnar)) == []
    assert count_values(reference) > 20_000
    quarter = reference["0.compute"]
    assert all(v is not None for v in quarter.district.values()), "a quarter of demo data has every indicator"
    assert quarter.weak_links and any(s.composite is not None for s in quarter.scores.values())
    before = reference["6.compute"].district
    assert before["on_time_rate"] is None and before["overdue_count"] == 0 and before["online_rate"] is None


def test_postgresql_pushed_down_equals_the_in_memory_engine(demo_snapshot: tuple[Database, Frames, Path]) -> None:
    db, frames, _folder = demo_snapshot
    if db.dialect != "postgresql":
        pytest.skip("the PostgreSQL leg of the suite (MARKET_ACCESS_TEST_PG) runs the pushed-down SQL")
    with db.session() as s:
        small = load_tables(s, SMALL_TABLES)
    engine = ColumnarEngine(postgres_source(db.url, small))
    assert engine.source.name == "postgresql"
    assert list(differences(everything(MetricsEngine(frames)), everything(engine))) == []


def test_the_comparison_finds_a_changed_record(demo_snapshot: tuple[Database, Frames, Path]) -> None:
    """The equality above can fail: one application completed a day later changes figures."""
    _db, frames, _folder = demo_snapshot
    apps = frames.applications.copy()
    done = apps.index[(apps["status"] == "已办结") & (apps["completed_at"].dt.month == 8)
                      & (apps["completed_at"].dt.year == 2026)][0]
    apps.loc[done, "suspended_days"] = apps.loc[done, "suspended_days"] + 30
    changed = replace(frames, applications=apps)
    request = REQUESTS[0]
    a = MetricsEngine(frames).compute(request)
    b = ColumnarEngine(frames_source(changed)).compute(request)
    assert [d for d in differences(a.district, b.district)], "a record 30 working days slower changes the district"


def test_oracle_data_set_through_duckdb() -> None:
    """The hand-built oracle data (Spring Festival, National Day 调休, suspensions, a
    department without applications, past as_of judgements) gives on DuckDB exactly what the
    in-memory engine gives, whose values tests/oracle pins by hand."""
    frames = frames_from(fixture_tables())
    requests = [
        Q1,
        MetricsRequest(D(2025, 9, 1), D(2025, 10, 31)),
        MetricsRequest(D(2025, 1, 1), D(2025, 3, 31), as_of=D(2025, 2, 28)),
        MetricsRequest(D(2025, 1, 1), D(2025, 3, 31), as_of=D(2025, 2, 3)),
        MetricsRequest(D(2025, 1, 1), D(2025, 3, 31), as_of=D(2025, 2, 14)),
        MetricsRequest(D(2025, 1, 1), D(2025, 3, 31), as_of=D(2025, 2, 15)),
        MetricsRequest(D(2025, 1, 1), D(2025, 3, 31), street="S01"),
    ]
    memory, duck = MetricsEngine(frames), ColumnarEngine(frames_source(frames))
    for request in requests:
        assert list(differences(memory.compute(request), duck.compute(request))) == [], request
    q1 = duck.compute(Q1)
    assert q1.departments["D01"]["on_time_rate"] == pytest.approx(3 / 5)  # A01, A03, A10 of C(D01) = 5
    assert q1.departments["D03"]["on_time_rate"] is None  # no applications: empty denominator


def test_derived_columns_are_kept_once_beside_the_snapshot(demo_snapshot: tuple[Database, Frames, Path]) -> None:
    """The DuckDB engine writes the derived columns of a snapshot once, as Parquet named by a
    digest of their definition; a second process on the same snapshot finds the same file
    (no SQL in the digest may depend on the process's hash seed) and derives nothing."""
    _db, _frames, folder = demo_snapshot
    code = ("import sys; from pathlib import Path; from metrics.columnar import ColumnarEngine, duckdb_source; "
            "ColumnarEngine(duckdb_source(Path(sys.argv[1])))")
    for seed in ("1", "2"):
        subprocess.run([sys.executable, "-c", code, str(folder)], check=True, cwd=Path(__file__).parent.parent,
                       env={**os.environ, "PYTHONHASHSEED": seed})
    derived = sorted(p.name.split("-")[1] for p in folder.glob("derived-*.parquet"))
    assert derived == ["ma_apps_prepared", "ma_cases_prepared"]
    assert not list(folder.glob(".*.tmp"))


def test_the_derivation_digest_follows_every_definition_it_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """The derived file's name changes with each thing its rows depend on (the codes, the
    stages, the calendar, the sort column, an input's schema) and with nothing else."""
    from metrics.columnar import relations

    apps = ibis.table({"app_id": "string", "submitted_at": "timestamp"}, name="applications")
    base = relations.derivation_digest("comp_day", (apps,))
    assert relations.derivation_digest("comp_day", (apps,)) == base
    assert relations.derivation_digest("received_day", (apps,)) != base
    wider = ibis.table({"app_id": "string", "submitted_at": "timestamp", "x": "int64"}, name="applications")
    assert relations.derivation_digest("comp_day", (wider,)) != base
    for name, value in (("STATUS", {**relations.STATUS, "挂起": 9}), ("STAGE_COLUMNS", relations.STAGE_COLUMNS[:-1]),
                        ("_calendar_digest", lambda: "another holiday table")):
        with monkeypatch.context() as m:
            m.setattr(relations, name, value)
            assert relations.derivation_digest("comp_day", (apps,)) != base, name


def test_a_changed_definition_is_derived_anew(demo_snapshot: tuple[Database, Frames, Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """An engine whose derivation differs (here: the calendar's digest) writes a file of its
    own beside the earlier one (which a running process of the earlier code may still be
    reading), and its values are the same (the holidays themselves did not change)."""
    from metrics.columnar import relations

    _db, _frames, folder = demo_snapshot
    first = ColumnarEngine(duckdb_source(folder))
    before = sorted(folder.glob("derived-ma_apps_prepared-*.parquet"))
    assert len(before) == 1
    monkeypatch.setattr(relations, "_calendar_digest", lambda: "a changed holiday table")
    second = ColumnarEngine(duckdb_source(folder))
    after = sorted(folder.glob("derived-ma_apps_prepared-*.parquet"))
    assert len(after) == 2 and set(before) < set(after)
    request = MetricsRequest(date(2026, 7, 1), date(2026, 9, 30))
    assert list(differences(first.compute(request), second.compute(request))) == []


def test_cli_metrics_prints_the_same_json_on_every_engine(demo_db_url: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """``market-access metrics --engine duckdb`` (and ``postgresql`` on a PostgreSQL database)
    prints exactly what the in-memory engine prints; on SQLite, ``--engine postgresql`` is
    refused in Chinese."""
    period = ["--from", "2026-07-01", "--to", "2026-09-30"]
    out = {}
    engines = ["memory", "duckdb"] + (["postgresql"] if demo_db_url.startswith("postgresql") else [])
    for engine in engines:
        assert main(["--db", demo_db_url, "metrics", *period, "--engine", engine]) == 0
        out[engine] = capsys.readouterr().out
    assert out["memory"].startswith("{") and len(out["memory"]) > 10_000
    numbers = json.loads(out["memory"])
    for engine in engines[1:]:
        assert list(differences(numbers, json.loads(out[engine]))) == [], engine
    if not demo_db_url.startswith("postgresql"):
        assert main(["--db", demo_db_url, "metrics", *period, "--engine", "postgresql"]) == 2
        assert "需要 PostgreSQL 数据库" in capsys.readouterr().err


def test_mask_operations_mean_the_same_on_numpy_and_in_sql() -> None:
    """metrics.ops, the only functions masks call besides operators: NaN and NULL are both
    'not present', and isin / at_least agree element by element."""
    values = np.array([0.0, np.nan, 2.0, -3.0, 5.0])
    codes = np.array([0, 1, 2, 3, 1], dtype=np.int8)
    con = ibis.duckdb.connect()
    t = con.create_table("x", pd.DataFrame({"v": pd.array([0.0, None, 2.0, -3.0, 5.0], dtype="Float64"),
                                            "c": codes, "i": np.arange(5)}))
    sql = t.order_by("i").select(p=present(t.v), s=isin(t.c, (1, 3)), m=at_least(t.v, 0)).to_pandas()
    assert sql["p"].tolist() == present(values).tolist() == [True, False, True, True, True]
    assert sql["s"].tolist() == isin(codes, (1, 3)).tolist() == [False, True, False, True, True]
    floor = at_least(values, 0)
    assert [None if pd.isna(x) else x for x in sql["m"]] == [None if np.isnan(x) else x for x in floor]
    assert floor[~np.isnan(floor)].tolist() == [0.0, 2.0, 0.0, 5.0]


@settings(max_examples=200, deadline=None)
@given(counts=st.dictionaries(st.integers(0, 60), st.integers(1, 40), max_size=12),
       q=st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9, 1.0]))
def test_quantiles_from_value_counts_equal_numpys(counts: dict[int, int], q: float) -> None:
    """A median or p90 of working days from the histogram is the in-memory engine's on the
    rows spelt out (exactly), and numpy's linear quantile (to rounding)."""
    rows = np.repeat(np.array(sorted(counts), dtype=np.float64), [counts[v] for v in sorted(counts)])
    got = counted_quantile({float(v): n for v, n in counts.items()}, q)
    assert got == _sorted_quantile(rows, q)
    if len(rows):
        assert got == pytest.approx(float(np.quantile(rows, q)), rel=1e-12)


def test_grouped_quantiles_and_the_districts_come_from_one_rollup() -> None:
    """A grouped median and p90 of a continuous value, and the district's over every row of
    the population (rows of no group too, whose key is NULL like the ROLLUP's total row),
    equal numpy's; the population's rows are the only ones read, and its mask inside the
    query is dropped without changing a value."""
    rng = np.random.default_rng(7)
    n = 400
    frame = pd.DataFrame({"g": rng.choice(np.array(["A", "B", "C", None], dtype=object), n),
                          "day": rng.integers(0, 100, n),
                          "v": np.where(rng.random(n) < 0.1, np.nan, rng.gamma(2.0, 3.0, n))})
    con = ibis.duckdb.connect()
    t = con.create_table("rows", frame)
    population = (t.day >= 20) & (t.day <= 70)
    batch = Batch(con, (population,))
    reducer = ColumnarReducer(batch, t, t.g, ("A", "B", "C"))
    mask = population & t.v.notnull()
    with batch.active():
        reducer.quantiles(t.v, mask, (0.5, 0.9))
        queries = list(batch._queries.values())
        assert len(queries) == 1 and queries[0].totals  # one grouped query, its totals by ROLLUP
        batch.execute()
        median, p90 = reducer.quantiles(t.v, mask, (0.5, 0.9))
    inside = frame[(frame.day >= 20) & (frame.day <= 70) & frame.v.notna()]
    for measure, q in ((median, 0.5), (p90, 0.9)):
        assert measure.district == pytest.approx(float(np.quantile(inside.v, q)), rel=1e-12)
        assert measure.groups is not None
        for key, got in zip(("A", "B", "C"), measure.groups, strict=True):
            assert got == pytest.approx(float(np.quantile(inside[inside.g == key].v, q)), rel=1e-12)
    assert len(inside[inside.g.isna()]) > 0  # the district holds rows of no group


def _window_figures(con: Any, t: Any, start: int, end: int, cubes: Any) -> tuple[Any, ...]:
    """Counts, a ratio and a mean of one window of ``t`` by group, through a batch."""
    population = (t.day >= start) & (t.day <= end) & (t.kind == 1)
    batch = Batch(con, (population,), cubes=cubes)
    reducer = ColumnarReducer(batch, t, t.g, ("A", "B", "C"))

    def measures() -> tuple[Any, ...]:
        return (reducer.count(population), reducer.ratio(t.v > 3, population),
                reducer.mean(t.v, population & t.v.notnull()), reducer.sum_ratio(t.v, t.w, population))

    with batch.active():
        measures()
        batch.execute()
        return measures()


def test_windows_from_daily_preaggregates_equal_their_own_queries() -> None:
    """Counts, ratios, means and sum ratios per group and for the district (rows of no group
    and missing values included) are the same from the daily pre-aggregates as from each
    window's own query; only days no earlier window held are read, and a population that is
    no day range (open work) is never pre-aggregated."""
    from metrics.columnar.cubes import Cubes, day_range

    rng = np.random.default_rng(11)
    n = 600
    frame = pd.DataFrame({"g": rng.choice(np.array(["A", "B", "C", None], dtype=object), n),
                          "day": rng.integers(0, 120, n), "kind": rng.integers(0, 2, n),
                          "v": np.where(rng.random(n) < 0.15, np.nan, rng.gamma(2.0, 3.0, n)),
                          "w": rng.gamma(2.0, 1.0, n)})
    con = ibis.duckdb.connect()
    t = con.create_table("rows", frame)
    cubes = Cubes()
    for start, end in ((10, 40), (41, 71), (0, 119), (50, 50), (200, 300)):
        assert list(differences(_window_figures(con, t, start, end, cubes),
                                _window_figures(con, t, start, end, None))) == [], (start, end)
    assert cubes.built == 5  # 10–40, 41–71, then only 0–9 and 72–119, nothing for 50, and 200–300
    for start, end in ((10, 40), (0, 119), (30, 80)):
        _window_figures(con, t, start, end, cubes)
    assert cubes.built == 5  # every day asked is held
    inside = frame[(frame.day >= 10) & (frame.day <= 40) & (frame.kind == 1)]
    count = _window_figures(con, t, 10, 40, cubes)[0]
    assert count.district == len(inside)  # the district holds the rows of no group
    assert count.groups == [int((inside.g == k).sum()) for k in ("A", "B", "C")]
    empty = _window_figures(con, t, 200, 300, cubes)
    assert empty[0].district == 0 and empty[1].district is None and empty[2].district is None
    span = day_range((t.day >= 10) & (t.day <= 40) & (t.kind == 1))
    assert span is not None and (span.column, span.start, span.end) == ("day", 10, 40)
    assert day_range((t.day <= 40) & ((t.kind == 0) | (t.day > 40))) is None  # open at as_of
    tiny = Cubes(kept_bytes=1)  # over its budget a pre-aggregate answers, and is not kept
    assert list(differences(_window_figures(con, t, 10, 40, tiny), _window_figures(con, t, 10, 40, None))) == []
    _window_figures(con, t, 10, 40, tiny)
    assert tiny.built == 2


@settings(max_examples=300, deadline=None)
@given(ranges=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 15)), max_size=6),
       start=st.integers(0, 70), length=st.integers(0, 30))
def test_the_days_read_are_exactly_the_days_not_held(ranges: list[tuple[int, int]], start: int,
                                                     length: int) -> None:
    """A window's days missing from the held ranges, and the ranges joined after reading them."""
    from metrics.columnar.cubes import _merged, _missing

    covered = _merged(tuple((lo, lo + n) for lo, n in ranges))
    held = {d for lo, hi in covered for d in range(lo, hi + 1)}
    end = start + length
    missing = _missing(start, end, covered)
    read = [d for lo, hi in missing for d in range(lo, hi + 1)]
    assert read == sorted(set(range(start, end + 1)) - held)  # each once, in order
    after = _merged((*covered, *missing))
    assert {d for lo, hi in after for d in range(lo, hi + 1)} == held | set(range(start, end + 1))
    assert all(a[1] + 1 < b[0] for a, b in pairwise(after))  # disjoint, not touching
