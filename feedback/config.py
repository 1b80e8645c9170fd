"""Settings of the feedback site: the signing secret, where attachments go, the limits.

The secret signs the one-time form tokens and keys the hashes of addresses and phone
numbers.  It comes from ``$MARKET_ACCESS_FEEDBACK_SECRET`` or, failing that, from a file
``feedback-secret`` in the data directory created on first start (mode 0600); every
process of the site must see the same secret (same data directory, or the variable).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

SECRET_ENV = "MARKET_ACCESS_FEEDBACK_SECRET"


def data_home() -> Path:
    return Path(os.environ.get("MARKET_ACCESS_HOME", Path.home() / ".market-access"))


def load_secret(home: Path) -> bytes:
    """The site secret: from the environment, else the data directory's file (created once)."""
    env = os.environ.get(SECRET_ENV)
    if env:
        return env.encode()
    path = home / "feedback-secret"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


@dataclass(frozen=True)
class Limits:
    """Rate limits (stored in the database, so several processes agree) and the body limit."""

    submit_per_address: int = 10
    submit_address_window: dt.timedelta = dt.timedelta(hours=1)
    submit_per_phone: int = 3
    submit_phone_window: dt.timedelta = dt.timedelta(days=1)
    lookup_per_address: int = 30
    lookup_address_window: dt.timedelta = dt.timedelta(hours=1)
    forms_per_address: int = 120  # form pages drawn (each issues a challenge and a CAPTCHA)
    forms_address_window: dt.timedelta = dt.timedelta(hours=1)
    max_body_bytes: int = 16 * 1024 * 1024


@dataclass(frozen=True)
class SiteConfig:
    """Everything the app needs besides the database."""

    secret: bytes
    attachment_dir: Path
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def default(cls) -> SiteConfig:
        home = data_home()
        return cls(secret=load_secret(home), attachment_dir=home / "feedback-attachments")
