"""One command for the performance figures of issue 8, on SQLite and on PostgreSQL.

    python -m benchmarks.run                 # ~1,000,000 applications (demo --scale 16.7)
    python -m benchmarks.run --scale 1       # a quick run
    python -m benchmarks.run --backends sqlite
    python -m benchmarks.run --backends sqlite --load      # + 1/10/30/60 sessions, 1 and 2 processes
    python -m benchmarks.run --backends sqlite --hostile   # + a viewer's page time while hostile files are uploaded
    python -m benchmarks.run --backends "" --columnar 167  # the columnar engine alone at ~10,000,000 applications

Builds the demo data once, then for each database (a temporary SQLite file; a throw-away
PostgreSQL server started by tasks.py, or $MARKET_ACCESS_TEST_PG) measures, each step in a
fresh process so that its time and peak memory are its own:

- validated import rows/s (applications, and all rows of the batch);
- metrics for a year plus its previous period: cold from the database (load + engine +
  compute), cold from the columnar snapshot of the same data, and warm (compute again);
- the hidden-barrier screen of the year: first and warm (wall and CPU time);
- every dashboard page's server time (Streamlit AppTest, signed in as a leader): first
  load, and a filter change after it (another period, then a department);
- peak resident memory of each step;
- with ``--load``: concurrent sessions speaking Streamlit's websocket protocol against the
  dashboard on the SQLite database, with 1 process and with 2 behind nginx
  (benchmarks/load_streamlit.py; p50 / p95 server time, errors, runs/s, server CPU);
- with ``--hostile``: another session's page time at rest and while an administrator uploads
  each hostile file through 数据导入, and the server's peak memory (benchmarks/bench_hostile_upload.py).

Targets: import ≥ 50,000 rows/s; metrics ≤ 1.5 s warm and ≤ 6 s cold; screen ≤ 2 s warm; pages ≤ 1 s per
filter change; memory ≤ 2 GB.  Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.limits import allow_large_demo_files

ROOT = Path(__file__).resolve().parent.parent

YEAR_FROM, YEAR_TO = date(2025, 11, 1), date(2026, 10, 31)  # the last full year of the demo data


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ------------------------------------------------------------------ steps (each in its own process)


def step_import(url: str, folder: str) -> dict[str, float]:
    from data.db import Database
    from data.importer import import_files

    db = Database(url)
    files = sorted(Path(folder).glob("*.csv"))
    t0 = time.perf_counter()
    with db.session() as s:
        report = import_files(s, files, user="benchmark")
    seconds = time.perf_counter() - t0
    assert report.ok, report.problems[:3]
    apps = report.count("applications").rows
    total = sum(c.rows for c in report.counts)
    return {"seconds": seconds, "applications": apps, "rows": total, "apps_per_s": apps / seconds,
            "rows_per_s": total / seconds, "rss_mb": _rss_mb()}


def step_metrics(url: str, snapshot: bool) -> dict[str, float]:
    from data.db import Database
    from data.frames import load_frames
    from data.snapshots import default_cache_dir
    from metrics.engine import MetricsEngine
    from metrics.results import MetricsRequest

    db = Database(url)
    t0 = time.perf_counter()
    with db.session() as s:
        frames = load_frames(s, default_cache_dir(url) if snapshot else None)
    t1 = time.perf_counter()
    engine = MetricsEngine(frames)
    t2 = time.perf_counter()
    request = MetricsRequest(YEAR_FROM, YEAR_TO)
    engine.compute(request)
    t3 = time.perf_counter()
    warm = []
    for _ in range(3):
        w0 = time.perf_counter()
        engine.compute(request)
        warm.append(time.perf_counter() - w0)
    return {"load": t1 - t0, "engine": t2 - t1, "first_compute": t3 - t2, "cold": t3 - t0,
            "warm": min(warm), "applications": len(frames.applications), "rss_mb": _rss_mb()}


def step_screen(url: str) -> dict[str, float]:
    """The hidden-barrier screen of the year (issue 15: ≤ 2 s warm), on the snapshot's frames."""
    from data.db import Database
    from data.frames import load_frames
    from data.snapshots import default_cache_dir
    from metrics.engine import MetricsEngine
    from metrics.screening.model import ScreeningRequest
    from metrics.screening.screener import Screener

    db = Database(url)
    with db.session() as s:
        frames = load_frames(s, default_cache_dir(url))
    t0 = time.perf_counter()
    screener = Screener(MetricsEngine(frames))
    t1 = time.perf_counter()
    request = ScreeningRequest(YEAR_FROM, YEAR_TO)
    result = screener.screen(request)
    t2 = time.perf_counter()
    warm, cpu = [], []
    for _ in range(3):
        w0, c0 = time.perf_counter(), time.process_time()
        screener.screen(request)
        warm.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return {"build": t1 - t0, "first": t2 - t1, "warm": min(warm), "cpu": min(cpu),
            "signals": len(result.signals), "tested": sum(result.tested.values()), "rss_mb": _rss_mb()}


PAGES = ["overview", "process", "channels", "routes", "present", "scorecard", "weak_links", "tasks",
         "cases", "ledger", "negative_list", "credit", "self_check", "data_quality"]


def step_pages(url: str) -> dict[str, object]:
    os.environ["MARKET_ACCESS_DB"] = url
    os.environ["MARKET_ACCESS_DEMO"] = "1"
    from streamlit.testing.v1 import AppTest

    app = ROOT / "dashboard" / "app.py"
    out: dict[str, object] = {}
    warm = AppTest.from_file(str(app), default_timeout=600)
    t0 = time.perf_counter()
    warm.run()  # the engine is loaded once per process, by the first page
    out["engine_start"] = time.perf_counter() - t0
    for page in PAGES:
        at = AppTest.from_file(str(app), default_timeout=600)
        at.query_params["period"] = "2026Q2"
        at.run()
        at.switch_page(f"screens/{page}/page.py")
        t0 = time.perf_counter()
        at.run()
        first = time.perf_counter() - t0
        at.selectbox(key="f_period").set_value("2026Q3")
        t0 = time.perf_counter()
        at.run()
        period_change = time.perf_counter() - t0
        at.selectbox(key="f_dept").set_value("JH009")
        t0 = time.perf_counter()
        at.run()
        dept_change = time.perf_counter() - t0
        errors = len(at.exception) + len(at.error)
        out[page] = {"first": first, "period_change": period_change, "dept_change": dept_change, "errors": errors}
    out["rss_mb"] = _rss_mb()
    return out


def step_load(url: str, sessions: str, seconds: str, workers: str) -> list[dict[str, object]]:
    from dataclasses import asdict

    from benchmarks.load_streamlit import measure

    return [asdict(r) for r in measure(url, [int(n) for n in sessions.split(",")], float(seconds), int(workers))]


# ------------------------------------------------------------------ orchestration


def _child(*args: str) -> Any:
    proc = subprocess.run([sys.executable, "-m", "benchmarks.run", "--step", *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fresh_database(backend: str, admin_url: str | None, tmp: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'bench.db'}"
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    assert admin_url is not None
    name = f"ma_bench_{uuid.uuid4().hex[:8]}"
    eng = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    eng.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _report(backend: str, imp: dict, cold: dict, snap: dict, pages: dict,  # type: ignore[type-arg]
            screen: dict) -> None:  # type: ignore[type-arg]
    ok = lambda good: "达标" if good else "未达标"  # noqa: E731
    print(f"\n=== {backend} ===")
    print(f"导入：{imp['applications']:,} 条办件，共 {imp['rows']:,} 行，{imp['seconds']:.1f} s；"
          f"办件 {imp['apps_per_s']:,.0f} 行/秒，全部 {imp['rows_per_s']:,.0f} 行/秒（目标 ≥ 50,000）"
          f" {ok(imp['apps_per_s'] >= 50_000)}；峰值内存 {imp['rss_mb']:.0f} MB")
    print(f"指标（{YEAR_FROM} 至 {YEAR_TO} 及上期，全部部门、得分、短板，{cold['applications']:,} 条办件）：")
    print(f"  冷启动（数据库）：读取 {cold['load']:.2f} s + 引擎 {cold['engine']:.2f} s + 计算 {cold['first_compute']:.2f} s"
          f" = {cold['cold']:.2f} s（目标 ≤ 6 s）{ok(cold['cold'] <= 6)}；峰值内存 {cold['rss_mb']:.0f} MB")
    print(f"  冷启动（列式快照）：读取 {snap['load']:.2f} s + 引擎 {snap['engine']:.2f} s + 计算 {snap['first_compute']:.2f} s"
          f" = {snap['cold']:.2f} s {ok(snap['cold'] <= 6)}；峰值内存 {snap['rss_mb']:.0f} MB")
    print(f"  热计算：{cold['warm']:.2f} s（目标 ≤ 1.5 s）{ok(cold['warm'] <= 1.5)}")
    print(f"隐性壁垒筛查（{YEAR_FROM} 至 {YEAR_TO}，全部事项，{screen['tested']:.0f} 项次检验，{screen['signals']:.0f} 条线索）："
          f"首次 {screen['first']:.2f} s，热计算 {screen['warm']:.2f} s（CPU {screen['cpu']:.2f} s；目标 ≤ 2 s）"
          f"{ok(screen['warm'] <= 2)}；峰值内存 {screen['rss_mb']:.0f} MB")
    print(f"页面服务端耗时（AppTest；首个页面加载引擎 {pages['engine_start']:.1f} s）：")
    worst = 0.0
    for page in PAGES:
        p = pages[page]
        worst = max(worst, p["period_change"], p["dept_change"])
        print(f"  {page:14s} 首次 {p['first']:.2f} s  换时段 {p['period_change']:.2f} s  换部门 {p['dept_change']:.2f} s"
              f"  错误 {p['errors']}")
    print(f"  最慢的筛选变更 {worst:.2f} s（目标 ≤ 1 s）{ok(worst <= 1)}；峰值内存 {pages['rss_mb']:.0f} MB")
    peak = max(imp["rss_mb"], cold["rss_mb"], snap["rss_mb"], pages["rss_mb"], screen["rss_mb"])
    print(f"峰值内存（各步骤最大）：{peak:.0f} MB（目标 ≤ 2048 MB）{ok(peak <= 2048)}")


def main() -> None:
    allow_large_demo_files()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=16.7, help="demo data scale (16.7 ≈ 1,000,000 applications)")
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--load", action="store_true", help="also run the concurrency load (SQLite only)")
    ap.add_argument("--load-sessions", default="1,10,30,60")
    ap.add_argument("--load-seconds", default="60")
    ap.add_argument("--load-workers", default="1,2,4", help="process counts to measure the load with")
    ap.add_argument("--hostile", action="store_true", help="also run the hostile-upload benchmark (SQLite only)")
    ap.add_argument("--hostile-seconds", default="30", help="length of each hostile-upload phase")
    ap.add_argument("--columnar", metavar="SCALE",
                    help="also the columnar engine (DuckDB, PostgreSQL) at this demo scale: 167 ≈ 10,000,000 "
                         "applications (benchmarks/bench_columnar.py)")
    ap.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step:
        name, *rest = args.step
        fn = {"import": lambda: step_import(*rest), "metrics": lambda: step_metrics(rest[0], rest[1] == "1"),
              "pages": lambda: step_pages(rest[0]), "screen": lambda: step_screen(rest[0]),
              "load": lambda: step_load(*rest)}[name]
        print(json.dumps(fn()))
        return
    import tasks
    from data.demo import write_demo_data

    print(f"机器：{os.cpu_count()} 核；Python {sys.version.split()[0]}；数据规模 --scale {args.scale}")
    with tempfile.TemporaryDirectory(prefix="ma-bench-") as tmp_s:
        tmp = Path(tmp_s)
        backends = [b for b in args.backends.split(",") if b]
        if backends:
            t0 = time.perf_counter()
            write_demo_data(tmp / "data", scale=args.scale)
            print(f"演示数据生成 {time.perf_counter() - t0:.1f} s")
        for backend in backends:
            if backend == "postgresql":
                with tasks.postgres_server() as admin:
                    url = fresh_database(backend, admin, tmp)
                    _run_backend(backend, url, tmp)
            else:
                url = fresh_database(backend, None, tmp)
                _run_backend(backend, url, tmp)
                if args.load:
                    _run_load(url, args.load_sessions, args.load_seconds, args.load_workers)
                if args.hostile:
                    print("\n恶意文件上传时另一会话的页面耗时（benchmarks/bench_hostile_upload.py）：", flush=True)
                    product_limits = {k: v for k, v in os.environ.items() if not k.startswith("MARKET_ACCESS_LIMIT_")}
                    subprocess.run([sys.executable, "-m", "benchmarks.bench_hostile_upload", "--db", url,
                                    "--seconds", args.hostile_seconds], cwd=ROOT, check=True, env=product_limits)
                shutil.rmtree(tmp / "bench.db.frames", ignore_errors=True)
        if args.columnar:
            print(f"\n列式引擎（DuckDB、PostgreSQL；benchmarks/bench_columnar.py，--scale {args.columnar}）：", flush=True)
            with tasks.postgres_server() as admin:
                subprocess.run([sys.executable, "-m", "benchmarks.bench_columnar", "--scale", args.columnar,
                                "--folder", str(tmp / "columnar"), "--postgres", admin], cwd=ROOT, check=True)


def _run_load(url: str, sessions: str, seconds: str, workers: str) -> None:
    from benchmarks.load_streamlit import LoadResult, report

    print("\n并发（协议级压测，思考时间 1–3 s；目标：60 个会话 p95 ≤ 2 s 且无错误）：", flush=True)
    for n in workers.split(","):
        for r in _child("load", url, sessions, seconds, n):
            r["error_samples"] = tuple(r["error_samples"])
            print(report(LoadResult(**r), f"[{n} 个进程] "), flush=True)


def _run_backend(backend: str, url: str, tmp: Path) -> None:
    imp = _child("import", url, str(tmp / "data"))
    cold = _child("metrics", url, "0")
    _child("metrics", url, "1")  # writes the snapshot
    snap = _child("metrics", url, "1")
    screen = _child("screen", url)
    pages = _child("pages", url)
    _report(backend, imp, cold, snap, pages, screen)


if __name__ == "__main__":
    main()
