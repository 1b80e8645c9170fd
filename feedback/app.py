"""The feedback site's routes: form, submission and receipt, lookup, CAPTCHA image, CSS.

Nothing else is served: any other path (the dashboard's pages, ``/_stcore``, files) is a
Chinese 404.  Each form carries a signed one-time token whose nonce names a server-side
challenge (:mod:`data.feedback_guard`); the CAPTCHA text never leaves the server except as
an image.  Rate limits are checked before anything else is done with a request.
"""

from __future__ import annotations

import io
from typing import Any

from captcha.image import ImageCaptcha
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from data import feedback_files, feedback_form, feedback_guard, feedback_store
from data.db import Database
from data.feedback_files import Attachment, AttachmentError
from feedback import pages
from feedback.config import SiteConfig
from feedback.security import BodyLimit, SecurityHeaders

TOKEN_SALT = "feedback-form"
_captcha = ImageCaptcha(width=160, height=60)


class Site:
    """The app's state: the database, the settings and the token signer."""

    def __init__(self, db: Database, config: SiteConfig) -> None:
        self.db = db
        self.config = config
        self.signer = URLSafeTimedSerializer(config.secret, salt=TOKEN_SALT)

    # -- tokens -----------------------------------------------------------------------------

    def new_token(self) -> str:
        with self.db.session() as session:
            nonce = feedback_guard.issue_challenge(session)
        return str(self.signer.dumps(nonce))

    def nonce_of(self, token: str) -> str | None:
        try:
            nonce = self.signer.loads(token, max_age=int(feedback_guard.CHALLENGE_TTL.total_seconds()))
        except BadSignature:
            return None
        return nonce if isinstance(nonce, str) else None

    def address_key(self, request: Request) -> str:
        host = request.client.host if request.client else "unknown"
        return feedback_guard.keyed(self.config.secret, "addr:" + host)

    def over_limit(self, kind: str, key: str, limit: int, window: Any) -> bool:
        with self.db.session() as session:
            if feedback_guard.hits(session, kind, key, window) >= limit:
                return True
            feedback_guard.record_hit(session, kind, key)
        return False

    # -- pages ------------------------------------------------------------------------------

    def form_page(self, values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                  status: int = 200, notice: str | None = None) -> HTMLResponse:
        with self.db.session() as session:
            departments = feedback_store.departments(session)
        return pages.render(
            "form.html", status, token=self.new_token(), values=values or {}, errors=errors or {}, notice=notice,
            departments=departments, problem_types=feedback_form.PROBLEM_TYPES,
            sub_types=feedback_form.HIDDEN_SUB_TYPES, labels=feedback_form.LABELS,
            allowed=feedback_files.ALLOWED_TEXT, max_files=feedback_files.MAX_FILES,
            max_mb=feedback_files.MAX_BYTES // (1024 * 1024))

    def lookup_page(self, status: int = 200, error: str | None = None, case_id: str = "") -> HTMLResponse:
        return pages.render("lookup.html", status, token=self.new_token(), error=error, case_id=case_id)


def _fields(form: FormData) -> dict[str, str]:
    out = {}
    for f in feedback_form.FIELDS:
        value = form.get(f)
        out[f] = value if isinstance(value, str) else ""
    return out


async def _attachments(form: FormData) -> tuple[list[Attachment], str | None]:
    files = [u for u in form.getlist("attachments") if isinstance(u, UploadFile) and (u.filename or u.size)]
    if len(files) > feedback_files.MAX_FILES:
        return [], f"附件最多 {feedback_files.MAX_FILES} 个。"
    out = []
    for u in files:
        content = await u.read(feedback_files.MAX_BYTES + 1)
        try:
            out.append(feedback_files.check(u.filename or "", content))
        except AttachmentError as err:
            return [], str(err)
    return out, None


def build(site: Site) -> Starlette:
    limits = site.config.limits

    def forms_limited(request: Request) -> None:
        if site.over_limit(feedback_guard.FORM_BY_ADDRESS, site.address_key(request), limits.forms_per_address,
                           limits.forms_address_window):
            raise HTTPException(429)

    async def home(request: Request) -> Response:
        forms_limited(request)
        return site.form_page()

    async def submit(request: Request) -> Response:
        if site.over_limit(feedback_guard.SUBMIT_BY_ADDRESS, site.address_key(request), limits.submit_per_address,
                           limits.submit_address_window):
            raise HTTPException(429)
        form = await request.form(max_files=feedback_files.MAX_FILES + 1, max_fields=30, max_part_size=64 * 1024)
        values = _fields(form)
        token = form.get("token")
        nonce = site.nonce_of(token) if isinstance(token, str) else None
        answer = form.get("captcha")
        with site.db.session() as session:
            refused = ("表单已失效，请重新填写验证码后提交。" if nonce is None else
                       feedback_guard.consume_challenge(session, nonce, answer if isinstance(answer, str) else None))
        if refused:
            return site.form_page(values, {"captcha": refused}, status=400)
        with site.db.session() as session:
            codes = {c for c, _ in feedback_store.departments(session)}
        submission, errors = feedback_form.check(values, codes)
        attachments, attachment_error = await _attachments(form)
        if attachment_error:
            errors["attachments"] = attachment_error
        if submission is None or errors:
            return site.form_page(values, errors, status=400)
        phone_key = feedback_guard.keyed(site.config.secret, "phone:" + submission.phone)
        if site.over_limit(feedback_guard.SUBMIT_BY_PHONE, phone_key, limits.submit_per_phone,
                           limits.submit_phone_window):
            raise HTTPException(429, "该联系电话今天提交的反馈已达上限，请明天再提交，或直接联系区发展改革局。")
        try:
            with site.db.session() as session:
                receipt = feedback_store.submit(session, submission, attachments, site.config.attachment_dir)
        except feedback_store.FeedbackError as err:
            return site.form_page(values, {}, status=503, notice=str(err))
        return pages.render("receipt.html", receipt=receipt)

    async def lookup_form(request: Request) -> Response:
        forms_limited(request)
        return site.lookup_page()

    async def lookup(request: Request) -> Response:
        if site.over_limit(feedback_guard.LOOKUP_BY_ADDRESS, site.address_key(request), limits.lookup_per_address,
                           limits.lookup_address_window):
            raise HTTPException(429)
        form = await request.form(max_files=0, max_fields=10, max_part_size=4 * 1024)
        token, case_id, code = form.get("token"), form.get("case_id"), form.get("code")
        case_id = case_id.strip() if isinstance(case_id, str) else ""
        nonce = site.nonce_of(token) if isinstance(token, str) else None
        with site.db.session() as session:
            refused = ("表单已失效，请重新查询。" if nonce is None else
                       feedback_guard.consume_challenge(session, nonce, None, need_answer=False))
        if refused:
            return site.lookup_page(400, refused, case_id)
        if not case_id or not isinstance(code, str) or not code.strip():
            return site.lookup_page(400, "请填写受理编号和查询码。", case_id)
        with site.db.session() as session:
            found = feedback_store.lookup(session, case_id[:40], code[:40])
        if found is None:
            return site.lookup_page(404, "受理编号或查询码不正确，请核对后重新输入。", case_id)
        return pages.render("status.html", found=found)

    async def captcha_image(request: Request) -> Response:
        nonce = site.nonce_of(request.query_params.get("t", ""))
        with site.db.session() as session:
            answer = feedback_guard.challenge_answer(session, nonce) if nonce else None
        if answer is None:
            raise HTTPException(404)
        buf = io.BytesIO()
        _captcha.generate_image(answer).save(buf, format="PNG")
        return Response(buf.getvalue(), media_type="image/png")

    async def css(request: Request) -> Response:
        return Response(pages.CSS, media_type="text/css; charset=utf-8")

    routes = [
        Route("/", home, methods=["GET"]),
        Route("/submit", submit, methods=["POST"]),
        Route("/lookup", lookup_form, methods=["GET"]),
        Route("/lookup", lookup, methods=["POST"]),
        Route("/captcha.png", captcha_image, methods=["GET"]),
        Route("/site.css", css, methods=["GET"]),
    ]
    handlers: dict[Any, Any] = {code: pages.http_error for code in (400, 404, 405, 413, 429)}
    handlers[HTTPException] = pages.http_error
    handlers[500] = pages.server_error
    middleware = [
        Middleware(BodyLimit, max_bytes=limits.max_body_bytes, too_large=pages.too_large_app),  # type: ignore[arg-type]
    ]
    return Starlette(routes=routes, exception_handlers=handlers, middleware=middleware)


def create_app(db: Database, config: SiteConfig | None = None) -> SecurityHeaders:
    """The feedback site on ``db`` (settings from the environment and data directory by default),
    wrapped so that every response, the 500 page included, carries the security headers."""
    return SecurityHeaders(build(Site(db, config or SiteConfig.default())))  # type: ignore[arg-type]
