"""Sending one message on one channel: e-mail (smtplib) and group robots (httpx).

Robots take markdown in their own envelopes:

- 企业微信: ``{"msgtype": "markdown", "markdown": {"content": ...}}`` (content ≤ 4096 bytes);
- 钉钉: ``{"msgtype": "markdown", "markdown": {"title", "text"}}`` posted to the webhook with
  ``&timestamp=<ms>&sign=<sig>`` where ``sig`` is the URL-encoded base64 HMAC-SHA256 of
  ``"<timestamp>\\n<secret>"`` keyed by the secret (the robot's 加签 security setting);
- 飞书: an interactive card with a markdown element; with a signing secret the body also
  carries ``timestamp`` (seconds) and ``sign``, the base64 HMAC-SHA256 of an empty message
  keyed by ``"<timestamp>\\n<secret>"``.

A robot answers HTTP 200 with an error code in the body when it refuses a message, so the
body is checked too.  Every failure raises :class:`SendError` with a Chinese reason.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any
from urllib.parse import quote_plus

import httpx

from metrics.alert_settings import NotifySettings

WECOM_MAX_BYTES = 4000
ENV_PREFIX = "MARKET_ACCESS_SMTP_"


class SendError(RuntimeError):
    """A message could not be delivered; ``str(err)`` says why (in Chinese)."""


@dataclass(frozen=True)
class Attachment:
    file_name: str
    data: bytes
    mime: str = "application/pdf"


@dataclass(frozen=True)
class Message:
    """A digest: a subject and a markdown body (e-mail gets the same text), maybe attachments."""

    subject: str
    markdown: str
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Recipient:
    """One contact on one channel."""

    key: str  # stable id for the delivery record
    contact_id: int | None
    name: str
    dept_code: str | None  # None: a district leader
    channel: str  # email | wecom | dingtalk | feishu
    address: str  # e-mail address or webhook URL
    secret: str | None = None


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    security: str = "none"  # none | starttls | ssl
    sender: str = "market-access@localhost"
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_settings(cls, notify: NotifySettings, env: Mapping[str, str] | None = None) -> SmtpSettings:
        """The stored settings, each overridden by ``MARKET_ACCESS_SMTP_<NAME>`` when set; the
        user and password come from the environment only (never from the database)."""
        env = os.environ if env is None else env

        def pick(name: str, default: str) -> str:
            return env.get(ENV_PREFIX + name) or default

        port = pick("PORT", str(notify.smtp_port))
        if not port.isdigit():
            raise SendError(f"环境变量 {ENV_PREFIX}PORT 应为端口号（现为 {port!r}）。")
        security = pick("SECURITY", notify.smtp_security)
        if security not in ("none", "starttls", "ssl"):
            raise SendError(f"环境变量 {ENV_PREFIX}SECURITY 应为 none、starttls 或 ssl。")
        return cls(host=pick("HOST", notify.smtp_host), port=int(port), security=security,
                   sender=pick("SENDER", notify.smtp_sender), user=env.get(ENV_PREFIX + "USER") or None,
                   password=env.get(ENV_PREFIX + "PASSWORD") or None)


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉 加签: URL-encoded base64 of HMAC-SHA256(secret, "<timestamp>\\n<secret>")."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """飞书 签名校验: base64 of HMAC-SHA256 keyed by "<timestamp>\\n<secret>" over an empty message."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _clip_bytes(text: str, limit: int) -> str:
    raw = text.encode()
    if len(raw) <= limit:
        return text
    cut = raw[: limit - 12].decode(errors="ignore")
    return cut.rsplit("\n", 1)[0] + "\n……（已截断）"


def robot_request(recipient: Recipient, message: Message, now: float) -> tuple[str, dict[str, Any]]:
    """The URL and JSON body of a robot message (signed when the robot has a secret)."""
    text = message.markdown
    if recipient.channel == "wecom":
        return recipient.address, {"msgtype": "markdown",
                                   "markdown": {"content": _clip_bytes(text, WECOM_MAX_BYTES)}}
    if recipient.channel == "dingtalk":
        url = recipient.address
        if recipient.secret:
            ts = int(now * 1000)
            url += ("&" if "?" in url else "?") + f"timestamp={ts}&sign={dingtalk_sign(recipient.secret, ts)}"
        return url, {"msgtype": "markdown", "markdown": {"title": message.subject, "text": text}}
    if recipient.channel == "feishu":
        body: dict[str, Any] = {"msg_type": "interactive", "card": {
            "header": {"title": {"tag": "plain_text", "content": message.subject}},
            "elements": [{"tag": "markdown", "content": text}],
        }}
        if recipient.secret:
            ts = int(now)
            body = {"timestamp": str(ts), "sign": feishu_sign(recipient.secret, ts), **body}
        return recipient.address, body
    raise SendError(f"未知的发送渠道 {recipient.channel}。")


def _robot_refusal(body: Any) -> str | None:
    """The robot's own error in a 200 answer (企业微信/钉钉 errcode, 飞书 code), or None."""
    if not isinstance(body, dict):
        return None
    for code_key, msg_key in (("errcode", "errmsg"), ("code", "msg"), ("StatusCode", "StatusMessage")):
        if code_key in body and body[code_key] not in (0, "0"):
            return f"错误码 {body[code_key]}：{body.get(msg_key, '')}"
    return None


class ChannelSender:
    """Sends messages over SMTP and HTTP; one instance per ``notify`` run."""

    def __init__(self, smtp: SmtpSettings, http: httpx.Client, clock: Callable[[], float] = time.time) -> None:
        self.smtp = smtp
        self.http = http
        self.clock = clock

    def send(self, recipient: Recipient, message: Message) -> None:
        if recipient.channel == "email":
            self._email(recipient, message)
        else:
            self._robot(recipient, message)

    def _robot(self, recipient: Recipient, message: Message) -> None:
        url, body = robot_request(recipient, message, self.clock())
        try:
            response = self.http.post(url, json=body)
        except httpx.HTTPError as err:
            raise SendError(f"无法连接群机器人：{err.__class__.__name__}") from err
        if response.status_code != 200:
            raise SendError(f"群机器人返回 HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            answer = None
        refusal = _robot_refusal(answer)
        if refusal:
            raise SendError(f"群机器人拒收：{refusal}")

    def _email(self, recipient: Recipient, message: Message) -> None:
        s = self.smtp
        if not s.host:
            raise SendError("未配置邮件服务器（MARKET_ACCESS_SMTP_HOST）。")
        mail = EmailMessage()
        mail["Subject"] = message.subject
        mail["From"] = s.sender
        mail["To"] = recipient.address
        mail.set_content(message.markdown)
        for a in message.attachments:
            main, _, sub = a.mime.partition("/")
            mail.add_attachment(a.data, maintype=main, subtype=sub, filename=a.file_name)
        try:
            if s.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=30,
                                                        context=ssl.create_default_context())
            else:
                client = smtplib.SMTP(s.host, s.port, timeout=30)
            with client:
                if s.security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if s.user:
                    client.login(s.user, s.password or "")
                client.send_message(mail)
        except (smtplib.SMTPException, OSError) as err:
            raise SendError(f"邮件发送失败：{err.__class__.__name__}: {err}") from err
