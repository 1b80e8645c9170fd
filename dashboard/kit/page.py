"""The one preamble of every page: :func:`page` checks that the signed-in principal may open
it and that the database holds data (else it stops, saying why), and returns the page's
context — who asks, the filter bar's selection, the metrics request, the department shown.

A page script starts ``ctx = page("process")`` and then only reads ``ctx``, asks
:mod:`dashboard.kit.cache` for numbers and renders them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from dashboard.kit import cache, filters
from dashboard.kit.filters import Filters
from dashboard.labels import t
from dashboard.navigation import allowed
from data.accounts import Principal
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


def page(page_name: str) -> PageContext:
    """The context of the data page ``page_name`` (see :mod:`dashboard.navigation`), once it
    may go on: stops it, saying why, unless the principal may open it and there is data."""
    p = require_role(page_name)
    units = cache.units()
    if not require_data(units):
        st.stop()
    f = filters.current()
    assert f is not None, "the sidebar draws the filter bar whenever there is data"
    request = MetricsRequest(f.date_from, f.date_to, f.as_of, None, f.street)
    return PageContext(p, f, units, request, p.dept if p.is_department else f.dept)
