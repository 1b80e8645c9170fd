"""The web server's walls without a browser: the session route's one-time codes and cookie,
the security headers, the signed-in-only endpoints and unknown page paths (Starlette's
TestClient around :class:`dashboard.server.Walls`)."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from dashboard import server
from dashboard.kit import session_cookie
from data import accounts
from data.accounts import ADMIN
from data.db import Database


def _inner(request: object) -> PlainTextResponse:
    return PlainTextResponse("inner")


@pytest.fixture
def client(db: Database, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("MARKET_ACCESS_DB", db.url)
    monkeypatch.delenv("MARKET_ACCESS_DEMO", raising=False)
    app = Starlette(routes=[Route(session_cookie.SESSION_ROUTE, server.session_route),
                            Route(session_cookie.SIGN_OUT_ROUTE, server.sign_out_route),
                            Route("/{path:path}", _inner)], middleware=[Middleware(server.Walls)])
    return TestClient(app, follow_redirects=False)


def _token(db: Database) -> str:
    with db.session() as s:
        accounts.add_user(s, "guanli", "Kx7-Harbour-Lane", ADMIN)
    with db.session() as s:
        token = accounts.authenticate(s, "guanli", "Kx7-Harbour-Lane").token
    assert token
    return token


def test_headers_and_signed_in_only_endpoints(client: TestClient, db: Database) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["x-frame-options"] == "SAMEORIGIN"
    assert page.headers["content-security-policy"] == "frame-ancestors 'self'"
    assert page.headers["x-content-type-options"] == "nosniff"
    for path in ("/_stcore/metrics", "/media/abc.csv", "/_stcore/upload_file/sid/fid"):
        refused = client.get(path)
        assert (refused.status_code, refused.text) == (403, "请先登录。")
        assert refused.headers["x-frame-options"] == "SAMEORIGIN"
    token = _token(db)
    client.cookies.set(session_cookie.COOKIE, token)
    assert client.get("/media/abc.csv").text == "inner"
    with db.session() as s:
        accounts.sign_out(s, token)
    assert client.get("/media/abc.csv").status_code == 403  # a signed-out session opens nothing


def test_unknown_page_paths_go_to_the_start(client: TestClient) -> None:
    assert client.get("/weak-links").status_code == 200
    moved = client.get("/no-such-page")
    assert (moved.status_code, moved.headers["location"]) == (303, "/")
    start = client.get("/overview?period=2026Q3&dept=JH010")  # the start page is served at the root
    assert (start.status_code, start.headers["location"]) == (303, "/?period=2026Q3&dept=JH010")
    assert client.get("/overview").headers["location"] == "/"


def test_session_route_sets_the_cookie_once(client: TestClient, db: Database) -> None:
    token = _token(db)
    code = session_cookie.issue(token)
    first = client.get(session_cookie.SESSION_ROUTE, params={"code": code, "next": "/cases?case=XS1"})
    assert first.headers["location"] == "/cases?case=XS1"
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(f"{session_cookie.COOKIE}={token};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    again = client.get(session_cookie.SESSION_ROUTE, params={"code": code})
    assert "set-cookie" not in again.headers  # a code is good once
    out = client.get(session_cookie.SIGN_OUT_ROUTE)
    assert "Max-Age=0" in out.headers["set-cookie"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\\\evil.example", "javascript:x",
                                    "", None, "/a\nb"])
def test_the_return_address_stays_on_the_site(target: str | None) -> None:
    assert session_cookie.safe_next(target) == "/"


def test_codes_expire() -> None:
    code = session_cookie.issue("tok", now=100.0)
    assert session_cookie.redeem(code, now=100.0 + session_cookie.CODE_TTL + 1) is None
    assert session_cookie.redeem(session_cookie.issue("tok", now=5.0), now=6.0) == "tok"
