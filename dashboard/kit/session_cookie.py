"""The sign-in cookie: its name and attributes, and the one-time codes that carry a new
session token from the page script to the browser.

A Streamlit script cannot set an HttpOnly cookie (it only draws into a websocket), so a
successful sign-in keeps its token here under a random one-time code and sends the browser
to ``/_auth/session?code=…&next=…`` (a route of :mod:`dashboard.server`), which redeems the
code, sets the cookie and returns to the page.  The token therefore never appears in a URL,
a websocket message or the Streamlit session state; a code is good once, for a minute, and
only in this process (the script and the route share it).

No streamlit here: the server's routes and middleware use it too.
"""

from __future__ import annotations

import secrets
import threading
import time
from urllib.parse import urlsplit

COOKIE = "ma_session"
SESSION_ROUTE = "/_auth/session"
SIGN_OUT_ROUTE = "/_auth/sign-out"
CODE_TTL = 60.0  # seconds a one-time code may wait for the browser

_codes: dict[str, tuple[str, float]] = {}
_lock = threading.Lock()


def issue(token: str, now: float | None = None) -> str:
    """A fresh one-time code for ``token`` (forgetting codes that were never redeemed)."""
    now = time.monotonic() if now is None else now
    code = secrets.token_urlsafe(32)
    with _lock:
        for stale in [c for c, (_, at) in _codes.items() if now - at > CODE_TTL]:
            del _codes[stale]
        _codes[code] = (token, now)
    return code


def redeem(code: str | None, now: float | None = None) -> str | None:
    """The token of ``code`` once (the code is gone afterwards); None if unknown or stale."""
    if not code:
        return None
    now = time.monotonic() if now is None else now
    with _lock:
        entry = _codes.pop(code, None)
    if entry is None or now - entry[1] > CODE_TTL:
        return None
    return entry[0]


def safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site (no scheme, host or ``//``), else ``/``:
    the return address of the session route cannot send the browser elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return "/"
    return target


def set_cookie_header(token: str, *, secure: bool, max_age: int) -> str:
    """The ``Set-Cookie`` value carrying ``token``: HttpOnly, SameSite=Strict, whole site."""
    flags = "; Secure" if secure else ""
    return f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{flags}"


def clear_cookie_header(*, secure: bool) -> str:
    """The ``Set-Cookie`` value that removes the cookie."""
    flags = "; Secure" if secure else ""
    return f"{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{flags}"
