"""Local stand-ins for the mail server and the group robots, started by the notify tests.

- :class:`MailServer`: an aiosmtpd SMTP server on 127.0.0.1 and a free port, keeping every
  message it receives;
- :class:`RobotServer`: an http.server in a thread answering like 企业微信, 钉钉 and 飞书:
  ``/wecom/<name>``, ``/dingtalk/<name>`` (checks the 加签 signature against the secret it
  was given), ``/feishu/<name>`` (checks the body's sign), and answers HTTP 500 for any
  path in ``failing``.
"""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import hmac
import json
import socket
import threading
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Collect:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 OK"


class MailServer:
    def __init__(self) -> None:
        self.handler = _Collect()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> MailServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    @property
    def messages(self) -> list[tuple[list[str], Message]]:
        with self.handler.lock:
            return list(self.handler.messages)

    def to(self, address: str) -> list[Message]:
        return [m for rcpts, m in self.messages if address in rcpts]


def body_text(msg: Message) -> str:
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text part")


@dataclass
class Hit:
    path: str
    query: dict[str, list[str]]
    body: dict[str, Any]
    verified: bool | None  # signature check result (None: robot without signing)


@dataclass
class RobotState:
    secrets: dict[str, str] = field(default_factory=dict)  # path -> signing secret
    failing: set[str] = field(default_factory=set)
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _ding_ok(secret: str, query: dict[str, list[str]]) -> bool:
    ts = query.get("timestamp", [""])[0]
    got = query.get("sign", [""])[0]  # parse_qs has undone the URL encoding
    want = base64.b64encode(hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()).decode()
    return bool(ts) and hmac.compare_digest(got, want)


def _feishu_ok(secret: str, body: dict[str, Any]) -> bool:
    ts = str(body.get("timestamp", ""))
    want = base64.b64encode(hmac.new(f"{ts}\n{secret}".encode(), b"", hashlib.sha256).digest()).decode()
    return bool(ts) and hmac.compare_digest(str(body.get("sign", "")), want)


class RobotServer:
    def __init__(self) -> None:
        self.state = RobotState()
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                secret = state.secrets.get(parts.path)
                verified: bool | None = None
                if parts.path.startswith("/dingtalk/"):
                    verified = _ding_ok(secret or "", query)
                elif parts.path.startswith("/feishu/") and secret:
                    verified = _feishu_ok(secret, body)
                with state.lock:
                    state.hits.append(Hit(parts.path, query, body, verified))
                    failing = parts.path in state.failing
                if failing:
                    self.send_response(500)
                    self.end_headers()
                    return
                if parts.path.startswith("/feishu/"):
                    answer = {"code": 0, "msg": "success"} if verified is not False else {
                        "code": 19021, "msg": "sign match fail"}
                else:
                    answer = {"errcode": 0, "errmsg": "ok"} if verified is not False else {
                        "errcode": 310000, "errmsg": "sign not match"}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> RobotServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def hits(self, path: str) -> list[Hit]:
        with self.state.lock:
            return [h for h in self.state.hits if h.path == path]
