#!/usr/bin/env python3
"""The project's one task runner (standard library only, so it runs on a fresh Python).

    python tasks.py demo      install into .venv and open the dashboard on the demo data
    python tasks.py test      install into .venv (with dev extras), provision Chromium and a
                              throw-away PostgreSQL, run the whole suite on SQLite and on PostgreSQL
    python tasks.py lint      ruff, mypy and the import-layer contracts (lint-imports)
    python tasks.py serve     run the dashboard on the configured database
                              (--workers N: N processes behind nginx, installed here)
    python tasks.py bench     run the benchmarks (prints figures; --load: concurrent sessions,
                              --hostile: page time while hostile files are uploaded)

Everything the product needs beyond Python (a browser for tests, a database server) is
installed and started here, never by hand.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import tempfile
import time
import venv
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("MARKET_ACCESS_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PG_PORT = int(os.environ.get("MARKET_ACCESS_PG_PORT", "54329"))
# chromium also draws the deck's charts (kaleido); fonts-wqy-microhei is the TrueType CJK font the PDF embeds
APT_PACKAGES_BROWSER = ["chromium", "fonts-noto-cjk", "fonts-wqy-microhei"]
APT_PACKAGES_PG = ["postgresql"]
# the reverse proxy of `serve --workers N` (several dashboard processes, sticky sessions)
APT_PACKAGES_PROXY = ["nginx"]


def log(msg: str) -> None:
    print(f"[tasks] {msg}", flush=True)


def run(cmd: Sequence[str | os.PathLike[str]], **kw: object) -> None:
    log(" ".join(str(c) for c in cmd))
    subprocess.run([str(c) for c in cmd], check=True, **kw)  # type: ignore[call-overload]


def ensure_venv(extras: str = "") -> Path:
    """Create .venv if needed and install the project (editable) with ``extras``."""
    py = BIN / "python"
    if not py.exists():
        log(f"creating virtual environment {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed{extras or '-base'}"
    newest = max(p.stat().st_mtime for p in [ROOT / "pyproject.toml", ROOT / "tasks.py"])
    if not stamp.exists() or stamp.stat().st_mtime < newest:
        spec = f".[{extras}]" if extras else "."
        run([py, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", spec], cwd=ROOT)
        stamp.touch()
    return py


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


_apt_updated = False


def apt_install(packages: list[str]) -> None:
    global _apt_updated
    if not is_root() or not shutil.which("apt-get"):
        raise SystemExit(f"需要安装 {' '.join(packages)}，但当前不是 root 或没有 apt-get。")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if not _apt_updated:
        run(["apt-get", "update", "-q"], env=env)
        _apt_updated = True
    run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages], env=env)


def ensure_browser(required: bool = True) -> None:
    """Debian's Chromium and CJK fonts: for the real-browser tests, and for the charts and
    fonts of the meeting deck.  Where it cannot be installed (not root) and is not
    ``required``, say what the deck will lack and go on."""
    have_fonts = all(Path(p).exists() for p in ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                                                 "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"])
    if Path("/usr/bin/chromium").exists() and have_fonts:
        return
    if not required and not (is_root() and shutil.which("apt-get")):
        log("未安装 chromium / 中文字体：汇报材料中的图表将以文字说明代替。")
        return
    apt_install(APT_PACKAGES_BROWSER)


def ensure_nginx() -> None:
    """Debian's nginx, for ``serve --workers N`` and the tests and benchmarks that run it.
    Only the binary is used: the project starts its own nginx with a generated configuration,
    never the system service."""
    if shutil.which("nginx") or Path("/usr/sbin/nginx").exists():
        return
    apt_install(APT_PACKAGES_PROXY)


def pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        apt_install(APT_PACKAGES_PG)
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise SystemExit("未找到 PostgreSQL 服务器程序。")
    return found[-1].parent


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def postgres_server() -> Iterator[str]:
    """A throw-away PostgreSQL on 127.0.0.1:PG_PORT in a temp dir; yields the admin URL.

    Uses ``$MARKET_ACCESS_TEST_PG`` instead when it is set (a server someone else runs).
    """
    if os.environ.get("MARKET_ACCESS_TEST_PG"):
        yield os.environ["MARKET_ACCESS_TEST_PG"]
        return
    bindir = pg_bin()
    port = PG_PORT
    while _port_open(port):
        port += 1
    datadir = Path(tempfile.mkdtemp(prefix="ma-pg-"))
    as_user: list[str] = []
    if is_root():
        shutil.chown(datadir, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    pgdata = datadir / "data"
    run([*as_user, bindir / "initdb", "-D", pgdata, "-U", "postgres", "--auth=trust", "-E", "UTF8",
         "--locale=C.UTF-8", "-N"], stdout=subprocess.DEVNULL)
    opts = f"-p {port} -k {datadir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    run([*as_user, bindir / "pg_ctl", "-D", pgdata, "-o", opts, "-l", datadir / "pg.log", "-w", "start"])
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(pgdata), "-m", "immediate", "stop"], check=False)
        shutil.rmtree(datadir, ignore_errors=True)


def cmd_test(args: argparse.Namespace) -> None:
    py = ensure_venv("dev")
    ensure_browser()
    ensure_nginx()
    pytest = [str(py), "-m", "pytest", "-p", "no:cacheprovider", *args.pytest_args]
    t0 = time.time()
    log("pytest on SQLite (with real-browser tests)")
    run(pytest, cwd=ROOT)
    with postgres_server() as url:
        log(f"pytest on PostgreSQL at {url}")
        env = {**os.environ, "MARKET_ACCESS_TEST_PG": url}
        run([*pytest, "-m", "not browser"], cwd=ROOT, env=env)
    log(f"all tests passed in {time.time() - t0:.0f} s")


def cmd_lint(_args: argparse.Namespace) -> None:
    py = ensure_venv("dev")
    run([py, "-m", "ruff", "check", "."], cwd=ROOT)
    run([py, "-m", "mypy", "data", "metrics", "charts", "report", "dashboard", "cli", "followup", "feedback"], cwd=ROOT)
    # the layers of pyproject's [tool.importlinter]: dashboard → report → charts | metrics → data
    run([BIN / "lint-imports", "--config", ROOT / "pyproject.toml"], cwd=ROOT)


def cmd_demo(args: argparse.Namespace) -> None:
    ensure_venv()
    ensure_browser(required=False)
    if args.workers > 1:
        ensure_nginx()
    run([BIN / "market-access", "demo", "--port", str(args.port), "--host", args.host,
         "--workers", str(args.workers)], cwd=ROOT)


def cmd_serve(args: argparse.Namespace) -> None:
    ensure_venv()
    ensure_browser(required=False)
    if args.workers > 1:
        ensure_nginx()
    run([BIN / "market-access", "serve", "--port", str(args.port), "--host", args.host,
         "--workers", str(args.workers)], cwd=ROOT)


def cmd_bench(args: argparse.Namespace) -> None:
    py = ensure_venv("dev")
    if "--load" in args.bench_args:
        ensure_nginx()
    run([py, "-m", "benchmarks.run", *args.bench_args], cwd=ROOT)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="市场准入效能评估看板 task runner")
    sub = parser.add_subparsers(dest="task", required=True)
    p = sub.add_parser("test", help="install and run the whole test suite (SQLite and PostgreSQL)")
    p.add_argument("pytest_args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_test)
    sub.add_parser("lint", help="ruff, mypy and the import-layer contracts").set_defaults(func=cmd_lint)
    for name, func in (("demo", cmd_demo), ("serve", cmd_serve)):
        p = sub.add_parser(name, help=f"install and run `market-access {name}`")
        p.add_argument("--port", type=int, default=8501)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--workers", type=int, default=1, help="dashboard processes behind nginx (default 1)")
        p.set_defaults(func=func)
    p = sub.add_parser("bench", help="run the benchmarks")
    p.add_argument("bench_args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_bench)
    args = parser.parse_args(argv)
    try:
        args.func(args)
    except subprocess.CalledProcessError as err:
        raise SystemExit(err.returncode or 1) from None


if __name__ == "__main__":
    main()
