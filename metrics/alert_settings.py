"""Early-warning settings: light thresholds and reminder options, validated.

Defaults live in ``metrics/alerts.toml``; the administrator's overrides are kept in the
settings table under :data:`SETTINGS_KEY` (same shape as the file) and applied on top.
:func:`settings_from_dict` checks the merged whole, so an override that makes the yellow
band of a waiting clue start after its red limit is refused with a Chinese message, and
:func:`save_overrides` stores only validated overrides (audited by :mod:`data.settings`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from data import settings as store
from data.accounts import Principal
from metrics.config import merged

DEFAULT_PATH = Path(__file__).resolve().parent / "alerts.toml"
SETTINGS_KEY = "alert_overrides"
SECURITY = ("none", "starttls", "ssl")


class AlertSettingsError(ValueError):
    """Invalid early-warning settings; ``str(err)`` lists every problem in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("预警设置有误：" + "；".join(problems) + "。")
        self.problems = problems


@dataclass(frozen=True)
class LightRules:
    """Working-day thresholds of the lights (see ``alerts.toml`` for each one's meaning)."""

    app_warn_days: int = 2
    task_warn_days: int = 3
    key_case_warn_days: int = 5
    transfer_yellow_from: int = 4
    transfer_limit: int = 5


@dataclass(frozen=True)
class NotifySettings:
    """Where digest links point, how much they list, and how e-mail leaves (no password here:
    the SMTP password only ever comes from the environment)."""

    base_url: str = "http://127.0.0.1:8501"
    max_listed: int = 30
    monthly_day: int = 1
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_security: str = "none"
    smtp_sender: str = "market-access@localhost"
    webhook_timeout_seconds: float = 10.0


@dataclass(frozen=True)
class AlertSettings:
    lights: LightRules
    notify: NotifySettings


_LIGHT_LABELS = {
    "app_warn_days": "办件黄灯提前工作日数",
    "task_warn_days": "整改任务黄灯提前工作日数",
    "key_case_warn_days": "重点督办案例黄灯提前工作日数",
    "transfer_yellow_from": "待转办线索黄灯起始工作日",
    "transfer_limit": "线索转办时限（工作日）",
}


def _int(raw: Any, label: str, low: int, high: int, problems: list[str]) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        problems.append(f"{label}应为 {low} 到 {high} 之间的整数（现为 {raw!r}）")
        return low
    return raw


def valid_base_url(url: str) -> bool:
    """An absolute http(s) URL without credentials, query or fragment."""
    parts = urlsplit(url)
    return (parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.username
            and not parts.query and not parts.fragment)


def settings_from_dict(raw: Mapping[str, Any]) -> AlertSettings:
    """Validate a mapping of ``alerts.toml``'s shape; every problem is reported at once."""
    problems: list[str] = []
    lights_raw = raw.get("lights") or {}
    notify_raw = raw.get("notify") or {}
    for section, known in (("lights", set(_LIGHT_LABELS)), ("notify", set(NotifySettings.__dataclass_fields__))):
        body = raw.get(section) or {}
        if not isinstance(body, Mapping):
            problems.append(f"[{section}] 应为表")
            continue
        problems.extend(f"未知设置项 {section}.{k}" for k in sorted(set(body) - known))
    for section in sorted(set(raw) - {"lights", "notify"}):
        problems.append(f"未知设置节 [{section}]")
    if problems:
        raise AlertSettingsError(problems)
    lights = {k: _int(lights_raw.get(k, getattr(LightRules, k)), label, 0, 60, problems)
              for k, label in _LIGHT_LABELS.items()}
    if lights["transfer_limit"] < 1:
        problems.append("线索转办时限至少为 1 个工作日")
    if lights["transfer_yellow_from"] > lights["transfer_limit"]:
        problems.append("待转办线索黄灯起始工作日不应晚于转办时限")
    n = dict(notify_raw)
    base_url = str(n.get("base_url", NotifySettings.base_url)).rstrip("/")
    if not valid_base_url(base_url):
        problems.append(f"看板地址 {base_url!r} 应为 http:// 或 https:// 开头的完整地址，且不含账号、查询参数")
    max_listed = _int(n.get("max_listed", NotifySettings.max_listed), "每份提醒列出事项数", 1, 500, problems)
    monthly_day = _int(n.get("monthly_day", NotifySettings.monthly_day), "月度汇总发送日", 1, 28, problems)
    host = n.get("smtp_host", NotifySettings.smtp_host)
    if not isinstance(host, str) or any(c.isspace() for c in host):
        problems.append("邮件服务器地址无效")
        host = ""
    port = _int(n.get("smtp_port", NotifySettings.smtp_port), "邮件服务器端口", 1, 65535, problems)
    security = n.get("smtp_security", NotifySettings.smtp_security)
    if security not in SECURITY:
        problems.append(f"邮件加密方式应为 {'、'.join(SECURITY)} 之一")
        security = "none"
    sender = n.get("smtp_sender", NotifySettings.smtp_sender)
    if not isinstance(sender, str) or "@" not in sender or any(c.isspace() for c in sender):
        problems.append("发件人地址无效")
        sender = NotifySettings.smtp_sender
    timeout = n.get("webhook_timeout_seconds", NotifySettings.webhook_timeout_seconds)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0.5 <= timeout <= 120:
        problems.append("群机器人请求超时应在 0.5 到 120 秒之间")
        timeout = NotifySettings.webhook_timeout_seconds
    if problems:
        raise AlertSettingsError(problems)
    return AlertSettings(
        LightRules(**lights),
        NotifySettings(base_url=base_url, max_listed=max_listed, monthly_day=monthly_day, smtp_host=host,
                       smtp_port=port, smtp_security=str(security), smtp_sender=sender,
                       webhook_timeout_seconds=float(timeout)),
    )


def read_defaults(path: str | Path | None = None) -> dict[str, Any]:
    with Path(path or DEFAULT_PATH).open("rb") as fh:
        return tomllib.load(fh)


def load_settings(overrides: Mapping[str, Any] | None = None, path: str | Path | None = None) -> AlertSettings:
    """The defaults with ``overrides`` applied, validated."""
    raw = read_defaults(path)
    return settings_from_dict(merged(raw, overrides) if overrides else raw)


def current_settings(session: Session) -> AlertSettings:
    """The settings in force: defaults plus the administrator's stored overrides."""
    return load_settings(store.get(session, SETTINGS_KEY))


def save_overrides(session: Session, actor: Principal, overrides: Mapping[str, Any]) -> AlertSettings:
    """Validate and store the administrator's overrides (replacing earlier ones); audited."""
    if not actor.is_admin:
        raise AlertSettingsError(["只有管理员可以修改预警设置"])
    result = load_settings(overrides)
    store.put(session, SETTINGS_KEY, dict(overrides), actor.username)
    return result
