"""The global filter bar: period preset, as_of, department, street — kept in the URL.

Every filtered view is a link: the bar reads ``st.query_params`` on a session's first run
and writes its values back on every run, so a leader can send the address bar as it is.
Pages read the current selection from their context (:func:`dashboard.kit.page.page`);
:func:`period_text` and :func:`period_caption` say the selected period in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

import streamlit as st

from dashboard.labels import t
from data.clock import today_local
from metrics.directory import Directory
from metrics.periods import (
    KINDS,
    Period,
    PeriodKind,
    parse_period_key,
    period_containing,
    periods_between,
    span_label,
)
from metrics.results import MetricsRequest, MetricsResult, PeriodValues

CUSTOM = "custom"
ALL = ""  # the 全区 / 全部街道 option of the department and street selectors
_KIND_LABELS = {k: t(f"filters.kind_{k}") for k in (*KINDS, CUSTOM)}
_STATE = "_filters"
# query parameter names
QP_PERIOD, QP_FROM, QP_TO, QP_ASOF, QP_DEPT, QP_STREET = "period", "from", "to", "asof", "dept", "street"
FILTER_PARAMS = (QP_PERIOD, QP_FROM, QP_TO, QP_ASOF, QP_DEPT, QP_STREET)
UNIT_WIDGETS = {"dept": "f_dept", "street": "f_street"}  # a unit picked in a chart sets these


@dataclass(frozen=True)
class Filters:
    """The selection every page honours."""

    kind: str  # month | quarter | half | year | custom
    date_from: date
    date_to: date
    as_of: date
    dept: str | None
    street: str | None
    label: str
    data_end: date | None = None  # 数据截至 (the directory's last day)
    score_incomplete: bool = False  # 仍按不完整数据评分 (only offered for an incomplete period)

    @property
    def incomplete(self) -> bool:
        """The period ends after the data (数据不完整)."""
        return self.data_end is not None and self.date_to > self.data_end

    @property
    def as_of_pinned(self) -> bool:
        return self.as_of != self.date_to

    @property
    def request(self) -> MetricsRequest:
        """The metrics request of this selection, for the district (``dept`` None: a page
        narrows it to the department it shows)."""
        return MetricsRequest(self.date_from, self.date_to, self.as_of, None, self.street,
                              score_incomplete=self.score_incomplete)


def _parse_date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def default_period(directory: Directory, kind: PeriodKind = "quarter") -> Period:
    """The newest period of ``kind`` that the data covers completely (else the newest one)."""
    last = directory.last_day or today_local()
    first = directory.first_day or last
    options = periods_between(kind, first, last)
    complete = [p for p in options if p.end <= last]
    return (complete or options)[0]


def _init_from_url(directory: Directory) -> None:
    """Seed the widgets' state from the URL, once per session."""
    qp = st.query_params
    codes = {u.code for u in directory.units}
    period = parse_period_key(qp.get(QP_PERIOD, "")) if qp.get(QP_PERIOD) != CUSTOM else None
    d_from, d_to = _parse_date(qp.get(QP_FROM)), _parse_date(qp.get(QP_TO))
    if qp.get(QP_PERIOD) == CUSTOM and d_from and d_to:
        st.session_state["f_kind"] = CUSTOM
        st.session_state["f_from"], st.session_state["f_to"] = min(d_from, d_to), max(d_from, d_to)
    else:
        period = period or default_period(directory)
        st.session_state["f_kind"] = period.kind
        st.session_state["f_period"] = period.key
    asof = _parse_date(qp.get(QP_ASOF))
    st.session_state["f_asof_pin"] = asof is not None
    if asof:
        st.session_state["f_asof"] = asof
    dept = qp.get(QP_DEPT)
    own = directory.units[0].code if len(directory.units) == 1 else ALL  # a department user: itself
    st.session_state["f_dept"] = dept if dept in codes else own
    street = qp.get(QP_STREET)
    st.session_state["f_street"] = street if street in {u.code for u in directory.streets} else ALL
    st.session_state[_STATE] = True


def render(directory: Directory, own: str | None = None) -> Filters:
    """Draw the filter bar in the sidebar and return the selection (also kept for :func:`current`).

    ``own`` is a department user's department: its only choice (its view is its own,
    never its own records under a 全区 title)."""
    if not st.session_state.get(_STATE):
        _init_from_url(directory)
    last = directory.last_day or today_local()
    first = directory.first_day or last
    sb = st.sidebar
    sb.subheader(t("filters.header"))
    kind = sb.segmented_control(
        t("filters.period_kind"), options=[*KINDS, CUSTOM], format_func=lambda k: _KIND_LABELS[k], key="f_kind",
    ) or "quarter"
    if kind == CUSTOM:
        st.session_state.setdefault("f_from", default_period(directory).start)
        st.session_state.setdefault("f_to", default_period(directory).end)
        # one above the other: side by side, the sidebar's half width cut the date to "2026-07-"
        d_from = sb.date_input(t("filters.date_from"), key="f_from", format="YYYY-MM-DD")
        d_to = sb.date_input(t("filters.date_to"), key="f_to", format="YYYY-MM-DD")
        if d_from > d_to:
            sb.warning(t("filters.bad_range"))
            d_from = d_to
        label = f"{d_from:%Y-%m-%d} 至 {d_to:%Y-%m-%d}"
        period_key = CUSTOM
    else:
        options = periods_between(cast(PeriodKind, kind), first, last)
        keys = [p.key for p in options]
        if st.session_state.get("f_period") not in keys:
            st.session_state["f_period"] = default_period(directory, cast(PeriodKind, kind)).key
        by_key = {p.key: p for p in options}
        chosen = sb.selectbox(t("filters.period"), keys, key="f_period",
                              format_func=lambda k: by_key[k].label + (t("trust.incomplete_mark") if by_key[k].end > last else ""))
        p = by_key[chosen]
        d_from, d_to, label, period_key = p.start, p.end, p.label, p.key
    pinned = sb.toggle(t("filters.as_of"), key="f_asof_pin", help=t("filters.as_of_help"))
    if pinned:
        st.session_state.setdefault("f_asof", d_to)
        as_of = sb.date_input(t("filters.as_of"), key="f_asof", format="YYYY-MM-DD", label_visibility="collapsed")
    else:
        as_of = d_to
    names = directory.names()
    choices = [own] if own is not None else [ALL, *names]
    if st.session_state.get("f_dept") not in choices:
        st.session_state["f_dept"] = choices[0]  # the principal changed (demo role switch)
    dept = sb.selectbox(
        t("filters.dept"), choices, key="f_dept", disabled=own is not None,
        format_func=lambda c: t("filters.all_depts") if c == ALL else names.get(c, c),
    )
    streets = {u.code: u.name for u in directory.streets}
    street = sb.selectbox(
        t("filters.street"), [ALL, *streets], key="f_street",
        format_func=lambda c: t("filters.all_streets") if c == ALL else streets.get(c, c),
    ) if streets else ALL
    end = directory.last_day
    score_incomplete = False
    if end is not None and d_to > end:
        score_incomplete = sb.toggle(t("trust.score_incomplete"), key="f_score_incomplete",
                                     help=t("trust.score_incomplete_help"))
    filters = Filters(str(kind), d_from, d_to, as_of, dept or None, street or None, label, end, score_incomplete)
    _write_url(filters, period_key)
    st.session_state["_current_filters"] = filters
    return filters


def _write_url(f: Filters, period_key: str) -> None:
    wanted: dict[str, str | None] = {
        QP_PERIOD: period_key,
        QP_FROM: f.date_from.isoformat() if period_key == CUSTOM else None,
        QP_TO: f.date_to.isoformat() if period_key == CUSTOM else None,
        QP_ASOF: f.as_of.isoformat() if f.as_of_pinned else None,
        QP_DEPT: f.dept,
        QP_STREET: f.street,
    }
    qp = st.query_params
    for k, v in wanted.items():
        if v is None:
            if k in qp:
                del qp[k]
        elif qp.get(k) != v:
            qp[k] = v


WIDGETS = ("f_kind", "f_from", "f_to", "f_period", "f_asof_pin", "f_asof", "f_dept", "f_street", "f_score_incomplete")


def keep() -> None:
    """Keep the bar's selection through a page that does not draw it (用户管理, 操作日志 …):
    Streamlit forgets the state of a widget not drawn in a run unless it is set again."""
    for key in WIDGETS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def current() -> Filters | None:
    """The selection drawn by :func:`render` in this run (None before the bar was drawn:
    no data yet)."""
    return cast(Filters | None, st.session_state.get("_current_filters"))


def period_text(f: Filters, *, as_of: bool = True) -> str:
    """The period as a caption says it: 2026年第三季度（2026-07-01 至 2026-09-30，评估基准日 …）;
    a custom period (whose label is already its dates) is not repeated."""
    span = "" if f.kind == "custom" else f"{f.date_from:%Y-%m-%d} 至 {f.date_to:%Y-%m-%d}"
    parts = [p for p in (span, f"评估基准日 {f.as_of:%Y-%m-%d}" if as_of else "") if p]
    return f"{f.label}（{'，'.join(parts)}）" if parts else f.label


def period_caption(f: Filters, result: MetricsResult | None = None, *, previous: bool = False,
                   year_ago: PeriodValues | None = None) -> None:
    """The period line under a page title (with 上期 — the calendar period before — and 同比
    named, if asked), and the calendar note when the period needs one."""
    text = period_text(f)
    if previous and result is not None:
        pp = result.previous_period
        text += " · " + t("trust.previous", label=span_label(pp.date_from, pp.date_to))
    if year_ago is not None:
        yp = year_ago.period
        text += " · " + t("trust.year_ago", label=span_label(yp.date_from, yp.date_to))
    st.caption(text)
    if result is not None and result.calendar_note:
        st.warning(result.calendar_note, icon=":material/calendar_month:")


__all__ = ["FILTER_PARAMS", "UNIT_WIDGETS", "WIDGETS", "Filters", "current", "default_period", "keep", "period_caption",
           "period_containing", "period_text", "render"]
