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
