"""``market-access serve`` and ``market-access demo``: run the dashboard.

``demo`` loads the demo data into an empty database first (its own SQLite file unless
``--db`` or ``MARKET_ACCESS_DB`` names another) and marks the app as a demonstration.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from pathlib import Path

from cli.errors import CliError
from cli.server import APP, DEMO_ENV, check_port, streamlit_command
from data.db import ENV_VAR, Database

MAX_WORKERS = 32


def demo_url() -> str:
    home = Path(os.environ.get("MARKET_ACCESS_HOME", Path.home() / ".market-access"))
    return f"sqlite:///{home / 'demo.db'}"




def run_streamlit(url: str, host: str, port: int, *, demo: bool, workers: int = 1) -> int:
    """Run the dashboard on ``url`` until interrupted (cwd = the project, for .streamlit/);
    with ``workers`` > 1, that many processes behind nginx (:mod:`cli.workers`)."""
    if workers > 1:
        from cli.workers import run_cluster

        return run_cluster(url, host, port, workers, demo=demo)
    check_port(host, port)
    env = {**os.environ, ENV_VAR: url}
    if demo:
        env[DEMO_ENV] = "1"
    else:
        env.pop(DEMO_ENV, None)
    print(f"看板地址：http://{host}:{port}", flush=True)
    return subprocess.call(streamlit_command(host, port), cwd=APP.parent.parent, env=env)


def load_demo_if_empty(db: Database, *, seed: int = 2025, scale: float = 1.0) -> bool:
    """Write the demo files and import them when the database holds no data, then give it
    live work (:func:`data.demo.tasks.seed_demo_tasks`); True if loaded."""
    from data.batches import data_version
    from data.demo import write_demo_data
    from data.demo.tasks import seed_demo_tasks
    from data.importer import import_files

    with db.session() as session:
        if data_version(session) > 0:
            return False
    with tempfile.TemporaryDirectory(prefix="ma-demo-") as tmp:
        paths = write_demo_data(Path(tmp), seed=seed, scale=scale)
        with db.session() as session:
            report = import_files(session, sorted(paths.values()), user="演示数据")
        if not report.ok:
            raise CliError("演示数据导入失败：\n" + "\n".join(str(p) for p in report.problems[:20]))
    with db.session() as session:
        seed_demo_tasks(session)
    return True


def _check_workers(args: argparse.Namespace) -> None:
    """Refuse a pool that cannot run (before any data is loaded)."""
    if not 1 <= args.workers <= MAX_WORKERS:
        raise CliError(f"--workers 应在 1 至 {MAX_WORKERS} 之间（每个进程各占约 1 GB 内存/百万条办件）。")
    if args.workers > 1:
        from cli.workers import NO_NGINX, find_nginx

        if find_nginx() is None:
            raise CliError(NO_NGINX)
        for p in range(args.port + 1, args.port + args.workers + 1):
            check_port("127.0.0.1", p)


def _serve(args: argparse.Namespace) -> int:
    _check_workers(args)
    db = Database(args.db)
    db.dispose()
    return run_streamlit(db.url, args.host, args.port, demo=False, workers=args.workers)


def _demo(args: argparse.Namespace) -> int:
    url = args.db or os.environ.get(ENV_VAR) or demo_url()
    check_port(args.host, args.port)
    _check_workers(args)
    db = Database(url)
    print("正在准备演示数据……", flush=True)
    loaded = load_demo_if_empty(db, seed=args.seed)
    print("演示数据已导入。" if loaded else "数据库已有数据，直接启动。", flush=True)
    db.dispose()
    return run_streamlit(url, args.host, args.port, demo=True, workers=args.workers)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name, handler, helptext in (
        ("serve", _serve, "在已配置的数据库上运行看板 (run the dashboard)"),
        ("demo", _demo, "载入演示数据并以领导身份运行看板 (run the dashboard on demo data)"),
    ):
        p = subparsers.add_parser(name, help=helptext, description=helptext)
        p.add_argument("--host", default="127.0.0.1", help="监听地址 (default 127.0.0.1)")
        p.add_argument("--port", type=int, default=8501, help="端口 (default 8501)")
        p.add_argument("--workers", type=int, default=1,
                       help="看板进程数；大于 1 时在 nginx 反向代理后运行，内部端口为 端口+1 至 端口+N (default 1)")
        if name == "demo":
            p.add_argument("--seed", type=int, default=2025, help="演示数据随机种子")
        p.set_defaults(handler=handler)
