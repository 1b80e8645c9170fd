"""A client that speaks Streamlit's own websocket protocol, as the browser front end does.

The browser opens ``/_stcore/stream`` (subprotocol ``streamlit``), sends a ``BackMsg`` whose
``rerun_script`` carries a ``ClientState`` (the URL's query string and page name, or a page's
script hash when the user clicks a link, and the widgets' values), and the server answers with
``ForwardMsg``s: ``new_session``, ``navigation`` (the pages and their hashes), ``delta``s (the
elements drawn), and ``script_finished``.  This client does the same without a browser, so a
load test measures the server and not 60 renderers on the same two cores.

One :class:`StreamlitSession` is one browser tab: it first GETs the page (so a proxy in front
can set its sticky cookie), then keeps one websocket open and measures each script run from
the rerun request to the ``script_finished`` message of the run that completed.
"""

from __future__ import annotations

import asyncio
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileURLs, FileURLsResponse, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class RunResult:
    """One script run as the server performed it."""

    seconds: float  # rerun request sent → script_finished received
    page: str
    action: str  # open (deep link, new session), page, period, dept
    exceptions: tuple[str, ...] = ()  # exception elements (type: message)
    error_alerts: tuple[str, ...] = ()  # st.error boxes
    failure: str = ""  # timeout, compile error, lost connection
    warnings: tuple[str, ...] = ()  # st.warning boxes (an import's refusal)


@dataclass
class _RunState:
    exceptions: list[str] = field(default_factory=list)
    error_alerts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)
    status: int | None = None


class StreamlitSession:
    """One tab on a Streamlit app at ``base`` (loopback only)."""

    def __init__(self, base: str, *, timeout: float = 120.0) -> None:
        parsed = urllib.parse.urlsplit(base)
        if parsed.hostname not in LOOPBACK:
            raise ValueError(f"the load client only talks to loopback addresses, not {parsed.hostname}")
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.session_id = ""
        self.pages: dict[str, str] = {}  # url path ('' = default page) → page script hash
        self.widgets: dict[str, str] = {}  # widget key (f_period …) → widget id
        self.options: dict[str, list[str]] = {}  # widget key → the options drawn last
        self.values: dict[str, str] = {}  # widget id → value this client has set
        self.files: dict[str, UploadedFileInfo] = {}  # file uploader widget id → the file it holds
        self._file_urls: asyncio.Future[FileURLsResponse] | None = None
        self._ws: websockets.ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._run: _RunState | None = None
        self.closed_reason = ""

    # ------------------------------------------------------------------ connection

    def _get(self, path_and_query: str) -> None:
        req = urllib.request.Request(self.base + path_and_query, headers=self._cookie_header())
        with urllib.request.urlopen(req, timeout=30) as r:
            for value in r.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            r.read()

    def _cookie_header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    async def open(self, page: str, query: str) -> RunResult:
        """Load ``/<page>?<query>`` as a browser would (page GET, websocket, first run)."""
        await asyncio.to_thread(self._get, f"/{page}?{query}" if query else f"/{page}")
        ws_url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        self._ws = await websockets.connect(ws_url, subprotocols=[websockets.Subprotocol("streamlit")],
                                            additional_headers=self._cookie_header(), max_size=None,
                                            open_timeout=30, ping_interval=20, ping_timeout=120)
        self._reader = asyncio.create_task(self._read())
        name = "" if page == "overview" else page  # the default page's path is the root
        return await self._rerun("open", page, query_string=query, page_name=name)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
        self._ws = self._reader = None

    # ------------------------------------------------------------------ actions

    async def upload(self, key: str, path: Path, page: str) -> RunResult:
        """Send the file at ``path`` through the file uploader with ``key`` as the browser does:
        ask the server for an upload URL (``file_urls_request``), PUT the file there (multipart,
        streamed from disk, with the XSRF token), then rerun with the uploader holding it.
        The time is the rerun's (what the page does with the file), not the transfer's."""
        if self._ws is None:
            raise RuntimeError("session not open")
        msg = BackMsg()
        msg.file_urls_request.request_id = f"upload-{path.name}"
        msg.file_urls_request.file_names.append(path.name)
        msg.file_urls_request.session_id = self.session_id
        self._file_urls = asyncio.get_running_loop().create_future()
        await self._ws.send(msg.SerializeToString())
        answer = await asyncio.wait_for(self._file_urls, self.timeout)
        if answer.error_msg or not answer.file_urls:
            return RunResult(0.0, page, "upload", failure=f"file URL refused: {answer.error_msg}")
        urls: FileURLs = answer.file_urls[0]
        if "_streamlit_xsrf" not in self.cookies:  # the health check sets it, as the front end's first request
            await asyncio.to_thread(self._get, "/_stcore/health")
        await asyncio.to_thread(self._put, urls.upload_url, path)
        info = UploadedFileInfo(name=path.name, size=path.stat().st_size, file_id=urls.file_id)
        info.file_urls.CopyFrom(urls)
        self.files[self.widgets[key]] = info
        name = "" if page == "overview" else page
        return await self._rerun("upload", page, page_script_hash=self.pages.get(name, ""), page_name=name)

    def _put(self, upload_url: str, path: Path) -> None:
        url = upload_url if upload_url.startswith("http") else self.base + upload_url
        headers = {**self._cookie_header(), "X-Xsrftoken": self.cookies.get("_streamlit_xsrf", "")}
        with path.open("rb") as fh:
            r = httpx.put(url, files={path.name: (path.name, fh, "application/octet-stream")},
                          headers=headers, timeout=self.timeout)
        r.raise_for_status()

    async def goto(self, page: str) -> RunResult:
        """Click the link of ``page`` in the sidebar (same session, filters kept)."""
        path = "" if page == "overview" else page
        return await self._rerun("page", page, page_script_hash=self.pages.get(path, ""), page_name=path)

    async def choose(self, key: str, value: str, action: str, page: str) -> RunResult:
        """Pick ``value`` (a shown option) in the select box with ``key``."""
        self.values[self.widgets[key]] = value
        path = "" if page == "overview" else page
        return await self._rerun(action, page, page_script_hash=self.pages.get(path, ""), page_name=path)

    async def _rerun(self, action: str, page: str, *, query_string: str = "", page_name: str = "",
                     page_script_hash: str = "") -> RunResult:
        if self._ws is None:
            raise RuntimeError("session not open")
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query_string
        state.page_name = page_name
        state.page_script_hash = page_script_hash
        state.context_info.timezone = "Asia/Shanghai"
        state.context_info.timezone_offset = -480
        state.context_info.locale = "zh-CN"
        state.context_info.url = f"{self.base}/{page_name}" + (f"?{query_string}" if query_string else "")
        for wid, value in self.values.items():
            w = state.widget_states.widgets.add()
            w.id = wid
            w.string_value = value
        for wid, info in self.files.items():
            w = state.widget_states.widgets.add()
            w.id = wid
            w.file_uploader_state_value.uploaded_file_info.append(info)
        run = self._run = _RunState()
        t0 = time.perf_counter()
        failure = ""
        try:
            await self._ws.send(msg.SerializeToString())
            await asyncio.wait_for(run.done.wait(), self.timeout)
            if run.status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                failure = "compile error"
            elif run.status is None:
                failure = f"connection lost: {self.closed_reason}"
        except TimeoutError:
            failure = f"timeout after {self.timeout:.0f} s"
        except websockets.ConnectionClosed as err:
            failure = f"connection lost: {err}"
        seconds = time.perf_counter() - t0
        self._run = None
        return RunResult(seconds, page, action, tuple(run.exceptions), tuple(run.error_alerts), failure,
                         tuple(run.warnings))

    # ------------------------------------------------------------------ messages

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for raw in self._ws:
                if isinstance(raw, bytes):
                    self._handle(raw)
        except websockets.ConnectionClosed as err:
            self.closed_reason = str(err)
        finally:
            if self._run is not None:
                self._run.done.set()

    def _handle(self, raw: bytes) -> None:
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        run = self._run
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element, run)
        elif kind == "file_urls_response" and self._file_urls is not None and not self._file_urls.done():
            self._file_urls.set_result(msg.file_urls_response)
        elif kind == "script_finished" and run is not None and msg.script_finished in FINISHED:
            run.status = msg.script_finished
            run.done.set()

    def _element(self, el: object, run: _RunState | None) -> None:
        etype = el.WhichOneof("type")  # type: ignore[attr-defined]
        if etype == "selectbox":
            box = el.selectbox  # type: ignore[attr-defined]
            key = box.id.rsplit("-", 1)[-1]
            self.widgets[key] = box.id
            self.options[key] = list(box.options)
        elif etype == "file_uploader":
            self.widgets[el.file_uploader.id.rsplit("-", 1)[-1]] = el.file_uploader.id  # type: ignore[attr-defined]
        elif etype == "exception" and run is not None:
            ex = el.exception  # type: ignore[attr-defined]
            if not ex.is_warning:
                run.exceptions.append(f"{ex.type}: {ex.message[:200]}")
        elif etype == "alert" and run is not None and el.alert.format == Alert.ERROR:  # type: ignore[attr-defined]
            run.error_alerts.append(el.alert.body[:200])  # type: ignore[attr-defined]
        elif etype == "alert" and run is not None and el.alert.format == Alert.WARNING:  # type: ignore[attr-defined]
            run.warnings.append(el.alert.body[:200])  # type: ignore[attr-defined]
