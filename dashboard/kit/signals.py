"""Hidden-barrier signals wherever a page mentions them (the 隐性壁垒筛查 page and the
overview's count): the screen of the page's period for the principal, which signals already
became cases, and the count of those still waiting, with a link to the page.

The screen runs on the principal's engine (a department user: its own records, its own
items only); the cases made from signals are read fresh on every run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from dashboard import navigation
from dashboard.kit import cache, fresh
from dashboard.kit.page import PageContext
from dashboard.labels import t
from metrics.screening.model import ScreeningRequest, ScreeningResult
from metrics.views import screening as sv

Links = Mapping[str, Sequence[tuple[str, str | None]]]


def request(ctx: PageContext) -> ScreeningRequest:
    """The screen of the filter bar's period and as_of, for the department shown (a
    department user: always its own) or the district."""
    f = ctx.filters
    return ScreeningRequest(f.date_from, f.date_to, f.as_of, ctx.dept)


def screen(ctx: PageContext) -> tuple[ScreeningResult, Links]:
    """The page's screen and, per signal key, the cases made from it."""
    result = cache.view(sv.screen, request(ctx))
    links = fresh.signal_cases(tuple(sv.key_of(result, s) for s in result.signals))
    return result, links


def overview_count(ctx: PageContext) -> None:
    """The number of signals not yet turned into a case, linked to the screening page."""
    result, links = screen(ctx)
    waiting = sv.open_signals(result, links)
    box = st.container(border=True, key="ov_screening")
    c1, c2 = box.columns([1, 3], vertical_alignment="center")
    c1.metric(t("screening.overview_metric"), f"{len(waiting)}", help=t("screening.overview_help"))
    with c2:
        st.caption(t("screening.overview_caption", total=len(result.signals), cased=len(result.signals) - len(waiting)))
        st.page_link(navigation.script("screening"), label=t("screening.overview_link"), icon=":material/policy:")
