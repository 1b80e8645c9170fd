"""Benchmark: validated import of about a million applications.

Builds a contract-valid dataset (departments, service items and N applications as UTF-8
CSV with Chinese headers) with numpy, or takes one from ``--dir`` or ``--from-demo``
(``market-access demo-data OUTDIR --scale 30``, about a million applications), imports it into a fresh database and
prints rows/s for applications and for all rows; before that a dry run (read, validate,
compare) and after it a second import (every row unchanged) are timed too.  The machine's
load average is printed with the figures: on a shared machine they vary with it.

    python -m benchmarks.bench_import                      # SQLite in a temp dir
    python -m benchmarks.bench_import --mapped             # applications as a platform export, read by a saved mapping
    python -m benchmarks.bench_import --pg postgresql+psycopg://postgres@127.0.0.1:54329/postgres

``--first-only`` times only the first import (no dry run, no second import), so the peak
memory printed is the import's own; generate the files beforehand with ``--generate-only``
(generating a large file in the same process would set the peak).  ``--chunk-rows`` sets the
records of a CSV file held at once (:data:`data.csv_chunks.CHUNK_ROWS` by default).

With ``--pg`` a temporary database is created on that server and dropped afterwards.
With ``--mapped`` the applications file is shaped like a real export (a title row and a
unit line above the header, alias headers, the export's own value forms 已办/网办, a file
name that names no table) and is read through a saved import mapping with value rewrites.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.limits import allow_large_demo_files
from data import contract
from data.csv_chunks import CHUNK_ROWS
from data.db import Database
from data.importer import ImportReport, import_files
from data.mappings import MappingSpec, save_mapping
from data.values import USCC_CHARSET, uscc_expected

N_DEPTS, N_STREETS, N_ITEMS = 30, 8, 600
BASE = np.datetime64("2024-01-01T00:00:00", "s")


def _zh(table: contract.Table, frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns={c.id: c.zh for c in table.columns})


def _fmt(stamps: np.ndarray) -> np.ndarray:
    text = np.datetime_as_string(stamps, unit="s").astype(object)
    out = pd.Series(text, dtype="str").str.replace("T", " ", regex=False)
    return out.where(~np.isnat(stamps), "").to_numpy(dtype=object)


def _usccs(rng: np.random.Generator, n: int) -> np.ndarray:
    chars = np.array(list(USCC_CHARSET))
    body = np.char.add("9144070", ["".join(r) for r in rng.choice(chars, size=(n, 10))])
    codes = pd.Series(np.char.add(body, "0"), dtype="str")
    return np.char.add(body, uscc_expected(codes).astype(str)).astype(object)


EXPORT_HEADERS = {
    "app_id": "办件流水号", "item_code": "事项代码", "dept_code": "受理部门代码", "street_code": "所属街道编码",
    "channel": "申报渠道", "route": "办件类型", "submitted_at": "申报时间", "accepted_at": "受理日期",
    "reviewed_at": "审核时间", "decided_at": "审批时间", "completed_at": "办结日期", "status": "办件状态",
    "result": "审批结果", "suspended_days": "特别程序时间", "visits": "跑动次数", "rating": "评价结果",
    "entity_id": "申请人统一社会信用代码",
}
"""Alias headers of a platform export, one per applications column (see data/aliases.toml)."""
EXPORT_NAME = "区住建局办件明细导出.csv"
EXPORT_REWRITES = (("status", "已办", "已办结"), ("channel", "网办", "网上办理"))


def export_mapping() -> MappingSpec:
    """The saved mapping that reads the export-shaped applications file."""
    headers = tuple(EXPORT_HEADERS.values())
    return MappingSpec("基准-办件导出", "applications", 3, headers,
                       tuple((h, c) for c, h in EXPORT_HEADERS.items()), EXPORT_REWRITES)


def generate(out: Path, n_apps: int, seed: int = 7, mapped: bool = False) -> list[Path]:
    """Write departments.csv, service_items.csv and 办件.csv with ``n_apps`` applications
    (``mapped``: the applications as a platform export instead, see :data:`EXPORT_HEADERS`)."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    codes = [f"D{i:03d}" for i in range(N_DEPTS)] + [f"S{i:02d}" for i in range(N_STREETS)]
    depts = pd.DataFrame({
        "dept_code": codes,
        "dept_name": [f"部门{i}" for i in range(N_DEPTS)] + [f"街道{i}" for i in range(N_STREETS)],
        "dept_type": ["区直部门"] * N_DEPTS + ["街道"] * N_STREETS,
        "joint_meeting": ["是"] * 10 + ["否"] * (N_DEPTS + N_STREETS - 10),
    })
    legal = rng.integers(0, 30, N_ITEMS)
    online = rng.random(N_ITEMS) < 0.7
    items = pd.DataFrame({
        "item_code": [f"I{i:05d}" for i in range(N_ITEMS)],
        "item_name": [f"事项{i}" for i in range(N_ITEMS)],
        "dept_code": rng.choice(codes[:N_DEPTS], N_ITEMS),
        "item_type": rng.choice(contract.ITEM_TYPES, N_ITEMS),
        "legal_limit_days": legal,
        "promised_limit_days": np.where(legal > 0, (legal * rng.random(N_ITEMS)).astype(int), 0),
        "online_available": np.where(online, "是", "否"),
        "full_online": np.where(online & (rng.random(N_ITEMS) < 0.5), "是", "否"),
    })
    n = n_apps
    status = rng.choice(contract.APP_STATUSES, n, p=[0.1, 0.84, 0.03, 0.03])
    submitted = BASE + rng.integers(0, 640 * 86400, n).astype("timedelta64[s]")
    accepted = submitted + rng.integers(0, 86400, n).astype("timedelta64[s]")
    reviewed = accepted + rng.integers(0, 5 * 86400, n).astype("timedelta64[s]")
    decided = reviewed + rng.integers(0, 86400, n).astype("timedelta64[s]")
    completed = decided + rng.integers(0, 3600, n).astype("timedelta64[s]")
    nat = np.datetime64("NaT", "s")
    no_accept = np.isin(status, ("不予受理", "撤回")) & (rng.random(n) < 0.5)
    done = status == "已办结"
    apps = pd.DataFrame({
        "app_id": np.char.add("A", np.char.zfill(np.arange(n).astype(str), 9)),
        "item_code": items["item_code"].to_numpy()[rng.integers(0, N_ITEMS, n)],
        "dept_code": np.where(rng.random(n) < 0.3, rng.choice(codes[:N_DEPTS], n), ""),
        "street_code": np.where(rng.random(n) < 0.4, rng.choice(codes[N_DEPTS:], n), ""),
        "channel": rng.choice(contract.CHANNELS, n),
        "route": rng.choice(contract.ROUTES, n),
        "submitted_at": _fmt(submitted),
        "accepted_at": _fmt(np.where(no_accept, nat, accepted)),
        "reviewed_at": _fmt(np.where(done, reviewed, nat)),
        "decided_at": _fmt(np.where(done, decided, nat)),
        "completed_at": _fmt(np.where(done, completed, nat)),
        "status": status,
        "result": np.where(done, rng.choice(contract.APP_RESULTS, n, p=[0.95, 0.05]), ""),
        "suspended_days": np.where(rng.random(n) < 0.05, rng.integers(1, 10, n).astype(str), ""),
        "visits": rng.integers(0, 3, n),
        "rating": np.where(rng.random(n) < 0.6, rng.choice(["1", "2", "3", "4", "5", "满意", "非常满意"], n), ""),
        "entity_id": np.where(rng.random(n) < 0.8, _usccs(rng, n), ""),
    })
    paths = [out / "departments.csv", out / "service_items.csv", out / (EXPORT_NAME if mapped else "办件.csv")]
    _zh(contract.DEPARTMENTS, depts).to_csv(paths[0], index=False)
    _zh(contract.SERVICE_ITEMS, items).to_csv(paths[1], index=False)
    if not mapped:
        _zh(contract.APPLICATIONS, apps).to_csv(paths[2], index=False)
        return paths
    apps["status"] = apps["status"].where(apps["status"] != "已办结", "已办")
    apps["channel"] = apps["channel"].where(apps["channel"] != "网上办理", "网办")
    with paths[2].open("w", encoding="utf-8", newline="") as fh:
        fh.write("江海区办件明细导出\n单位：件\n")
        apps.rename(columns=EXPORT_HEADERS).to_csv(fh, index=False)
    return paths


@contextmanager
def database(pg_admin: str | None, workdir: Path) -> Iterator[Database]:
    """A fresh, migrated database: a SQLite file in ``workdir`` or a temporary PostgreSQL database."""
    if pg_admin is None:
        db = Database(f"sqlite:///{workdir / 'bench.db'}")
        try:
            yield db
        finally:
            db.dispose()
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"ma_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(make_url(pg_admin).set(database=name).render_as_string(hide_password=False))
    try:
        yield db
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def peak_mib() -> float:
    """The peak resident memory of this process so far (MiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_import(db: Database, paths: list[Path], dry_run: bool = False,
               chunk_rows: int = CHUNK_ROWS) -> tuple[ImportReport, float, float]:
    """Import ``paths`` in one committed session: the report, wall seconds and CPU seconds of this process."""
    start, cpu = time.perf_counter(), time.process_time()
    with db.session() as session:
        report = import_files(session, paths, dry_run=dry_run, chunk_rows=chunk_rows)
    return report, time.perf_counter() - start, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    allow_large_demo_files()
    parser = argparse.ArgumentParser(description="导入性能基准 (validated import benchmark)")
    parser.add_argument("--apps", type=int, default=1_000_000, help="办件行数（生成数据时）")
    parser.add_argument("--dir", type=Path, help="使用该目录中已有的导入文件（CSV/xlsx），或把生成的数据保存在这里")
    parser.add_argument("--from-demo", action="store_true", help="用 market-access demo-data 生成数据（见 --scale）")
    parser.add_argument("--scale", type=int, default=30, help="--from-demo 时 demo-data 的 --scale（默认 30，约一百万办件）")
    parser.add_argument("--pg", metavar="ADMIN_URL", help="在该 PostgreSQL 服务器上建临时库测试")
    parser.add_argument("--mapped", action="store_true", help="办件文件按平台导出的样子生成，并通过已保存的导入模板读取")
    parser.add_argument("--generate-only", action="store_true", help="只生成数据（保存到 --dir）后退出")
    parser.add_argument("--first-only", action="store_true", help="只计时首次导入（不做仅校验和再次导入）")
    parser.add_argument("--chunk-rows", type=int, default=CHUNK_ROWS, help="CSV 每块读入的记录数")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        data_dir = args.dir or workdir / "data"
        files = sorted(p for p in data_dir.glob("*") if p.suffix.lower() in (".csv", ".xlsx")) if data_dir.exists() else []
        if not files:
            start = time.perf_counter()
            if args.from_demo:
                from cli.main import main as cli_main

                code = cli_main(["demo-data", str(data_dir), "--scale", str(args.scale)])
                if code:
                    return code
                files = sorted(p for p in data_dir.glob("*") if p.suffix.lower() in (".csv", ".xlsx"))
            else:
                files = generate(data_dir, args.apps, mapped=args.mapped)
            print(f"数据生成：{time.perf_counter() - start:.1f} 秒（{data_dir}）")
        if args.generate_only:
            return 0
        print(f"读取前本进程峰值内存：{peak_mib():,.0f} MiB")
        with database(args.pg, workdir) as db:
            print(f"数据库：{db.dialect}；机器负载（1/5/15 分钟）：{' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
            if args.mapped:
                with db.session() as session:
                    save_mapping(session, export_mapping(), "基准")
            if not args.first_only:
                _, dry_seconds, dry_cpu = run_import(db, files, dry_run=True, chunk_rows=args.chunk_rows)
                print(f"仅校验（读取、校验、比对）：{dry_seconds:.2f} 秒（本进程 CPU {dry_cpu:.2f} 秒）；"
                      f"峰值内存 {peak_mib():,.0f} MiB")
            report, seconds, cpu = run_import(db, files, chunk_rows=args.chunk_rows)
            if not report.ok:
                for problem in report.problems[:20]:
                    print(problem.describe())
                print(f"导入被拒绝：{len(report.problems)} 个问题")
                return 1
            apps = report.count("applications").rows
            for layout in report.layouts:
                if layout.mapping:
                    print(f"{layout.file}：{'；'.join(layout.notes())}")
            total = sum(c.rows for c in report.counts)
            print(f"首次导入：{seconds:.2f} 秒（本进程 CPU {cpu:.2f} 秒）；办件 {apps} 行，{apps / seconds:,.0f} 行/秒；"
                  f"全部 {total} 行，{total / seconds:,.0f} 行/秒；峰值内存 {peak_mib():,.0f} MiB")
            if args.first_only:
                return 0
            report2, seconds2, cpu2 = run_import(db, files, chunk_rows=args.chunk_rows)
            unchanged = sum(c.unchanged for c in report2.counts)
            print(f"再次导入（全部未变 {unchanged} 行）：{seconds2:.2f} 秒（CPU {cpu2:.2f} 秒），"
                  f"{total / seconds2:,.0f} 行/秒")
            print(f"本进程峰值内存：{peak_mib():,.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
