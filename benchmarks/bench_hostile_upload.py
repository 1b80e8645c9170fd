"""Benchmark: another session's page time while hostile files are uploaded (issue 19).

Starts the dashboard (demo mode) on a database and two kinds of protocol-level clients
(:mod:`benchmarks.streamlit_client`, Streamlit's own websocket protocol, no browser):

- the *viewer*, a leader moving through pages (overview, process, channels, scorecard,
  credit; 0.3 s between runs), timed from rerun request to ``script_finished``;
- the *attacker*, an administrator who opens 数据导入 and sends a hostile file through its
  uploader (upload URL, PUT, rerun — what the browser does), again and again, each time in
  a new session, for the whole phase.

Phases: the viewer alone (at rest), then the viewer while the attacker uploads each file of
:mod:`benchmarks.hostile_files` (zip bomb, 1 GB shared string, a CSV near the size limit,
16,384 columns).  Printed per phase: the viewer's runs, p50 / p95 / max; the attacker's
uploads and what the page answered; the server's peak resident memory (psutil, sampled
every 50 ms).  Prints figures; asserts nothing.

    python -m benchmarks.bench_hostile_upload                  # demo data --scale 0.5 in a temp SQLite
    python -m benchmarks.bench_hostile_upload --db sqlite:////tmp/big.db --seconds 60

The server runs with the upload limits of the environment (the product's defaults unless
``MARKET_ACCESS_LIMIT_*`` is set; ``benchmarks.run --hostile`` clears its own large-file
exception). Loopback only; bounded: at most 10 minutes per phase.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from benchmarks.hostile_files import BUILDERS
from benchmarks.load_streamlit import percentile
from benchmarks.streamlit_client import RunResult, StreamlitSession

VIEWER_PAGES = ("overview", "process", "channels", "scorecard", "credit")
THINK = 0.3
MAX_SECONDS = 600
ADMIN = "管理员"


@dataclass
class Phase:
    """What one phase measured."""

    label: str
    viewer: list[float] = field(default_factory=list)
    viewer_errors: list[str] = field(default_factory=list)
    uploads: list[RunResult] = field(default_factory=list)
    peak_mb: float = 0.0
    start_mb: float = 0.0


class MemoryWatch:
    """Peak resident memory of a process and its children, sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        self.proc = psutil.Process(pid)
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss(self) -> int:
        total = 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            self._stop.wait(self.every)

    def __enter__(self) -> MemoryWatch:
        self.peak = self.rss()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def _viewer(s: StreamlitSession, until: float, phase: Phase) -> None:
    i = 0
    while time.time() < until:
        r = await s.goto(VIEWER_PAGES[i % len(VIEWER_PAGES)])
        i += 1
        if r.failure or r.exceptions or r.error_alerts:
            phase.viewer_errors.append(f"{r.page}: {r.failure or '; '.join(r.exceptions + r.error_alerts)}")
        else:
            phase.viewer.append(r.seconds)
        await asyncio.sleep(THINK)


async def _attack_once(base: str, path: Path) -> RunResult:
    s = StreamlitSession(base, timeout=300)
    try:
        first = await s.open("overview", "")
        if first.failure:
            return first
        await s.choose("demo_role", ADMIN, "role", "overview")
        opened = await s.goto("import")
        if opened.failure or "imp_files_0" not in s.widgets:
            return RunResult(opened.seconds, "import", "upload", failure=opened.failure or "no uploader on 数据导入")
        return await s.upload("imp_files_0", path, "import")
    except (OSError, RuntimeError, TimeoutError) as err:
        return RunResult(0.0, "import", "upload", failure=f"{type(err).__name__}: {err}")
    finally:
        await s.close()


async def _attacker(base: str, path: Path, until: float, phase: Phase) -> None:
    while time.time() < until or not phase.uploads:
        phase.uploads.append(await _attack_once(base, path))


async def _phase(base: str, viewer: StreamlitSession, label: str, seconds: float, path: Path | None,
                 watch: MemoryWatch) -> Phase:
    phase = Phase(label, start_mb=watch.rss() / 2**20)
    watch.peak = watch.rss()
    until = time.time() + seconds
    jobs = [_viewer(viewer, until, phase)]
    if path is not None:
        jobs.append(_attacker(base, path, until, phase))
    await asyncio.gather(*jobs)
    phase.peak_mb = watch.peak / 2**20
    return phase


async def run_phases(base: str, pid: int, files: dict[str, Path], seconds: float) -> list[Phase]:
    """The viewer warmed up, then at rest and during each file's uploads."""
    viewer = StreamlitSession(base, timeout=300)
    try:
        await viewer.open("overview", "period=2026Q3")
        for _ in range(2):  # every page's caches filled: the phases compare reruns, not first loads
            for page in VIEWER_PAGES:
                await viewer.goto(page)
        await _attack_once(base, next(iter(files.values())))  # the import page's own first load
        with MemoryWatch(pid) as watch:
            phases = [await _phase(base, viewer, "静止（无上传）", seconds, None, watch)]
            for key, path in files.items():
                phases.append(await _phase(base, viewer, BUILDERS[key][0], seconds, path, watch))
        return phases
    finally:
        await viewer.close()


def _answer(r: RunResult) -> str:
    if r.failure:
        return f"失败：{r.failure[:120]}"
    said = r.exceptions + r.error_alerts + r.warnings
    return "；".join(said)[:80] if said else "（无提示）"


def report(phases: Sequence[Phase]) -> str:
    rest = phases[0]
    lines = []
    for ph in phases:
        v = ph.viewer
        p50 = statistics.median(v) if v else 0.0
        p95 = percentile(v, 0.95)
        line = (f"{ph.label}：查看者 {len(v)} 次运行，p50 {p50:.3f} s，p95 {p95:.3f} s，最长 {max(v, default=0):.3f} s，"
                f"错误 {len(ph.viewer_errors)}；服务端内存 {ph.start_mb:.0f} → 峰值 {ph.peak_mb:.0f} MB")
        if ph is not rest and rest.viewer and v:
            line += f"（p95 为静止时的 {p95 / percentile(rest.viewer, 0.95):.2f} 倍）"
        lines.append(line)
        if ph.uploads:
            ok = [u for u in ph.uploads if not u.failure]
            lines.append(f"  上传 {len(ph.uploads)} 次，页面处理 p50 {statistics.median([u.seconds for u in ok]) if ok else 0:.2f} s；"
                         f"页面答复：{_answer(ph.uploads[-1])}")
        lines += [f"  查看者错误：{e}" for e in ph.viewer_errors[:3]]
    return "\n".join(lines)


def measure(db_url: str, seconds: float, folder: Path) -> list[Phase]:
    from cli.server import start_server, stop_server

    if not 0 < seconds <= MAX_SECONDS:
        raise ValueError(f"seconds must be 1–{MAX_SECONDS}")
    t0 = time.perf_counter()
    files = {key: build(folder) for key, (_, build) in BUILDERS.items()}
    sizes = "，".join(f"{BUILDERS[k][0]} {p.stat().st_size / 2**20:.1f} MB" for k, p in files.items())
    print(f"文件（{time.perf_counter() - t0:.0f} s 生成）：{sizes}", flush=True)
    proc, base = start_server(db_url, demo=True, timeout=600)
    try:
        return asyncio.run(run_phases(base, proc.pid, files, seconds))
    finally:
        stop_server(proc)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="database URL with data (default: demo data at --scale in a temp SQLite)")
    ap.add_argument("--scale", type=float, default=0.5)
    ap.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    args = ap.parse_args(argv)
    print(f"机器：{psutil.cpu_count()} 核；负载 {' '.join(f'{x:.1f}' for x in psutil.getloadavg())}；"
          f"每阶段 {args.seconds:.0f} s，查看者思考时间 {THINK} s", flush=True)
    with tempfile.TemporaryDirectory(prefix="ma-hostile-") as tmp:
        url = args.db
        if url is None:
            from cli.cmd_serve import load_demo_if_empty
            from data.db import Database

            url = f"sqlite:///{tmp}/bench.db"
            t0 = time.perf_counter()
            load_demo_if_empty(Database(url), scale=args.scale)
            print(f"演示数据 --scale {args.scale}：{time.perf_counter() - t0:.0f} s", flush=True)
        print(report(measure(url, args.seconds, Path(tmp))), flush=True)


if __name__ == "__main__":
    main()
