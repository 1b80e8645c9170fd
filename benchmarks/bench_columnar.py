"""The columnar engine at city scale (issue 18): DuckDB on the snapshot, PostgreSQL pushed down.

    python -m benchmarks.bench_columnar --scale 167            # about 10,000,000 applications
    python -m benchmarks.bench_columnar --scale 16.7 --pandas  # 1M, with the in-memory engine beside it
    python -m benchmarks.bench_columnar --scale 167 --postgres postgresql+psycopg://…/postgres

Builds the demo data at ``--scale`` once as a Parquet snapshot (the layout of
:mod:`data.snapshots`; kept in ``--folder`` and reused when its scale matches), then, each
step in a fresh process so that its time and peak memory are its own:

- ``duckdb``: :class:`~metrics.columnar.ColumnarEngine` on an in-process DuckDB reading the
  snapshot: cold (connect + engine + the first year-and-previous compute), warm (the same
  again), a quarter, a street's year, a department's item table, and the records behind four
  figures (``records_*``: the list a drill-down shows, fetched by the rule's mask); the
  process's peak RSS;
- ``pandas`` (with ``--pandas``): the in-memory :class:`~metrics.engine.MetricsEngine` on the
  same snapshot, for comparison;
- ``postgres`` (with ``--postgres``): the snapshot copied into a fresh database (COPY; the
  import's own speed is ``benchmarks.bench_import``), then the same figures with the
  expressions pushed down as SQL, and whether every value equals DuckDB's.

Prints figures as JSON lines and a table; asserts nothing.  Targets at 10M: cold ≤ 5 s,
warm ≤ 1 s, server memory ≤ 3 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
YEAR_FROM, YEAR_TO = date(2025, 11, 1), date(2026, 10, 31)
QUARTER_FROM, QUARTER_TO = date(2026, 7, 1), date(2026, 9, 30)
SNAPSHOT_KEY = "bench"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _snapshot(folder: Path) -> Path:
    return folder / SNAPSHOT_KEY


# ------------------------------------------------------------------ steps (each in its own process)


def step_build(folder: str, scale: str) -> dict[str, Any]:
    """The demo data at ``scale`` as a snapshot in ``folder`` (reused when already built)."""
    from data import contract, snapshots
    from data.demo import generate
    from data.frames import typed_frame

    root = Path(folder)
    stamp = root / "scale.json"
    if snapshots.is_complete(_snapshot(root)) and stamp.exists() and json.loads(stamp.read_text())["scale"] == scale:
        return json.loads(stamp.read_text())
    t0 = time.perf_counter()
    tables = generate(scale=float(scale))
    frames = {t.id: typed_frame(t, tables.pop(t.id)) for t in contract.TABLES}
    snapshots.write(root, SNAPSHOT_KEY, frames)
    info = {"scale": scale, "applications": len(frames["applications"]), "cases": len(frames["cases"]),
            "seconds": time.perf_counter() - t0, "rss_mb": _rss_mb()}
    stamp.write_text(json.dumps(info))
    return info


def _cold(make_engine: Any) -> tuple[Any, Any, dict[str, float]]:
    """An engine made by ``make_engine()`` and its first year-and-previous result, timed."""
    from metrics.results import MetricsRequest

    t0 = time.perf_counter()
    engine = make_engine()
    t1 = time.perf_counter()
    result = engine.compute(MetricsRequest(YEAR_FROM, YEAR_TO))
    t2 = time.perf_counter()
    return engine, result, {"engine": t1 - t0, "first_compute": t2 - t1, "cold": t2 - t0}


def _figures(make_engine: Any, repeats: int = 3) -> dict[str, Any]:
    """Cold, warm (best of ``repeats``) and other computes of an engine made by ``make_engine()``,
    and the hidden-barrier screen of the year (its first run: its group statistics are new work)."""
    from metrics.columnar import ColumnarEngine
    from metrics.columnar.screen import ColumnarScreener
    from metrics.populations import window_of
    from metrics.records import records_behind
    from metrics.results import MetricsRequest
    from metrics.screening.model import ScreeningRequest
    from metrics.screening.screener import Screener

    engine, result, out = _cold(make_engine)
    year = MetricsRequest(YEAR_FROM, YEAR_TO)
    warm = []
    for _ in range(repeats):
        w0 = time.perf_counter()
        engine.compute(year)
        warm.append(time.perf_counter() - w0)

    def timed(fn: Any) -> float:
        s = time.perf_counter()
        fn()
        return time.perf_counter() - s

    street = engine.data.street_keys[0]
    quarter = MetricsRequest(QUARTER_FROM, QUARTER_TO)
    dept = engine.data.dept_keys[3]
    return out | {
        "warm": min(warm),
        "quarter": timed(lambda: engine.compute(quarter)),
        "street_year": timed(lambda: engine.compute(MetricsRequest(YEAR_FROM, YEAR_TO, street=street))),
        "street_table": timed(lambda: engine.street_values(year)),
        "item_table": timed(lambda: engine.measures(window_of(year), engine.item_grouping(dept))),
        # the records behind a figure: the year's overdue completions (the district's and a
        # department's), a department's open overdue work, a quarter's completions of a department
        "records_short": timed(lambda: records_behind(engine, year, None, "on_time_rate")),
        "records_dept": timed(lambda: records_behind(engine, year, dept, "overdue_count")),
        "records_open": timed(lambda: records_behind(engine, year, dept, "open_overdue_count")),
        "records_pop": timed(lambda: records_behind(engine, quarter, dept, "avg_processing_wd")),
        "records_rows": {ind: len(records_behind(engine, year, None if ind == "on_time_rate" else dept, ind))
                         for ind in ("on_time_rate", "overdue_count", "open_overdue_count")}
        | {"avg_processing_wd": len(records_behind(engine, quarter, dept, "avg_processing_wd"))},
        "screen_year": timed(lambda: (ColumnarScreener if isinstance(engine, ColumnarEngine) else Screener)(engine)
                             .screen(ScreeningRequest(YEAR_FROM, YEAR_TO))),
        "on_time_rate": result.district.get("on_time_rate"),
        "rss_mb": _rss_mb(),
    }


def step_duckdb(folder: str) -> dict[str, Any]:
    from metrics.columnar import ColumnarEngine, duckdb_source

    return _figures(lambda: ColumnarEngine(duckdb_source(_snapshot(Path(folder)))))


def step_pandas(folder: str) -> dict[str, Any]:
    from data import contract, snapshots
    from data.frames import Frames
    from metrics.engine import MetricsEngine

    def make() -> MetricsEngine:
        tables = snapshots.read_tables(_snapshot(Path(folder)), [t.id for t in contract.TABLES])
        assert tables is not None
        return MetricsEngine(Frames(**tables))

    return _figures(make)


def step_postgres_load(folder: str, url: str) -> dict[str, Any]:
    """Copy the snapshot into the fresh database at ``url`` (schema by Alembic)."""
    from benchmarks.columnar_load import copy_snapshot

    t0 = time.perf_counter()
    rows = copy_snapshot(_snapshot(Path(folder)), url)
    return {"rows": rows, "seconds": time.perf_counter() - t0, "rss_mb": _rss_mb()}


def step_postgres(folder: str, url: str) -> dict[str, Any]:
    from data.db import Database
    from data.frames import load_tables
    from metrics.columnar import ColumnarEngine, duckdb_source, postgres_source
    from metrics.columnar.engine import SMALL_TABLES
    from metrics.results import MetricsRequest

    def make() -> ColumnarEngine:
        db = Database(url, upgrade=False)
        with db.session() as s:
            small = load_tables(s, SMALL_TABLES)
        db.dispose()
        return ColumnarEngine(postgres_source(url, small))

    engine, pg, cold = _cold(make)
    t0 = time.perf_counter()
    engine.compute(MetricsRequest(QUARTER_FROM, QUARTER_TO))
    # the server does the work: the client's figures are time and its own memory
    out: dict[str, Any] = cold | {"quarter": time.perf_counter() - t0, "rss_mb": _rss_mb()}
    duck = ColumnarEngine(duckdb_source(_snapshot(Path(folder)))).compute(MetricsRequest(YEAR_FROM, YEAR_TO))
    out["equal_to_duckdb"] = _same(pg.district, duck.district) and _same(pg.departments, duck.departments) \
        and _same(pg.scores, duck.scores) and pg.weak_links == duck.weak_links
    return out


def _same(a: Any, b: Any) -> bool:
    import math
    from dataclasses import asdict, is_dataclass

    if is_dataclass(a) and is_dataclass(b):
        return _same(asdict(a), asdict(b))  # type: ignore[arg-type]
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return bool(a == b)


# ------------------------------------------------------------------ orchestration


def _child(*args: str) -> Any:
    proc = subprocess.run([sys.executable, "-m", "benchmarks.bench_columnar", "--step", *args],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scale", default="167")
    p.add_argument("--folder", default="/tmp/ma-bench-columnar")
    p.add_argument("--pandas", action="store_true", help="also the in-memory engine on the same data")
    p.add_argument("--postgres", help="an admin URL of a PostgreSQL server (a fresh database is made on it)")
    p.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.step:
        name, *rest = args.step
        print(json.dumps(globals()[f"step_{name}"](*rest)))
        return
    Path(args.folder).mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"build": _child("build", args.folder, args.scale)}
    print(json.dumps({"build": results["build"]}), flush=True)
    results["duckdb"] = _child("duckdb", args.folder)
    print(json.dumps({"duckdb": results["duckdb"]}), flush=True)
    if args.pandas:
        results["pandas"] = _child("pandas", args.folder)
        print(json.dumps({"pandas": results["pandas"]}), flush=True)
    if args.postgres:
        from benchmarks.columnar_load import fresh_database

        url = fresh_database(args.postgres)
        results["postgres_load"] = _child("postgres_load", args.folder, url)
        print(json.dumps({"postgres_load": results["postgres_load"]}), flush=True)
        results["postgres"] = _child("postgres", args.folder, url)
        print(json.dumps({"postgres": results["postgres"]}), flush=True)
    print_table(results)


def print_table(results: dict[str, Any]) -> None:
    build = results["build"]
    print(f"\ncolumnar engine on {build['applications']:,} applications and {build['cases']:,} cases "
          f"(demo --scale {build['scale']}); year {YEAR_FROM}..{YEAR_TO} with its previous period")
    cols = ["cold", "warm", "quarter", "street_year", "street_table", "item_table", "screen_year",
            "records_short", "records_dept", "records_open", "records_pop", "rss_mb"]
    print(f"{'engine':<10}" + "".join(f"{c:>14}" for c in cols))
    for name in ("duckdb", "pandas", "postgres"):
        r = results.get(name)
        if r is None:
            continue
        cells = "".join(f"{'–':>14}" if c not in r else f"{r[c]:>13.0f} " if c == "rss_mb" else f"{r[c]:>13.2f}s"
                        for c in cols)
        print(f"{name:<10}{cells}")
    if "postgres" in results:
        print(f"PostgreSQL equal to DuckDB (values, scores, weak links): {results['postgres']['equal_to_duckdb']}")
    print("targets at 10M: cold ≤ 5 s, warm ≤ 1 s, server memory ≤ 3,072 MB")


if __name__ == "__main__":
    main()
