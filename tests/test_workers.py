"""``serve --workers N``: the nginx configuration rendered from the shipped template, and the
clear refusal where nginx is missing (the running pool is tested in tests/browser/test_serve_workers.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.workers import TEMPLATE, ProxyPlan, find_nginx, max_upload_mb, render_config

ROOT = Path(__file__).resolve().parents[1]


def _plan(tmp_path: Path) -> ProxyPlan:
    return ProxyPlan("127.0.0.1", 18700, (18701, 18702, 18703), tmp_path)


def test_config_fills_every_placeholder(tmp_path: Path) -> None:
    text = render_config(_plan(tmp_path), as_root=False)
    assert "{{" not in text and "}}" not in text
    assert "listen 127.0.0.1:18700;" in text
    servers = [line.strip() for line in text.splitlines() if line.strip().startswith("server 127.0.0.1:")]
    assert servers == [f"server 127.0.0.1:{p} max_fails=0;" for p in (18701, 18702, 18703)]
    assert "hash $ma_sticky consistent;" in text
    assert f"client_max_body_size {max_upload_mb()}m;" in text
    assert f"pid {tmp_path}/nginx.pid;" in text
    assert "user nobody" not in text
    assert "user nobody nogroup;" in render_config(_plan(tmp_path), as_root=True)


def test_config_listens_on_ipv6_in_brackets(tmp_path: Path) -> None:
    plan = ProxyPlan("::1", 18700, (18701, 18702), tmp_path)
    assert "listen [::1]:18700;" in render_config(plan, as_root=False)


def test_unknown_placeholder_is_refused(tmp_path: Path) -> None:
    from cli.errors import CliError

    bad = tmp_path / "bad.template"
    bad.write_text(TEMPLATE.read_text(encoding="utf-8") + "\n# {{nope}}\n", encoding="utf-8")
    with pytest.raises(CliError, match="未知的占位符"):
        render_config(_plan(tmp_path), bad)


def test_nginx_accepts_the_config(tmp_path: Path) -> None:
    nginx = find_nginx()
    if nginx is None:
        pytest.fail("nginx is not installed: run `python3 tasks.py test`, which installs it")
    conf = tmp_path / "nginx.conf"
    conf.write_text(render_config(_plan(tmp_path)), encoding="utf-8")
    tmp_path.chmod(0o755)
    check = subprocess.run([nginx, "-p", str(tmp_path), "-c", str(conf), "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert "syntax is ok" in check.stderr


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_workers_without_nginx_say_so(db_url: str, command: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MARKET_ACCESS_NGINX": "/nonexistent/nginx"}
    proc = subprocess.run([sys.executable, "-m", "cli", "--db", db_url, command, "--workers", "2", "--port", "18790"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert proc.returncode != 0
    assert "未找到 nginx" in proc.stderr and "--workers" in proc.stderr
    assert "演示数据已导入" not in proc.stdout  # refused before any data was loaded


@pytest.mark.parametrize("workers", ["0", "33"])
def test_workers_out_of_range(db_url: str, workers: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "cli", "--db", db_url, "serve", "--workers", workers],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert proc.returncode != 0
    assert "--workers 应在 1 至 32 之间" in proc.stderr
