"""Quantiles from the engine's sorted values (:mod:`metrics.columnar.quantile_index`) are
numpy's on the window's rows spelt out, exactly, and the database's own ``quantile_cont``
(to rounding), for every group and the district; kept files are found by later engines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.columnar.batch import Batch
from metrics.columnar.quantile_index import QuantileIndex
from metrics.columnar.reducer import ColumnarReducer
from metrics.grouping import _sorted_quantile

KEYS = ("A", "B", "C")
QS = (0.0, 0.25, 0.5, 0.9, 1.0)


def _table(con: Any, frame: pd.DataFrame) -> Any:
    schema = ibis.schema({"g": "string", "day": "int64", "kind": "int64", "m": "boolean", "v": "float64",
                          **({"few": "string"} if "few" in frame else {})})
    return con.create_table("rows", frame, schema=schema, overwrite=True)


def _quantiles(con: Any, t: Any, start: int, end: int, index: QuantileIndex | None,
               key: Any = "g") -> tuple[list[Any], list[list[Any]]]:
    """The medians and other quantiles of ``v`` over the window's rows of kind 1 with ``m``,
    by ``key`` and for the district, through a batch (with or without the sorted values)."""
    population = (t.day >= start) & (t.day <= end) & (t.kind == 1)
    batch = Batch(con, (population,), sorted_values=index)
    reducer = ColumnarReducer(batch, t, t[key], KEYS)
    mask = population & t.m & t.v.notnull()
    with batch.active():
        reducer.quantiles(t.v, mask, QS)
        batch.execute()
        measures = reducer.quantiles(t.v, mask, QS)
    return [m.district for m in measures], [list(m.groups or []) for m in measures]


def _spelt_out(frame: pd.DataFrame, start: int, end: int) -> tuple[list[Any], list[list[Any]]]:
    inside = frame[(frame.day >= start) & (frame.day <= end) & (frame.kind == 1) & frame.m & frame.v.notna()]

    def q(values: pd.Series, p: float) -> Any:
        return _sorted_quantile(np.sort(values.to_numpy(dtype=np.float64)), p)

    return ([q(inside.v, p) for p in QS], [[q(inside[inside.g == k].v, p) for k in KEYS] for p in QS])


def _close(ours: list[Any], theirs: list[Any]) -> bool:
    """Equal values, NULL where the other is NULL, to the rounding of an interpolation."""
    return len(ours) == len(theirs) and all(
        (a is None and b is None) or (a is not None and b is not None and a == pytest.approx(b, rel=1e-12, abs=1e-12))
        for a, b in zip(ours, theirs, strict=True))


@st.composite
def _frames(draw: Any) -> pd.DataFrame:
    n = draw(st.integers(0, 120))
    ints = st.integers(0, 30)
    # few distinct values, so that ties across days and groups are common
    value = st.one_of(st.none(), st.sampled_from([0.0, 0.5, 1.25, 2.0, 7.5, -3.0]), st.floats(-50, 50))
    return pd.DataFrame({
        "g": pd.Series(draw(st.lists(st.sampled_from(["A", "B", "C", None]), min_size=n, max_size=n)), dtype=object),
        "day": pd.Series(draw(st.lists(st.one_of(st.none(), ints), min_size=n, max_size=n)), dtype="Int64"),
        "kind": draw(st.lists(st.sampled_from([1, 1, 1, 2]), min_size=n, max_size=n)),
        "m": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        "v": pd.Series(draw(st.lists(value, min_size=n, max_size=n)), dtype="Float64"),
    }).astype({"kind": "int64", "m": "bool"})


@settings(max_examples=30, deadline=None)
@given(frame=_frames(), windows=st.lists(st.tuples(st.integers(-5, 35), st.integers(-5, 35)), min_size=1, max_size=3))
def test_window_quantiles_equal_numpys_on_the_rows_spelt_out(frame: pd.DataFrame,
                                                             windows: list[tuple[int, int]]) -> None:
    """Every window of one index (ranges inside, across and outside the days held, empty
    ones, groups with no row or only masked rows, rows of no group or no day, NULL values):
    the district's and each group's quantiles are numpy's exactly, and DuckDB's to rounding."""
    con = ibis.duckdb.connect()
    t = _table(con, frame)
    index = QuantileIndex()
    rest = frame[(frame.kind == 1) & frame.day.notna()]
    suited = 2 * int(rest.g.isna().sum()) <= len(rest)  # else the database's query runs
    for start, end in windows:
        got = _quantiles(con, t, start, end, index)
        spelt_district, spelt_groups = _spelt_out(frame, start, end)
        if suited:
            assert got == (spelt_district, spelt_groups)
        district, groups = _quantiles(con, t, start, end, None)
        for ours in ((district, groups), got):
            assert _close(ours[0], spelt_district)
            assert all(_close(a, b) for a, b in zip(ours[1], spelt_groups, strict=True))
    assert index.built == (1 if suited else 0)  # one read and sort serves every window


def _demo_frame(n: int = 2_000, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"g": rng.choice(np.array(["A", "B", "C", None], dtype=object), n),
                         "day": rng.integers(0, 200, n), "kind": rng.choice([1, 2], n, p=[0.8, 0.2]),
                         "m": rng.random(n) < 0.9, "v": rng.gamma(2.0, 5.0, n)})


def test_sorted_values_are_kept_beside_the_snapshot_and_found_by_a_later_engine(tmp_path: Path) -> None:
    """With a folder, the sorted values are written once; a later index with the same tag
    maps them (sorts nothing) and gives the same quantiles; another tag (a changed
    derivation) sorts anew into a file of its own."""
    frame = _demo_frame()
    con = ibis.duckdb.connect()
    t = _table(con, frame)
    first = QuantileIndex(folder=tmp_path, tag="derived-1")
    expected = _quantiles(con, t, 20, 150, first)
    assert expected == _spelt_out(frame, 20, 150)
    assert first.built == 1
    kept = sorted(tmp_path.glob("sorted-*"))
    assert len(kept) == 1 and not list(tmp_path.glob(".*.tmp"))
    again = QuantileIndex(folder=tmp_path, tag="derived-1")
    assert _quantiles(con, t, 20, 150, again) == expected
    assert _quantiles(con, t, 0, 60, again) == _spelt_out(frame, 0, 60)
    assert again.built == 0
    other = QuantileIndex(folder=tmp_path, tag="derived-2")
    assert _quantiles(con, t, 20, 150, other) == expected
    assert other.built == 1 and len(list(tmp_path.glob("sorted-*"))) == 2


def test_a_grouping_that_leaves_most_rows_in_no_group_runs_its_own_query(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A department's item grouping keeps the other departments' rows in no group: its
    quantiles come from the database's query (nothing is sorted), with the same values; the
    decision is kept beside the snapshot, so a later engine does not ask the database again."""
    frame = _demo_frame()
    frame["few"] = frame.g.where(np.arange(len(frame)) % 3 == 0, None)
    con = ibis.duckdb.connect()
    t = _table(con, frame)
    reads = []
    to_pyarrow = type(con).to_pyarrow
    monkeypatch.setattr(type(con), "to_pyarrow", lambda self, *a, **k: reads.append(1) or to_pyarrow(self, *a, **k))
    counts = []
    for _run in range(2):
        index = QuantileIndex(folder=tmp_path, tag="derived-1")
        reads.clear()
        got = _quantiles(con, t, 10, 180, index, key="few")
        counts.append(len(reads))
        assert index.built == 0
    assert counts == [2, 1]  # the check and the quantiles' own query; then the query alone
    assert len(list(tmp_path.glob("suits-*"))) == 1 and not list(tmp_path.glob("sorted-*"))
    inside = frame[(frame.day >= 10) & (frame.day <= 180) & (frame.kind == 1) & frame.m]
    median = [_sorted_quantile(np.sort(inside[inside.few == k].v.to_numpy()), 0.5) for k in KEYS]
    assert got[1][QS.index(0.5)] == [pytest.approx(x, rel=1e-12) for x in median]
    assert got[0][QS.index(0.5)] == pytest.approx(_sorted_quantile(np.sort(inside.v.to_numpy()), 0.5), rel=1e-12)
