"""Benchmark of the indicator engine (issue: ≤ 1.5 s warm, ≤ 2 GB, at 1,000,000 applications).

Prints:
- warm compute: ``MetricsEngine.compute`` for a whole year (all indicators, every
  department, scores, weak links, and the previous year as the comparison period), on an
  engine already built over loaded frames; best and median of several runs;
- engine build: deriving the per-record columns once (``MetricsEngine(frames)``);
- cold from the database: ``load_frames`` + engine build + compute, when a database is given
  (``--db URL``) or built here (``--cold``: the synthetic data written as contract CSVs and
  imported through ``data.importer``, or the demo generator's files with ``--demo-dir``);
- peak RSS of the process.

Usage::

    python -m benchmarks.bench_metrics                 # 1M synthetic applications, warm only
    python -m benchmarks.bench_metrics --cold          # + import into a temp SQLite, cold path
    python -m benchmarks.bench_metrics --db URL        # cold path on an existing database
    python -m benchmarks.bench_metrics --demo-dir DIR  # import demo-data files, cold path
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.limits import allow_large_demo_files
from data.frames import Frames, frames_from
from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest

CHANNELS = np.array(["网上办理", "掌上办理", "窗口办理", "自助终端", "邮寄", "其他"], dtype=object)
ROUTES = np.array(["即办件", "承诺件", "告知承诺", "容缺受理", "并联审批"], dtype=object)
NONE = np.array(None, dtype=object)  # np.where filler for "no value"
SOURCES = np.array(["行政执法", "互联网+督查", "经营主体反映", "国家部委转办", "省级转办", "市级转办", "部门自查", "其他"],
                   dtype=object)


def _uscc(serials: np.ndarray) -> list[str]:
    from data.values import uscc_check_char

    out = []
    for s in serials.tolist():
        first17 = f"91440704MA5{s:06d}"
        out.append(first17 + uscc_check_char(first17))
    return out


def synthetic_tables(n_apps: int, seed: int = 7, start: dt.date = dt.date(2024, 1, 1),
                     days: int = 731) -> dict[str, pd.DataFrame]:
    """A plausible district: 24 departments + 6 streets, 600 items, ``n_apps`` applications
    spread over ``days`` days from ``start``, 3% as many cases, credit ratings, two list versions."""
    rng = np.random.default_rng(seed)
    depts = [f"D{i:03d}" for i in range(1, 25)]
    streets = [f"S{i:03d}" for i in range(1, 7)]
    departments = pd.DataFrame({
        "dept_code": depts + streets,
        "dept_name": [f"部门{i}" for i in range(1, 25)] + [f"街道{i}" for i in range(1, 7)],
        "dept_type": ["区直部门"] * 24 + ["街道"] * 6,
    })
    nl_codes = [f"N{i:03d}" for i in range(1, 121)]
    negative_list = pd.concat([
        pd.DataFrame({"version": v, "nl_code": nl_codes[: 100 + 10 * k],
                      "category": ["禁止准入类" if i % 10 == 0 else "许可准入类" for i in range(100 + 10 * k)],
                      "name": [f"事项{c}" for c in nl_codes[: 100 + 10 * k]], "effective_date": eff})
        for k, (v, eff) in enumerate((("2023", "2023-06-01"), ("2025", "2025-03-01")))
    ], ignore_index=True)
    n_items = 600
    legal = rng.choice([0, 5, 10, 15, 20, 30], n_items, p=[0.1, 0.2, 0.25, 0.2, 0.15, 0.1])
    promised = np.where(legal > 0, np.maximum(1, (legal * rng.uniform(0.2, 1.0, n_items)).astype(int)), 0)
    online = rng.random(n_items) < 0.8
    items = pd.DataFrame({
        "item_code": [f"I{i:04d}" for i in range(n_items)],
        "item_name": [f"事项{i}" for i in range(n_items)],
        "dept_code": rng.choice(depts, n_items),
        "item_type": rng.choice(["行政许可", "行政确认", "行政备案", "公共服务", "其他权力"], n_items),
        "nl_code": np.where(rng.random(n_items) < 0.4, rng.choice(nl_codes[:110], n_items), NONE),
        "power_code": np.where(rng.random(n_items) < 0.9, "P", NONE),
        "license_code": np.where(rng.random(n_items) < 0.8, "L", NONE),
        "legal_limit_days": legal,
        "promised_limit_days": promised,
        "online_available": online,
        "full_online": online & (rng.random(n_items) < 0.5),
        "materials": rng.integers(1, 12, n_items),
        **{c: rng.random(n_items) < 0.85 for c in
           ("pub_legal_basis", "pub_standards", "pub_requirements", "pub_procedure", "pub_time_limit")},
        "guide_updated": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 200, n_items), unit="D"),
    })

    n = n_apps
    item_idx = rng.integers(0, n_items, n)
    submitted = (pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, days * 86400, n), unit="s")).to_numpy()
    accepted = submitted + (rng.exponential(3.0, n) * 3600).astype("int64") * np.timedelta64(1, "s")
    reviewed = accepted + (rng.exponential(40.0, n) * 3600).astype("int64") * np.timedelta64(1, "s")
    decided = reviewed + (rng.exponential(8.0, n) * 3600).astype("int64") * np.timedelta64(1, "s")
    completed = decided + (rng.exponential(20.0, n) * 3600).astype("int64") * np.timedelta64(1, "s")
    status = rng.choice(np.array(["已办结", "在办", "不予受理", "撤回"], dtype=object), n, p=[0.9, 0.05, 0.03, 0.02])
    end = np.datetime64(pd.Timestamp(start) + pd.Timedelta(days=days))
    status = np.where((status == "已办结") & (completed > end), "在办", status)
    no_acc = np.isin(status, ["不予受理", "撤回"])
    done = status == "已办结"
    nat = np.datetime64("NaT")
    visits = rng.choice([0, 1, 2, 3], n, p=[0.6, 0.3, 0.07, 0.03]).astype(float)
    visits[rng.random(n) < 0.05] = np.nan
    rating = rng.choice([1, 2, 3, 4, 5], n, p=[0.01, 0.02, 0.07, 0.3, 0.6]).astype(float)
    rating[(rng.random(n) < 0.4) | ~done] = np.nan
    applications = pd.DataFrame({
        "app_id": [f"A{i:08d}" for i in range(n)],
        "item_code": items["item_code"].to_numpy()[item_idx],
        "dept_code": np.where(rng.random(n) < 0.2, rng.choice(depts, n), NONE),
        "street_code": np.where(rng.random(n) < 0.5, rng.choice(streets, n), NONE),
        "channel": rng.choice(CHANNELS, n, p=[0.45, 0.2, 0.25, 0.05, 0.03, 0.02]),
        "route": rng.choice(ROUTES, n, p=[0.3, 0.4, 0.1, 0.1, 0.1]),
        "submitted_at": submitted,
        "accepted_at": np.where(no_acc, nat, accepted),
        "reviewed_at": np.where(no_acc | (rng.random(n) < 0.03), nat, reviewed),
        "decided_at": np.where(no_acc | (rng.random(n) < 0.03), nat, decided),
        "completed_at": np.where(done, completed, nat),
        "status": status,
        "result": np.where(done, np.where(rng.random(n) < 0.03, "不予", "准予"), NONE),
        "suspended_days": np.where(rng.random(n) < 0.05, rng.integers(1, 10, n), 0),
        "visits": visits,
        "rating": rating,
    })

    n_cases = max(50, n // 33)
    received = pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, days, n_cases), unit="D")
    transferred = received + pd.to_timedelta(rng.integers(0, 9, n_cases), unit="D")
    true = rng.random(n_cases) < 0.6
    deadline = received + pd.to_timedelta(rng.integers(20, 90, n_cases), unit="D")
    rectified = np.maximum(deadline + pd.to_timedelta(rng.integers(-30, 20, n_cases), unit="D"), transferred)
    cases = pd.DataFrame({
        "case_id": [f"K{i:07d}" for i in range(n_cases)],
        "received_date": received,
        "source": rng.choice(SOURCES, n_cases),
        "category": "其他",
        "dept_code": rng.choice(depts, n_cases),
        "street_code": np.where(rng.random(n_cases) < 0.3, rng.choice(streets, n_cases), NONE),
        "status": np.where(true, "整改中", "核查中"),
        "transferred_date": np.where(rng.random(n_cases) < 0.9, transferred, pd.NaT),
        "verified": np.where(true, "属实", NONE),
        "dept_reported": rng.random(n_cases) < 0.5,
        "key_case": true & (rng.random(n_cases) < 0.1),
        "rectify_deadline": np.where(true, deadline, pd.NaT),
        "rectified_date": np.where(true & (rng.random(n_cases) < 0.8), rectified, pd.NaT),
        "responsible_person": np.where(true, "负责人", NONE),
    })
    disclosures = pd.DataFrame([
        (d, "负面清单", v, ch, date)
        for d in depts for v, date in (("2023", "2023-06-10"), ("2025", "2025-03-10"))
        for ch in ("门户网站", "微信公众号", "信用中国") if rng.random() < 0.7
    ], columns=["dept_code", "content", "version", "channel", "published_date"])
    n_rat = max(100, n // 20)
    serial = rng.integers(0, max(10, n // 40), n_rat)
    credit_ratings = pd.DataFrame({
        "entity_id": serial, "dept_code": rng.choice(depts, n_rat),
        "grade": rng.choice(["A", "B", "C", "D"], n_rat, p=[0.5, 0.3, 0.15, 0.05]),
        "rated_date": pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, days, n_rat), unit="D"),
    }).drop_duplicates(["entity_id", "dept_code", "rated_date"])
    uniq = np.unique(credit_ratings["entity_id"].to_numpy())
    codes = dict(zip(uniq.tolist(), _uscc(uniq), strict=True))
    credit_ratings["entity_id"] = credit_ratings["entity_id"].map(codes)
    return {
        "departments": departments, "negative_list": negative_list, "service_items": items,
        "applications": applications, "cases": cases, "disclosures": disclosures,
        "credit_ratings": credit_ratings,
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def bench_warm(frames: Frames, request: MetricsRequest, repeat: int) -> MetricsEngine:
    t = time.perf_counter()
    engine = MetricsEngine(frames)
    build = time.perf_counter() - t
    t = time.perf_counter()
    result = engine.compute(request)
    first = time.perf_counter() - t
    runs = timed(lambda: engine.compute(request), repeat)
    print(f"applications: {len(frames.applications):,}  departments: {len(frames.departments)}  "
          f"cases: {len(frames.cases):,}")
    print(f"engine build (derived columns, once per data set): {build:.3f} s")
    print(f"first compute: {first:.3f} s")
    print(f"warm compute, year {request.date_from}..{request.date_to} + previous period, all departments, "
          f"scores, weak links: best {min(runs):.3f} s, median {statistics.median(runs):.3f} s")
    print(f"  weak links: {len(result.weak_links)}; departments: {len(result.departments)}")
    return engine


def bench_cold(url: str, request: MetricsRequest, repeat: int) -> None:
    """Cold path in this (fresh) process: load_frames + engine build + compute, then warm runs."""
    from data.db import Database
    from data.frames import load_frames

    db = Database(url)
    t = time.perf_counter()
    with db.session() as session:
        frames = load_frames(session)
    loaded = time.perf_counter() - t
    engine = MetricsEngine(frames)
    built = time.perf_counter() - t
    engine.compute(request)
    total = time.perf_counter() - t
    db.dispose()
    print(f"cold from the database ({len(frames.applications):,} applications): load_frames {loaded:.3f} s, "
          f"+ engine build {built - loaded:.3f} s, + compute {total - built:.3f} s = {total:.3f} s")
    runs = timed(lambda: engine.compute(request), repeat)
    print(f"warm compute on the loaded data: best {min(runs):.3f} s, median {statistics.median(runs):.3f} s")
    print(f"peak RSS of the cold process: {peak_rss_mb():.0f} MB")


def cold_in_subprocess(url: str, year: int, repeat: int) -> None:
    """Run the cold path in a fresh interpreter, so that its time and RSS are its own."""
    import subprocess

    subprocess.run([sys.executable, "-m", "benchmarks.bench_metrics", "--db", url, "--year", str(year),
                    "--repeat", str(repeat)], check=True, cwd=Path(__file__).resolve().parents[1])


def import_files_into(url: str, paths: list[Path]) -> None:
    from data.db import Database
    from data.importer import import_files

    db = Database(url)
    t = time.perf_counter()
    with db.session() as session:
        report = import_files(session, paths, now=dt.datetime(2026, 12, 31))
    db.dispose()
    if report.problems:
        reasons = pd.Series([f"{p.table}.{p.column}: {p.reason}" for p in report.problems]).value_counts()
        raise SystemExit(f"import rejected: {len(report.problems)} problems:\n{reasons.head(20).to_string()}")
    print(f"imported {sum(c.rows for c in report.counts):,} rows in {time.perf_counter() - t:.1f} s")


def write_csvs(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """The tables as contract CSV files (ids as headers, 是/否, dates and date-times as text)."""
    from data.contract import TABLES_BY_ID, Kind

    paths = []
    for table_id, df in tables.items():
        out = df.copy()
        for col in TABLES_BY_ID[table_id].columns:
            if col.id not in out.columns:
                continue
            if col.kind is Kind.BOOL:
                out[col.id] = np.where(out[col.id].astype(bool), "是", "否")
            elif col.kind is Kind.DATE:
                out[col.id] = pd.to_datetime(out[col.id]).dt.strftime("%Y-%m-%d")
            elif col.kind is Kind.DATETIME:
                out[col.id] = pd.to_datetime(out[col.id]).dt.strftime("%Y-%m-%d %H:%M:%S")
            elif col.kind in (Kind.INT, Kind.RATING):
                out[col.id] = pd.to_numeric(out[col.id]).astype("Int64")
        path = folder / f"{table_id}.csv"
        out.to_csv(path, index=False)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    allow_large_demo_files()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--apps", type=int, default=1_000_000, help="synthetic applications (default 1,000,000)")
    ap.add_argument("--year", type=int, default=2025, help="the year computed (its previous year is compared)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--db", help="an already loaded database URL: measure the cold path on it")
    ap.add_argument("--cold", action="store_true", help="import the synthetic data into a temp SQLite first")
    ap.add_argument("--demo-dir", type=Path, help="import these demo-data CSV files into a temp SQLite first")
    args = ap.parse_args(argv)
    request = MetricsRequest(dt.date(args.year, 1, 1), dt.date(args.year, 12, 31))

    if args.db:
        bench_cold(args.db, request, args.repeat)
        return 0
    if args.demo_dir:
        tmp = Path(tempfile.mkdtemp(prefix="bench-metrics-"))
        url = f"sqlite:///{tmp / 'bench.db'}"
        import_files_into(url, sorted(args.demo_dir.glob("*.csv")))
        cold_in_subprocess(url, args.year, args.repeat)
        return 0

    t = time.perf_counter()
    tables = synthetic_tables(args.apps, start=dt.date(args.year - 1, 1, 1))
    frames = frames_from(tables)
    print(f"synthesised in {time.perf_counter() - t:.1f} s")
    bench_warm(frames, request, args.repeat)
    print(f"peak RSS (synthesis + engine): {peak_rss_mb():.0f} MB")
    if args.cold:
        tmp = Path(tempfile.mkdtemp(prefix="bench-metrics-"))
        paths = write_csvs(tables, tmp)
        del frames
        url = f"sqlite:///{tmp / 'bench.db'}"
        import_files_into(url, paths)
        cold_in_subprocess(url, args.year, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
