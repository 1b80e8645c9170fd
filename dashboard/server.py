"""The dashboard's web server: Streamlit's ``st.App`` around ``app.py`` with the walls the
page scripts cannot build themselves.

- ``/_auth/session`` turns a sign-in's one-time code (:mod:`dashboard.kit.session_cookie`)
  into the HttpOnly session cookie and returns to the page; ``/_auth/sign-out`` removes it.
- :class:`Walls` (ASGI middleware, every HTTP response): frame protection (``X-Frame-Options``
  and CSP ``frame-ancestors``), ``nosniff``, a same-origin referrer; ``/_stcore/metrics``,
  ``/media/…`` and uploads only with a live session (any signed-in user; demo mode has no
  sign-in, so there they stay open); an unknown page path goes back to the start page instead
  of Streamlit's English "Page not found".

``market-access serve`` runs ``streamlit run dashboard/server.py``; Streamlit finds ``app``
and serves it with uvicorn.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from dashboard.kit import session_cookie
from dashboard.kit.connection import database, is_demo
from dashboard.navigation import LOGIN, PAGES
from data import accounts
from data.sessions import EXPIRES

HERE = Path(__file__).resolve().parent
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"content-security-policy", b"frame-ancestors 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
SIGNED_IN_ONLY = ("/_stcore/metrics", "/media/", "/_stcore/upload_file/")
# paths Streamlit itself serves (everything else is a page path of the navigation)
SERVED = ("/_stcore/", "/media/", "/static/", "/component/", "/app/static/", "/_auth/", "/favicon")
PAGE_PATHS = frozenset({"", LOGIN.url_path, *(s.url_path for s in PAGES)})
START = PAGES[0].url_path  # every role's first page: Streamlit serves it at the root only
REFUSED = "请先登录。"


def _live(token: str | None) -> bool:
    """Whether ``token`` is a live session of an active account (blocking: run in a thread)."""
    if not token:
        return False
    with database().session() as session:
        return accounts.resume(session, token) is not None


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"


async def session_route(request: Request) -> Response:
    """Redeem a one-time code: set the session cookie, go back to ``next``."""
    token = session_cookie.redeem(request.query_params.get("code"))
    response = RedirectResponse(session_cookie.safe_next(request.query_params.get("next")), status_code=303)
    response.headers["cache-control"] = "no-store"
    if token is not None:
        max_age = int(EXPIRES.total_seconds())
        response.headers.append("set-cookie", session_cookie.set_cookie_header(
            token, secure=_secure(request), max_age=max_age))
    return response


async def sign_out_route(request: Request) -> Response:
    """Remove the session cookie (the session itself was ended by the page) and go to the start."""
    response = RedirectResponse("/", status_code=303)
    response.headers["cache-control"] = "no-store"
    response.headers.append("set-cookie", session_cookie.clear_cookie_header(secure=_secure(request)))
    return response


def _page_path(path: str) -> str | None:
    """The first segment of a page path ("" for the root), or None for what Streamlit serves."""
    if any(path.startswith(p) for p in SERVED) or path.count("/") > 1:
        return None
    return path.strip("/")


class Walls:
    """ASGI middleware: security headers on every HTTP response, sign-in for the server's own
    endpoints, unknown page paths and the start page's own path sent to the start page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        path = request.url.path
        refusal: Response | None = None
        if any(path.startswith(p) for p in SIGNED_IN_ONLY) and not is_demo():
            if not await run_in_threadpool(_live, request.cookies.get(session_cookie.COOKIE)):
                refusal = PlainTextResponse(REFUSED, status_code=403)
        elif (page := _page_path(path)) is not None and page not in PAGE_PATHS:
            refusal = RedirectResponse("/", status_code=303)
        elif page == START:  # its own path would get Streamlit's English "Page not found"
            query = request.url.query
            refusal = RedirectResponse(f"/?{query}" if query else "/", status_code=303)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in dict(SECURITY_HEADERS)]
                message["headers"] = [*headers, *SECURITY_HEADERS]
            await send(message)

        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
        else:
            await self.app(scope, receive, send_with_headers)


app = st.App(
    HERE / "app.py",
    routes=[Route(session_cookie.SESSION_ROUTE, session_route, methods=["GET"]),
            Route(session_cookie.SIGN_OUT_ROUTE, sign_out_route, methods=["GET"])],
    middleware=[Middleware(Walls)],
)
