"""Start the dashboard as a background Streamlit process (tests, benchmarks, scripts).

`market-access serve` runs Streamlit in the foreground; this starts the same command in the
background on a free port and waits until its health endpoint answers.  The worker pool of
``serve --workers N`` (:mod:`cli.workers`) starts its processes through the same two steps.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO

from cli.errors import CliError
from data.db import ENV_VAR

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
SERVER = APP.with_name("server.py")
DEMO_ENV = "MARKET_ACCESS_DEMO"


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def streamlit_env(db_url: str, *, demo: bool, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a dashboard process on ``db_url`` (demo mode on or off)."""
    env = {**os.environ, ENV_VAR: db_url, **(extra_env or {})}
    if demo:
        env[DEMO_ENV] = "1"
    else:
        env.pop(DEMO_ENV, None)
    return env


def spawn_streamlit(db_url: str, port: int, *, demo: bool, host: str = "127.0.0.1",
                    extra_env: dict[str, str] | None = None, stdout: int | IO[bytes] | None = subprocess.DEVNULL,
                    stderr: int | IO[bytes] | None = subprocess.PIPE) -> subprocess.Popen[bytes]:
    """Start one dashboard process on ``host:port`` (cwd = the project, for .streamlit/)."""
    return subprocess.Popen(streamlit_command(host, port), cwd=APP.parent.parent,
                            env=streamlit_env(db_url, demo=demo, extra_env=extra_env), stdout=stdout, stderr=stderr)


def wait_healthy(proc: subprocess.Popen[bytes], base: str, timeout: float = 90.0) -> None:
    """Return once ``base``'s health endpoint answers 200; raise if ``proc`` exits or time runs out."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "streamlit exited")
    proc.kill()
    raise RuntimeError(f"streamlit did not come up in {timeout:.0f} s")


def start_server(db_url: str, *, demo: bool = True, port: int | None = None, timeout: float = 90.0,
                 extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start the dashboard on ``db_url``; return the process and its base URL once healthy."""
    port = port or free_port()
    proc = spawn_streamlit(db_url, port, demo=demo, extra_env=extra_env)
    base = f"http://127.0.0.1:{port}"
    wait_healthy(proc, base, timeout)
    return proc, base


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
