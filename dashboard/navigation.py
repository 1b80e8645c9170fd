"""The pages of the app, by section: one list that the entry file turns into ``st.navigation``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from dashboard.labels import t

VIEWS = Path(__file__).resolve().parent / "views"


@dataclass(frozen=True)
class PageSpec:
    file: str  # dashboard/views/<file>
    label: str  # label key in the nav section of labels.toml
    icon: str
    section: str
    url_path: str


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
    PageSpec("data_quality.py", "data_quality", ":material/fact_check:", "section_admin", "data-quality"),
    PageSpec("import.py", "import", ":material/upload_file:", "section_admin", "import"),
)


def available(specs: tuple[PageSpec, ...] = PAGES) -> tuple[PageSpec, ...]:
    """The pages whose script exists (pages are added issue by issue)."""
    return tuple(s for s in specs if (VIEWS / s.file).exists())


def build() -> dict[str, list[st.Page]]:  # type: ignore[valid-type]
    """``st.Page`` objects grouped by section title, the first page the default."""
    sections: dict[str, list[st.Page]] = {}  # type: ignore[valid-type]
    for i, spec in enumerate(available()):
        page = st.Page(
            VIEWS / spec.file, title=t(f"nav.{spec.label}"), icon=spec.icon,
            url_path=spec.url_path, default=(i == 0),
        )
        sections.setdefault(t(f"nav.{spec.section}"), []).append(page)
    return sections
