"""Server-side rendered pages: one Jinja environment with autoescaping on, and the Chinese
error pages (404, 405, 413, 429, 500)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse

HERE = Path(__file__).resolve().parent
ENV = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
CSS = (HERE / "static" / "site.css").read_bytes()

ERRORS = {
    400: ("请求无效", "提交的内容无法识别，请返回重新填写。"),
    404: ("页面不存在", "您访问的页面不存在。本网站只提供市场准入意见反馈的提交和办理进度查询。"),
    405: ("不支持的操作", "该页面不支持这种访问方式，请从首页进入。"),
    413: ("提交内容过大", "提交的内容（含附件）超过了大小限制：每个附件不超过 5 MB，最多 3 个，合计不超过 16 MB。"),
    429: ("操作过于频繁", "同一网络或同一电话在短时间内提交或查询次数过多，请稍后再试。"),
    500: ("系统繁忙", "系统暂时无法处理您的请求，您填写的内容没有保存，请稍后再试。"),
}


def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(ENV.get_template(name).render(**context), status_code=status)


def error_page(status: int, message: str | None = None) -> HTMLResponse:
    title, default = ERRORS.get(status, ERRORS[500])
    return render("error.html", status, title=title, message=message or default, code=status)


async def http_error(request: Request, exc: Exception) -> HTMLResponse:
    status = int(getattr(exc, "status_code", 500))
    detail = getattr(exc, "detail", None)
    chinese = detail if isinstance(detail, str) and any("\u4e00" <= ch <= "\u9fff" for ch in detail) else None
    return error_page(status if status in ERRORS else 500, chinese)


async def server_error(request: Request, exc: Exception) -> HTMLResponse:
    return error_page(500)


async def too_large_app(scope: Any, receive: Any, send: Any) -> None:
    """The 413 page as a bare ASGI app (answered before the body is read)."""
    await error_page(413)(scope, receive, send)
