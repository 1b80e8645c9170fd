"""The pages of the app, by section: one list that the entry file turns into ``st.navigation``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard.labels import t
from data.accounts import ADMIN, DEPT_USER, DISPLAY, LEADER, Principal

EVERYONE = frozenset({LEADER, ADMIN, DEPT_USER, DISPLAY})

VIEWS = Path(__file__).resolve().parent / "views"


@dataclass(frozen=True)
class PageSpec:
    file: str  # dashboard/views/<file>
    label: str  # label key in the nav section of labels.toml
    icon: str
    section: str
    url_path: str
    roles: frozenset[str] = EVERYONE


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview.py", "overview", ":material/dashboard:", "section_overview", "overview"),
    PageSpec("process.py", "process", ":material/timer:", "section_overview", "process"),
    PageSpec("channels.py", "channels", ":material/devices:", "section_overview", "channels"),
    PageSpec("routes.py", "routes", ":material/alt_route:", "section_overview", "routes"),
    PageSpec("present.py", "present", ":material/slideshow:", "section_overview", "present"),
    PageSpec("scorecard.py", "scorecard", ":material/grid_on:", "section_overview", "scorecard"),
    PageSpec("weak_links.py", "weak_links", ":material/report:", "section_overview", "weak-links"),
    PageSpec("cases.py", "cases", ":material/gavel:", "section_mechanisms", "cases"),
    PageSpec("ledger.py", "ledger", ":material/assignment_late:", "section_mechanisms", "ledger"),
    PageSpec("negative_list.py", "negative_list", ":material/list_alt:", "section_mechanisms", "negative-list"),
    PageSpec("credit.py", "credit", ":material/verified_user:", "section_mechanisms", "credit"),
    PageSpec("tasks.py", "tasks", ":material/task_alt:", "section_overview", "tasks"),
    PageSpec("self_check.py", "self_check", ":material/rule:", "section_mechanisms", "self-check",
             frozenset({DEPT_USER, ADMIN, LEADER})),
    PageSpec("data_quality.py", "data_quality", ":material/fact_check:", "section_admin", "data-quality"),
    PageSpec("import.py", "import", ":material/upload_file:", "section_admin", "import", frozenset({ADMIN})),
    PageSpec("users.py", "users", ":material/manage_accounts:", "section_admin", "users", frozenset({ADMIN})),
    PageSpec("settings.py", "settings", ":material/tune:", "section_admin", "settings", frozenset({ADMIN})),
    PageSpec("audit.py", "audit", ":material/history:", "section_admin", "audit", frozenset({ADMIN})),
)
LOGIN = PageSpec("login.py", "login", ":material/login:", "section_overview", "login")


def available(specs: tuple[PageSpec, ...] = PAGES, role: str | None = None) -> tuple[PageSpec, ...]:
    """The pages whose script exists (and that ``role`` may open, when given)."""
    return tuple(s for s in specs if (VIEWS / s.file).exists() and (role is None or role in s.roles))


def allowed(file: str, p: Principal | None) -> bool:
    """Whether ``p`` may open the page ``file`` (pages check this again themselves)."""
    return p is not None and any(s.file == file and p.role in s.roles for s in PAGES)


def login_page() -> st.Page:  # type: ignore[valid-type]
    return st.Page(VIEWS / LOGIN.file, title=t("auth.title"), icon=LOGIN.icon, url_path=LOGIN.url_path, default=True)


def build(p: Principal) -> dict[str, list[st.Page]]:  # type: ignore[valid-type]
    """The pages ``p`` may open as ``st.Page`` objects grouped by section, the first the default."""
    sections: dict[str, list[st.Page]] = {}  # type: ignore[valid-type]
    for i, spec in enumerate(available(role=p.role)):
        page = st.Page(
            VIEWS / spec.file, title=t(f"nav.{spec.label}"), icon=spec.icon,
            url_path=spec.url_path, default=(i == 0),
        )
        sections.setdefault(t(f"nav.{spec.section}"), []).append(page)
    return sections
