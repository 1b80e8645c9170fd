"""``market-access serve`` and ``market-access demo``: run the dashboard.

``demo`` loads the demo data into an empty database first (its own SQLite file unless
``--db`` or ``MARKET_ACCESS_DB`` names another) and marks the app as a demonstration.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from cli.errors import CliError
from data.db import ENV_VAR, Database

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
SERVER = APP.with_name("server.py")
DEMO_ENV = "MARKET_ACCESS_DEMO"


def demo_url() -> str:
    home = Path(os.environ.get("MARKET_ACCESS_HOME", Path.home() / ".market-access"))
    return f"sqlite:///{home / 'demo.db'}"


def streamlit_command(host: str, port: int) -> list[str]:
    """Streamlit serving :data:`SERVER` (``st.App`` around the entry file, with the session
    cookie routes and the security middleware); uploads capped at the upload guard's limit so
    that the guard, not Streamlit, refuses a large file (in Chinese)."""
    from data.upload_limits import Limits

    return [
        sys.executable, "-m", "streamlit", "run", str(SERVER),
        "--server.address", host, "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.maxUploadSize", str(Limits.from_env().file_mb + 1),
    ]


def check_port(host: str, port: int) -> None:
    """A clear message instead of Streamlit's when the port is taken."""
    with socket.socket() as s:
        s.settimeout(0.5)
        if s.connect_ex((host if host not in ("0.0.0.0", "") else "127.0.0.1", port)) == 0:
            raise CliError(f"端口 {port} 已被占用，请用 --port 指定其他端口。")


def run_streamlit(url: str, host: str, port: int, *, demo: bool) -> int:
    """Run the dashboard on ``url`` until interrupted (cwd = the project, for .streamlit/)."""
    check_port(host, port)
    env = {**os.environ, ENV_VAR: url}
    if demo:
        env[DEMO_ENV] = "1"
    else:
        env.pop(DEMO_ENV, None)
    print(f"看板地址：http://{host}:{port}", flush=True)
    return subprocess.call(streamlit_command(host, port), cwd=APP.parent.parent, env=env)


def load_demo_if_empty(db: Database, *, seed: int = 2025, scale: float = 1.0) -> bool:
    """Write the demo files and import them when the database holds no data; True if loaded."""
    from data.batches import data_version
    from data.demo import write_demo_data
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
    return True


def _serve(args: argparse.Namespace) -> int:
    db = Database(args.db)
    db.dispose()
    return run_streamlit(db.url, args.host, args.port, demo=False)


def _demo(args: argparse.Namespace) -> int:
    url = args.db or os.environ.get(ENV_VAR) or demo_url()
    check_port(args.host, args.port)
    db = Database(url)
    print("正在准备演示数据……", flush=True)
    loaded = load_demo_if_empty(db, seed=args.seed)
    print("演示数据已导入。" if loaded else "数据库已有数据，直接启动。", flush=True)
    db.dispose()
    return run_streamlit(url, args.host, args.port, demo=True)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name, handler, helptext in (
        ("serve", _serve, "在已配置的数据库上运行看板 (run the dashboard)"),
        ("demo", _demo, "载入演示数据并以领导身份运行看板 (run the dashboard on demo data)"),
    ):
        p = subparsers.add_parser(name, help=helptext, description=helptext)
        p.add_argument("--host", default="127.0.0.1", help="监听地址 (default 127.0.0.1)")
        p.add_argument("--port", type=int, default=8501, help="端口 (default 8501)")
        if name == "demo":
            p.add_argument("--seed", type=int, default=2025, help="演示数据随机种子")
        p.set_defaults(handler=handler)
