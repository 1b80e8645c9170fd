"""The pages of the app, by section: one list that the entry file turns into ``st.navigation``.

A page is named by its folder ``dashboard/screens/<page>/``, whose ``page.py`` is the page
script (see :func:`script`); the URL path is given here, so every script may be ``page.py``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import streamlit as st

from dashboard.labels import t
from data.accounts import ADMIN, DEPT_USER, DISPLAY, LEADER, Principal

EVERYONE = frozenset({LEADER, ADMIN, DEPT_USER, DISPLAY})

HERE = Path(__file__).resolve().parent
SCREENS = HERE / "screens"
SCRIPT = "page.py"


@dataclass(frozen=True)
class PageSpec:
    page: str  # the folder dashboard/screens/<page>/ holding its page.py
    label: str  # label key in the nav section of labels.toml
    icon: str
    section: str
    url_path: str
    roles: frozenset[str] = EVERYONE
    period: bool = True  # about a period: the sidebar shows the filter bar (not on 用户管理 etc.)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "overview", ":material/dashboard:", "section_overview", "overview"),
    PageSpec("process", "process", ":material/timer:", "section_overview", "process"),
    PageSpec("channels", "channels", ":material/devices:", "section_overview", "channels"),
    PageSpec("routes", "routes", ":material/alt_route:", "section_overview", "routes"),
    PageSpec("present", "present", ":material/slideshow:", "section_overview", "present"),
    PageSpec("scorecard", "scorecard", ":material/grid_on:", "section_overview", "scorecard"),
    PageSpec("weak_links", "weak_links", ":material/report:", "section_overview", "weak-links"),
    PageSpec("cases", "cases", ":material/gavel:", "section_mechanisms", "cases"),
    PageSpec("ledger", "ledger", ":material/assignment_late:", "section_mechanisms", "ledger"),
    PageSpec("negative_list", "negative_list", ":material/list_alt:", "section_mechanisms", "negative-list"),
    PageSpec("credit", "credit", ":material/verified_user:", "section_mechanisms", "credit"),
    PageSpec("screening", "screening", ":material/policy:", "section_mechanisms", "screening"),
    PageSpec("tasks", "tasks", ":material/task_alt:", "section_overview", "tasks"),
    PageSpec("alerts", "alerts", ":material/notifications_active:", "section_mechanisms", "alerts"),
    PageSpec("self_check", "self_check", ":material/rule:", "section_mechanisms", "self-check",
             frozenset({DEPT_USER, ADMIN, LEADER})),
    PageSpec("meetings", "meetings", ":material/groups:", "section_admin", "meetings", frozenset({ADMIN, LEADER})),
    PageSpec("data_quality", "data_quality", ":material/fact_check:", "section_admin", "data-quality"),
    PageSpec("data_import", "import", ":material/upload_file:", "section_admin", "import", frozenset({ADMIN}),
             period=False),
    PageSpec("users", "users", ":material/manage_accounts:", "section_admin", "users", frozenset({ADMIN}),
             period=False),
    PageSpec("settings", "settings", ":material/tune:", "section_admin", "settings", frozenset({ADMIN}),
             period=False),
    PageSpec("audit", "audit", ":material/history:", "section_admin", "audit", frozenset({ADMIN}),
             period=False),
)
LOGIN = PageSpec("login", "login", ":material/login:", "section_overview", "login")


def script(page: str) -> str:
    """The page script of ``page`` relative to the entry file's folder (what ``st.page_link``
    and ``st.switch_page`` take): ``screens/<page>/page.py``."""
    return f"{SCREENS.name}/{page}/{SCRIPT}"


def available(specs: tuple[PageSpec, ...] = PAGES, role: str | None = None) -> tuple[PageSpec, ...]:
    """The pages whose script exists (and that ``role`` may open, when given)."""
    return tuple(s for s in specs if (HERE / script(s.page)).exists() and (role is None or role in s.roles))


def has_period(url_path: str) -> bool:
    """Whether the page at ``url_path`` is about a period (shows the filter bar); a path of
    no listed page (a refused one's is listed) counts as one."""
    return next((s.period for s in PAGES if s.url_path == url_path), True)


def allowed(page: str, p: Principal | None) -> bool:
    """Whether ``p`` may open ``page`` (pages check this again themselves)."""
    return p is not None and any(s.page == page and p.role in s.roles for s in PAGES)


def login_page() -> st.Page:  # type: ignore[valid-type]
    return st.Page(HERE / script(LOGIN.page), title=t("auth.title"), icon=LOGIN.icon, url_path=LOGIN.url_path,
                   default=True)


def signed_out(form: Callable[[PageSpec], None]) -> list[st.Page]:  # type: ignore[valid-type]
    """Signed out: the 登录 page (default) and, hidden, every page's URL showing ``form`` for
    that page — a shared link keeps its address (and query) through sign-in, and the page's
    URL hash is the real page's, so the same address opens it once signed in."""
    pages = [login_page()]
    for spec in available():
        pages.append(st.Page(partial(form, spec), title=t(f"nav.{spec.label}"), icon=spec.icon,
                             url_path=spec.url_path))
    return pages


def build(p: Principal, refused: Callable[[str], Callable[[], None]] | None = None
          ) -> dict[str, list[st.Page]]:  # type: ignore[valid-type]
    """The pages ``p`` may open as ``st.Page`` objects grouped by section, the first the default;
    with ``refused``, the paths of the other pages lead to hidden pages ``refused(page)`` (that
    say 无权访问 and log the attempt) instead of Streamlit's "Page not found"."""
    sections: dict[str, list[st.Page]] = {}  # type: ignore[valid-type]
    for i, spec in enumerate(available(role=p.role)):
        page = st.Page(
            HERE / script(spec.page), title=t(f"nav.{spec.label}"), icon=spec.icon,
            url_path=spec.url_path, default=(i == 0),
        )
        sections.setdefault(t(f"nav.{spec.section}"), []).append(page)
    if refused is not None and sections:
        last = list(sections.values())[-1]
        for spec in available():
            if p.role not in spec.roles:
                last.append(st.Page(refused(spec.page), title=t("auth.forbidden_title"), icon=":material/lock:",
                                    url_path=spec.url_path, visibility="hidden"))
    return sections
