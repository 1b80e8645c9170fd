"""Benchmark of the Dashboard I pages' server time (issue: ≤ 1 s per filter change at scale 30).

Builds the demo data at ``--scale`` (30 ≈ 1.8 million applications: ``demo-data`` then
import, a minute or two) in a temporary SQLite database, or takes ``--db URL``; then runs the
real app with Streamlit's AppTest, signed in as the demo leader, and prints for each page —
总览, 办事流程, 服务渠道, 审批途径 — the server time of:

- the first load of the page (its own views not cached yet; the engine is loaded once, by
  the first page, and reported on its own line as the cold start);
- filter changes after the first load: another period, then a department, then another
  department (each a first computation for that selection, not a cache hit);
- the drill-down of 办事流程 (item, then stage), and a return to a selection seen before.

Usage::

    python -m benchmarks.bench_pages                    # scale 30, temporary database
    python -m benchmarks.bench_pages --scale 1          # quick run
    python -m benchmarks.bench_pages --db sqlite:////tmp/big.db
    python -m benchmarks.bench_pages --profile          # cProfile of the slowest filter changes
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.limits import allow_large_demo_files

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"
TARGET_S = 1.0

PAGES = (("总览", "overview.py"), ("办事流程", "process.py"), ("服务渠道", "channels.py"), ("审批途径", "routes.py"))


def build_database(scale: float, workdir: Path) -> str:
    """Demo data at ``scale`` written and imported into a SQLite file; its URL."""
    from data.db import Database
    from data.demo import write_demo_data
    from data.importer import import_files

    t0 = time.perf_counter()
    paths = write_demo_data(workdir / "csv", scale=scale)
    t1 = time.perf_counter()
    url = f"sqlite:///{workdir / 'bench.db'}"
    db = Database(url)
    with db.session() as session:
        report = import_files(session, sorted(paths.values()), user="bench")
    if not report.ok:
        raise SystemExit(f"import failed: {report.problems[:3]}")
    db.dispose()
    print(f"demo data scale {scale:g}: written in {t1 - t0:.1f} s, imported in {time.perf_counter() - t1:.1f} s")
    return url


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class ScriptProfiler:
    """cProfile of the script run itself (AppTest runs the script in a thread of its own)."""

    def __init__(self) -> None:
        self.current: cProfile.Profile | None = None
        import streamlit.runtime.scriptrunner.script_runner as runner

        original = runner.exec_func_with_error_handling

        def profiled(func, ctx):  # type: ignore[no-untyped-def]
            if self.current is None:
                return original(func, ctx)
            prof = self.current

            def wrapped():  # type: ignore[no-untyped-def]
                prof.enable()
                try:
                    return func()
                finally:
                    prof.disable()

            return original(wrapped, ctx)

        runner.exec_func_with_error_handling = profiled


class Timer:
    """Runs AppTest steps, recording the server time of each and checking for exceptions."""

    def __init__(self, profile: bool) -> None:
        self.rows: list[tuple[str, str, float]] = []
        self.profiler = ScriptProfiler() if profile else None
        self.slowest: list[tuple[float, str, pstats.Stats]] = []

    def step(self, page: str, label: str, fn: Callable[[], object], *, change: bool = False) -> float:
        prof = cProfile.Profile() if self.profiler and change else None
        if self.profiler:
            self.profiler.current = prof
        t0 = time.perf_counter()
        at = fn()
        dt = time.perf_counter() - t0
        if self.profiler:
            self.profiler.current = None
        exc = getattr(at, "exception", None)
        if exc:
            raise SystemExit(f"{page} {label}: {[e.value for e in exc]}")
        self.rows.append((page, label, dt))
        if prof:
            self.slowest = sorted([*self.slowest, (dt, f"{page} {label}", pstats.Stats(prof))],
                                  key=lambda x: -x[0])[:3]
        print(f"  {page:<6} {label:<28} {dt:7.3f} s{'  (> 1 s)' if change and dt > TARGET_S else ''}", flush=True)
        return dt


def run(url: str, profile: bool, only: set[str] | None = None) -> int:
    os.environ["MARKET_ACCESS_DB"] = url
    os.environ["MARKET_ACCESS_DEMO"] = "1"
    from streamlit.testing.v1 import AppTest

    timer = Timer(profile)
    changes: list[float] = []

    def fresh(file: str, **query: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=900)
        for k, v in query.items():
            at.query_params[k] = v
        at.switch_page(f"screens/{file.removesuffix('.py')}/page.py")
        return at

    # cold start: database → frames → engine, and the overview's first compute
    at = fresh("overview.py")
    timer.step("总览", "cold start (load engine)", at.run)
    for name, file in PAGES:
        if only and file.removesuffix(".py") not in only:
            continue
        at = fresh(file, period="2026Q2")
        timer.step(name, "first load (2026Q2)", at.run)
        changes.append(timer.step(name, "period → 2026Q1", lambda at=at: at.selectbox(key="f_period")
                                  .set_value("2026Q1").run(), change=True))
        changes.append(timer.step(name, "dept → JH009", lambda at=at: at.selectbox(key="f_dept")
                                  .set_value("JH009").run(), change=True))
        changes.append(timer.step(name, "dept → JH004", lambda at=at: at.selectbox(key="f_dept")
                                  .set_value("JH004").run(), change=True))
        changes.append(timer.step(name, "street → JH019", lambda at=at: at.selectbox(key="f_street")
                                  .set_value("JH019").run(), change=True))
        timer.step(name, "back to JH009, all streets (seen)", lambda at=at: (
            at.selectbox(key="f_street").set_value(""), at.selectbox(key="f_dept").set_value("JH009"))[1].run())
        if file == "process.py":
            items = [d.value for d in at.dataframe if "超期办结件数" in d.value.columns]
            if items and len(items[0]):
                code = str(items[0]["事项编码"].iloc[0])

                def drill(k: str, v: str, at: AppTest = at) -> AppTest:
                    at.query_params[k] = v
                    return at.run()

                changes.append(timer.step(name, "drill → item", lambda code=code: drill("item", code), change=True))
                changes.append(timer.step(name, "drill → stage 审查", lambda: drill("stage", "审查"), change=True))

    print()
    if not changes:
        return 0
    worst = max(changes)
    over = [r for r in timer.rows if r[2] > TARGET_S and not r[1].startswith(("cold", "first"))]
    print(f"filter changes: {len(changes)}, median {sorted(changes)[len(changes) // 2]:.3f} s, "
          f"worst {worst:.3f} s (target ≤ {TARGET_S:.0f} s): {'met' if not over else f'{len(over)} over'}")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    for dt, label, stats in timer.slowest:
        out = io.StringIO()
        stats.stream = out  # type: ignore[attr-defined]
        stats.sort_stats("cumulative").print_stats(r"(metrics|dashboard|data)/", 25)
        print(f"\nprofile of a slow filter change ({label}, {dt:.3f} s), project functions:")
        print(out.getvalue())
    return 0


def main() -> int:
    allow_large_demo_files()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="SQLAlchemy URL of a database holding the demo data")
    ap.add_argument("--scale", type=float, default=30.0, help="demo data scale when building (default 30)")
    ap.add_argument("--profile", action="store_true", help="profile the three slowest filter changes")
    ap.add_argument("--pages", help="comma-separated subset of overview,process,channels,routes")
    args = ap.parse_args()
    only = set(args.pages.split(",")) if args.pages else None
    if args.db:
        return run(args.db, args.profile, only)
    with tempfile.TemporaryDirectory() as tmp:
        return run(build_database(args.scale, Path(tmp)), args.profile, only)


if __name__ == "__main__":
    raise SystemExit(main())
