"""Several dashboard processes behind nginx with sticky sessions (``serve --workers N``).

One Streamlit process runs every session's script under one GIL, so a meeting's worth of
users saturates one core.  This starts N processes on consecutive loopback ports after the
public one (``port + 1 … port + N``) and one nginx in front on the public port, its
configuration rendered from ``deploy/nginx/market-access.conf.template`` into a private
runtime folder.  Stickiness (one browser → one process, which holds its websocket session,
its uploads and its downloads) is by a cookie nginx sets; see the template.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType

from cli.errors import CliError
from cli.server import APP, check_port, spawn_streamlit, wait_healthy

ROOT = APP.parent.parent
TEMPLATE = ROOT / "deploy" / "nginx" / "market-access.conf.template"
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")
NO_NGINX = ("未找到 nginx：多进程运行（--workers 大于 1）需要 nginx 作反向代理。"
            "请先安装（Debian/Ubuntu：apt-get install nginx，或 python3 tasks.py serve --workers N 自动安装），"
            "或去掉 --workers 以单进程运行。")


def find_nginx() -> str | None:
    """The nginx executable (``$MARKET_ACCESS_NGINX``, then PATH, then Debian's place), or None."""
    named = os.environ.get("MARKET_ACCESS_NGINX")
    if named:
        return named if Path(named).is_file() and os.access(named, os.X_OK) else None
    found = shutil.which("nginx")
    if found:
        return found
    return next((p for p in NGINX_CANDIDATES if os.access(p, os.X_OK)), None)


def max_upload_mb() -> int:
    """Streamlit's upload limit from .streamlit/config.toml (its default 200 MB if unset)."""
    path = ROOT / ".streamlit" / "config.toml"
    try:
        return int(tomllib.loads(path.read_text(encoding="utf-8")).get("server", {}).get("maxUploadSize", 200))
    except (OSError, tomllib.TOMLDecodeError, ValueError):
        return 200


@dataclass(frozen=True)
class ProxyPlan:
    """Where nginx listens, the workers' ports and the folder for its pid, logs and temp files."""

    host: str
    port: int
    worker_ports: tuple[int, ...]
    runtime: Path

    @property
    def listen(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def render_config(plan: ProxyPlan, template: Path = TEMPLATE, *, as_root: bool | None = None) -> str:
    """The nginx configuration for ``plan`` from the shipped template (every placeholder filled)."""
    root = (os.geteuid() == 0) if as_root is None else as_root
    fields = {
        # nginx started as root drops its workers to nobody; otherwise it runs as the caller
        "user": "user nobody nogroup;" if root else "",
        "runtime": str(plan.runtime),
        "max_body_mb": str(max_upload_mb()),
        "servers": "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in plan.worker_ports),
        "listen": plan.listen,
    }
    text = template.read_text(encoding="utf-8")
    for key, value in fields.items():
        text = text.replace("{{" + key + "}}", value)
    if "{{" in text:
        raise CliError(f"nginx 配置模板 {template} 中有未知的占位符：{text[text.index('{{'):][:40]}")
    return text


class Cluster:
    """N Streamlit workers and nginx in front; a context manager that stops them all."""

    def __init__(self, db_url: str, *, host: str, port: int, workers: int, demo: bool,
                 runtime: Path | None = None, start_timeout: float = 120.0) -> None:
        if workers < 2:
            raise ValueError("a cluster has at least two workers")
        self.nginx = find_nginx()
        if self.nginx is None:
            raise CliError(NO_NGINX)
        self.db_url, self.demo, self.start_timeout = db_url, demo, start_timeout
        self._own_runtime = runtime is None
        runtime = runtime or Path(tempfile.mkdtemp(prefix="ma-nginx-"))
        self.plan = ProxyPlan(host, port, tuple(port + i for i in range(1, workers + 1)), runtime)
        self.procs: list[subprocess.Popen[bytes]] = []
        self._logs: list[object] = []

    @property
    def base(self) -> str:
        host = "127.0.0.1" if self.plan.host in ("0.0.0.0", "", "::") else self.plan.host
        return f"http://{host}:{self.plan.port}"

    @property
    def access_log(self) -> Path:
        return self.plan.runtime / "access.log"

    def start(self, timeout: float = 120.0) -> Cluster:
        """Start the workers, wait until each is healthy, then nginx; raise CliError on failure."""
        for p in (self.plan.port, *self.plan.worker_ports):
            check_port(self.plan.host if p == self.plan.port else "127.0.0.1", p)
        self.plan.runtime.mkdir(parents=True, exist_ok=True)
        self.plan.runtime.chmod(0o755)  # nginx's workers (nobody, under root) write temp files below
        conf = self.plan.runtime / "nginx.conf"
        conf.write_text(render_config(self.plan), encoding="utf-8")
        try:
            for i, p in enumerate(self.plan.worker_ports, start=1):
                log = open(self.plan.runtime / f"worker-{i}.log", "wb")  # noqa: SIM115 - closed in stop()
                self._logs.append(log)
                self.procs.append(spawn_streamlit(self.db_url, p, demo=self.demo, stdout=log, stderr=log))
            for proc, p in zip(self.procs, self.plan.worker_ports, strict=True):
                wait_healthy(proc, f"http://127.0.0.1:{p}", timeout)
            assert self.nginx is not None
            cmd = [self.nginx, "-p", str(self.plan.runtime), "-c", str(conf), "-g", "daemon off;"]
            check = subprocess.run([*cmd[:5], "-t", "-q"], capture_output=True, text=True)
            if check.returncode != 0:
                raise CliError(f"nginx 配置检查未通过（{conf}）：\n{check.stderr.strip()}")
            self.procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
            self._wait_proxy(timeout)
        except (RuntimeError, OSError) as err:
            self.stop()
            raise CliError(f"多进程看板启动失败：{err}") from err
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_proxy(self, timeout: float) -> None:
        wait_healthy(self.procs[-1], self.base, timeout)

    def poll(self) -> str | None:
        """A message naming the first process that has exited, or None while all run."""
        names = [f"看板进程 {i}（端口 {p}）" for i, p in enumerate(self.plan.worker_ports, start=1)] + ["nginx"]
        for name, proc in zip(names, self.procs, strict=False):
            if proc.poll() is not None:
                return f"{name} 已退出（返回码 {proc.returncode}），日志见 {self.plan.runtime}"
        return None

    def worker_pids(self) -> list[int]:
        return [p.pid for p in self.procs[: len(self.plan.worker_ports)]]

    def stop(self) -> None:
        """Stop nginx first (no new requests), then the workers; remove a private runtime folder."""
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in reversed(self.procs):
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in self._logs:
            log.close()  # type: ignore[attr-defined]
        self.procs.clear()
        self._logs.clear()

    def cleanup(self) -> None:
        if self._own_runtime:
            shutil.rmtree(self.plan.runtime, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start(self.start_timeout)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
        self.cleanup()


def run_cluster(db_url: str, host: str, port: int, workers: int, *, demo: bool) -> int:
    """Run ``workers`` dashboard processes behind nginx in the foreground until interrupted."""
    cluster = Cluster(db_url, host=host, port=port, workers=workers, demo=demo)

    def _terminate(_sig: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _terminate)
    print(f"正在启动 {workers} 个看板进程（端口 {cluster.plan.worker_ports[0]}–{cluster.plan.worker_ports[-1]}）"
          "和 nginx 反向代理……", flush=True)
    try:
        with cluster:
            print(f"nginx 配置与日志：{cluster.plan.runtime}", flush=True)
            print(f"看板地址：http://{host}:{port}（{workers} 个进程，同一浏览器固定由同一进程服务）", flush=True)
            while (problem := cluster.poll()) is None:
                time.sleep(0.5)
            print(problem, flush=True)
            return 1
    except KeyboardInterrupt:
        print("已停止。", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
