"""The one preamble of every page: :func:`page` checks that the signed-in principal may open
it and that the database holds data (else it stops, saying why), and returns the page's
context — who asks, the filter bar's selection, the metrics request, the department shown.

A page script starts ``ctx = page("process")`` and then only reads ``ctx``, asks
:mod:`dashboard.kit.cache` for numbers and renders them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import streamlit as st

from dashboard.kit import application, cache, filters
from dashboard.kit.filters import Filters
from dashboard.labels import t
from dashboard.navigation import allowed
from data import clock
from data.accounts import Principal
from metrics.coverage import Coverage
from metrics.directory import Directory
from metrics.results import MetricsRequest, MetricsResult


@dataclass(frozen=True)
class PageContext:
    """What a data page is about."""

    principal: Principal
    filters: Filters
    units: Directory  # the departments and streets the principal may choose
    request: MetricsRequest  # the filter bar's period and street, for the district (dept None)
    dept: str | None  # the department shown: the filter's, or a department user's own (never
    # the restricted engine's own data labelled as the district)

    @property
    def dept_name(self) -> str:
        """The shown department's name ("" for the district)."""
        return self.units.name(self.dept) if self.dept else ""

    @property
    def dept_request(self) -> MetricsRequest:
        """:attr:`request` narrowed to the filter bar's department."""
        return replace(self.request, dept=self.filters.dept)

    def unit_name(self, code: str | None) -> str:
        """A department's or street's name; 全区 for None."""
        return self.units.name(code) if code else t("common.district")

    def result(self) -> MetricsResult:
        """Indicators, scores and weak links of :attr:`request` (cached per data version)."""
        return cache.compute(self.request)


def require_role(page_name: str) -> Principal:
    """The signed-in principal; stops the page (with the reason) unless it may open ``page_name``."""
    p = cache.principal()
    if p is None or not allowed(page_name, p):
        st.warning(t("auth.forbidden"), icon=":material/lock:")
        st.stop()
    assert p is not None
    return p


def require_data(units: Directory) -> bool:
    """False (after saying why) when the database holds no data yet."""
    if units.empty:
        st.info(f"**{t('app.no_data_title')}**\n\n{t('app.no_data_hint')}", icon=":material/database:")
        return False
    return True


def page(page_name: str, *, with_preamble: bool = True) -> PageContext:
    """The context of the data page ``page_name`` (see :mod:`dashboard.navigation`), once it
    may go on: stops it, saying why, unless the principal may open it and there is data.
    Without ``with_preamble`` the page says 数据截至 itself (a projected slide, in its footer)."""
    p = require_role(page_name)
    units = cache.units()
    if not require_data(units):
        st.stop()
    f = filters.current()
    assert f is not None, "the sidebar draws the filter bar whenever there is data"
    ctx = PageContext(p, f, units, f.request, p.dept if p.is_department else f.dept)
    if with_preamble:
        preamble(ctx)
    return ctx


def coverage_line(cov: Coverage, dept: str | None = None, dept_name: str = "") -> tuple[str, str | None]:
    """数据截至 in words: the data's end with each table's latest record, and (for ``dept``)
    the department's own latest records where they are earlier."""
    parts = [f"{tc.label} {tc.latest:%Y-%m-%d}" for tc in cov.tables if tc.latest is not None]
    end = f"{cov.end:%Y-%m-%d}" if cov.end else t("common.no_value")
    line = t("trust.data_end", day=end) + (f"（{' · '.join(parts)}）" if parts else "")
    own = None
    if dept is not None:
        behind = [f"{tc.label} {day:%Y-%m-%d}" for tc in cov.tables for code, day in tc.departments if code == dept]
        if behind:
            own = t("trust.own_behind", dept=dept_name or dept, items=" · ".join(behind))
    return line, own


def preamble(ctx: PageContext) -> None:
    """What every data page says first: 数据截至 (per table, and the shown department's own
    where it differs), 数据不完整 for a period ending after the data, and whose view a
    department user sees; and an application link (``app``) the principal may not open."""
    f = ctx.filters
    line, own = coverage_line(cache.data_coverage(), ctx.dept, ctx.dept_name)
    st.caption(f":material/event_available: {line}" + (f"；{own}" if own else ""), help=t("trust.data_end_help"))
    if f.incomplete and f.data_end is not None:
        key = "trust.incomplete_scored" if f.score_incomplete else "trust.incomplete"
        st.warning(t(key, to=f"{f.date_to:%Y-%m-%d}", end=f"{f.data_end:%Y-%m-%d}"), icon=":material/hourglass_empty:")
    if ctx.principal.is_department:
        st.caption(f":material/badge: {t('trust.own_view_note', dept=ctx.dept_name)}")
    application.link_check(ctx.request)


def judged_today_caption(as_of: date | None = None) -> date:
    """Say that live work is judged at today (Asia/Shanghai), the indicators (if any on the
    page) at ``as_of``; returns today."""
    today = clock.today_local()
    day = f"{today:%Y-%m-%d}"
    text = t("trust.judged_today", day=day, as_of=f"{as_of:%Y-%m-%d}") if as_of else t("trust.judged_today_only", day=day)
    st.caption(f":material/today: {text}")
    return today
