"""Sections of the 隐性壁垒筛查 page (rendering only: the screen, the records and the case
request come from ``metrics`` through :mod:`dashboard.kit.cache`; the case is made by
``data.screening_cases``)."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from charts.screening import group_shares, group_values
from dashboard import navigation
from dashboard.kit import cache, definitions, plots, tables, url_state
from dashboard.kit.application import application_detail
from dashboard.kit.signals import Links
from dashboard.labels import has, t
from data import screening_cases
from data.accounts import Principal
from metrics.screening.model import (
    LOCAL_LABEL,
    NONLOCAL_LABEL,
    ScreeningRequest,
    ScreeningResult,
    Signal,
)
from metrics.screening.output import effect_text, group_text, p_text, value_text
from metrics.screening_rules import KINDS, TESTED_KINDS, ScreeningRules
from metrics.views import screening as sv

SIGNAL, APP = "signal", "app_id"
"""Query parameters: the selected signal (``kind:item_code``) and application (``app_id``)."""


def param(s: Signal) -> str:
    return f"{s.kind}:{s.item_code}"


def case_state(result: ScreeningResult, s: Signal, links: Links) -> str:
    """待转为问题线索, or the open case (已转为线索 SCR-…), or the last closed one."""
    cases = links.get(sv.key_of(result, s), [])
    open_ = sv.open_case_of(cases)
    if open_ is not None:
        return t("screening.state_open", case=open_[0], status=open_[1])
    if cases:
        return t("screening.state_closed", case=cases[-1][0], status=cases[-1][1] or t("screening.none"))
    return t("screening.state_new")


# ---------------------------------------------------------------- what the screen is


def intro(result: ScreeningResult, rules: ScreeningRules, street: str | None) -> None:
    st.warning(t("screening.lead_note"), icon=":material/policy:")
    if street:
        st.caption(t("screening.street_note"))
    st.caption(t("screening.settings_line", prefix=result.local_prefix, area=area_name(result.local_prefix),
                 min_group=rules.min_group, fdr=f"{rules.fdr:g}", rate=f"{rules.min_rate_gap * 100:g}",
                 days=f"{rules.min_days_gap:g}", visits=f"{rules.min_visits_gap:g}"))


def area_name(prefix: str) -> str:
    """江海区 / 江门市 / 广东省 for the three prefixes the settings offer, else the code."""
    key = f"screening.area_{prefix}"
    return t(key) if has(key) else prefix


def summary(result: ScreeningResult, rules: ScreeningRules, links: Links) -> None:
    """Signals per kind (with the items tested) and per kind and department."""
    st.subheader(t("screening.summary_header"))
    cols = [*st.columns(3), *st.columns(3)]  # five kinds, named in full: three to a row
    for col, kind in zip(cols, KINDS, strict=False):
        n = sum(1 for s in result.signals if s.kind == kind)
        tested = result.tested.get(kind)
        col.metric(rules.kind_name(kind), f"{n}", border=True,
                   help=t("screening.tested_help", tested=tested) if tested is not None else t("screening.lifted_help"))
    waiting = len(sv.open_signals(result, links))
    st.caption(t("screening.summary_caption", total=len(result.signals), waiting=waiting))
    if not result.signals:
        st.success(t("screening.no_signals"), icon=":material/check_circle:")
        return
    frame = pd.DataFrame([{"dept_name": s.dept_name, "kind": rules.kind_name(s.kind)} for s in result.signals])
    pivot = frame.pivot_table(index="dept_name", columns="kind", aggfunc="size", fill_value=0)
    pivot = pivot.reindex(columns=[rules.kind_name(k) for k in KINDS if rules.kind_name(k) in pivot.columns])
    pivot[t("screening.col_total")] = pivot.sum(axis=1)
    shown = pivot.reset_index().sort_values(t("screening.col_total"), ascending=False, kind="stable")
    with st.expander(t("screening.by_dept_header"), expanded=True):
        tables.table(shown, "筛查线索_按部门", key="scr_by_dept", height=min(320, 35 * len(shown) + 38))


# ---------------------------------------------------------------- the signals of each kind


def signal_frame(result: ScreeningResult, signals: Sequence[Signal], links: Links) -> pd.DataFrame:
    rows = [{
        t("screening.col_dept"): s.dept_name, t("screening.col_item"): s.item_name,
        t("screening.col_case"): case_state(result, s, links),
        t("screening.col_nonlocal"): group_text(s.kind, s.nonlocal_),
        t("screening.col_local"): group_text(s.kind, s.local),
        t("screening.col_effect"): effect_text(s), t("screening.col_p"): p_text(s.p_value),
        t("screening.col_q"): p_text(s.q_value), t("screening.col_records"): s.records,
    } for s in signals]
    return pd.DataFrame(rows)


def kind_lists(result: ScreeningResult, rules: ScreeningRules, links: Links) -> None:
    """Per kind: its name, its 口径说明, and its signals as a table whose selected row is the
    ``signal`` query parameter."""
    st.subheader(t("screening.lists_header"))
    st.caption(t("screening.lists_hint"))
    current = url_state.get(SIGNAL)
    for kind in KINDS:
        signals = [s for s in result.signals if s.kind == kind]
        head = st.container(horizontal=True, vertical_alignment="center")
        head.markdown(f"**{rules.kind_name(kind)}**（{len(signals)}）")
        with head:
            definitions.popover(text=rules.kinds[kind].definition, key=f"scr_def_{kind}")
        if kind in TESTED_KINDS:
            st.caption(t("screening.tested_caption", tested=result.tested.get(kind, 0), n=len(signals)))
        if not signals:
            st.caption(t("screening.kind_none"))
            continue
        ids = [param(s) for s in signals]
        widget = f"scr_list_{kind}_{zlib.crc32('|'.join(ids).encode()):08x}"

        def picked(widget: str = widget, ids: list[str] = ids) -> None:
            rows = st.session_state[widget].selection.rows
            url_state.put(SIGNAL, ids[rows[0]] if rows else None, clear=(APP,))

        shown = signal_frame(result, signals, links)
        if kind not in TESTED_KINDS:
            shown = shown.drop(columns=[t("screening.col_nonlocal"), t("screening.col_local"), t("screening.col_p"),
                                        t("screening.col_q")])
        default: Any = {"selection": {"rows": [ids.index(current)]}} if current in ids else None
        st.dataframe(shown, hide_index=True, key=widget, on_select=picked, selection_mode="single-row",
                     selection_default=default, placeholder="—", height=min(300, 35 * len(shown) + 38))
        tables.downloads(shown, f"筛查线索_{rules.kind_name(kind)}", key=f"scr_dl_{kind}")


# ---------------------------------------------------------------- one signal


def detail(p: Principal, request: ScreeningRequest, result: ScreeningResult, rules: ScreeningRules,
           links: Links, s: Signal) -> None:
    """One signal: both groups side by side, their chart, effect p q, the case action."""
    st.subheader(t("screening.detail_header", kind=rules.kind_name(s.kind), item=s.item_name))
    st.caption(t("screening.detail_caption", dept=s.dept_name, item_code=s.item_code))
    url_state.back_button(t("screening.back"), SIGNAL, clear=(APP,), key="scr_back")
    if s.kind in TESTED_KINDS:
        c1, c2, c3 = st.columns([1, 1, 1])
        for col, label, g in ((c1, t("screening.nonlocal"), s.nonlocal_), (c2, t("screening.local"), s.local)):
            col.metric(label, value_text(s.kind, g.value if g else None), border=True,
                       help=t("screening.group_help", n=g.n if g else 0))
            col.caption(t("screening.group_n", n=g.n if g else 0))
        c3.metric(t("screening.effect"), effect_text(s), border=True,
                  help=t("screening.gap_help", gap=gap_text(s.kind, rules)))
        c3.caption(t("screening.pq", p=p_text(s.p_value), q=p_text(s.q_value), fdr=f"{rules.fdr:g}"))
        chart(request, s, rules)
    else:
        st.metric(t("screening.lifted_metric"), f"{int(s.effect)}", border=True)
    definitions.popover(text=rules.kinds[s.kind].definition, key="scr_def_detail")
    case = cache.view(sv.case_request, request, s.kind, s.item_code)
    if case is not None:
        with st.expander(t("screening.summary_preview")):
            st.text(case.summary)
    case_action(p, request, result, links, s)


def gap_text(kind: str, rules: ScreeningRules) -> str:
    if kind in ("nonlocal_rejection", "nonlocal_suspension"):
        return t("screening.effect_points", v=f"{rules.min_rate_gap * 100:g}")
    if kind == "nonlocal_time":
        return t("screening.effect_days", v=f"{rules.min_days_gap:g}")
    return t("screening.effect_visits", v=f"{rules.min_visits_gap:g}")


def chart(request: ScreeningRequest, s: Signal, rules: ScreeningRules) -> None:
    dist = cache.view(sv.distribution, request, s.kind, s.item_code)
    if dist.empty:
        tables.empty()
        return
    title = t("screening.chart_title", item=s.item_name)
    if s.kind in sv.VALUE_COLUMN:
        axis = t("screening.axis_days") if s.kind == "nonlocal_time" else t("screening.axis_visits")
        fig = plots.kept(group_values, dist, title=title, axis=axis, statistic="median" if s.kind == "nonlocal_time" else "mean")
    else:
        axis = t("screening.axis_rejected") if s.kind == "nonlocal_rejection" else t("screening.axis_suspended")
        fig = plots.kept(group_shares, dist, title=title, axis=axis)
    plots.chart(fig, key="scr_chart")


def case_action(p: Principal, request: ScreeningRequest, result: ScreeningResult, links: Links, s: Signal) -> None:
    """转为问题线索 once per open signal; then 已转为线索 SCR-… and a link to it in 案例线索."""
    cases = links.get(sv.key_of(result, s), [])
    open_ = sv.open_case_of(cases)
    row = st.container(horizontal=True, vertical_alignment="center", key="scr_case_row")
    if open_ is not None:
        row.button(t("screening.case_made", case=open_[0]), disabled=True, key="scr_case_done",
                   icon=":material/task_alt:")
        with row:
            st.page_link(navigation.script("cases"), label=t("screening.case_link", case=open_[0]),
                         icon=":material/gavel:", query_params={"case": open_[0]})
        st.caption(t("screening.case_open_note", status=open_[1]))
        return
    if cases:
        st.caption(t("screening.case_closed_note", cases="、".join(f"{c}（{st_ or '—'}）" for c, st_ in cases)))
    may = not p.read_only and p.may_see(s.dept_code)
    clicked = row.button(t("screening.case_button"), type="primary", key="scr_case_make", disabled=not may,
                         icon=":material/add_task:")
    if not may:
        st.caption(t("screening.case_not_allowed"))
    made = st.session_state.pop("_scr_case_error", None)
    if made:
        st.error(made, icon=":material/error:")
    if clicked:
        make_case(p, request, s)


def make_case(p: Principal, request: ScreeningRequest, s: Signal) -> None:
    case = cache.view(sv.case_request, request, s.kind, s.item_code)
    if case is None:
        st.session_state["_scr_case_error"] = t("screening.case_gone")
    else:
        try:
            with cache.database().session() as session:
                screening_cases.create_case(session, p, case)
        except screening_cases.ScreeningCaseError as err:
            st.session_state["_scr_case_error"] = str(err)
        else:
            cache.invalidate()
    st.rerun()


# ---------------------------------------------------------------- the applications behind it


def records(request: ScreeningRequest, s: Signal) -> None:
    """Both groups' applications (外地 first), selectable: a row opens the application."""
    st.subheader(t("screening.records_header"))
    df = cache.view(sv.records, request, s.kind, s.item_code)
    if df.empty:
        tables.empty(t("screening.records_empty"))
        return
    counts = df["applicant_group"].value_counts()
    st.caption(t("screening.records_caption", n=len(df), nonlocal_=int(counts.get(NONLOCAL_LABEL, 0)),
                 local=int(counts.get(LOCAL_LABEL, 0))))
    name = f"筛查线索明细_{s.item_name}"
    tidied = tables.capped(_tidy(df), name, key="scr_rec")
    shown, drawn = tables.drawn_data(tidied)
    ids: list[str] = df["app_id"].head(len(shown)).astype(str).tolist()
    widget = f"scr_records_{zlib.crc32('|'.join(ids).encode()):08x}"
    current = url_state.get(APP)

    def picked() -> None:
        rows = st.session_state[widget].selection.rows
        url_state.put(APP, ids[rows[0]] if rows else None)

    default: Any = {"selection": {"rows": [ids.index(current)]}} if current in ids else None
    st.caption(t("screening.records_hint"))
    st.dataframe(drawn, hide_index=True, key=widget, on_select=picked, selection_mode="single-row",
                 selection_default=default, placeholder="—", height=min(420, 35 * len(shown) + 38))
    tables.downloads(shown, name, key="scr_rec_dl")
    if current in ids:
        st.subheader(t("screening.app_header"))
        application_detail(cache.view(sv.application_record, request, current), request.effective_as_of,
                           key="scr_app")


def _tidy(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in ("submitted_at", "accepted_at", "completed_at"):
        stamps = pd.to_datetime(out[col], errors="coerce")
        out[col] = stamps.dt.strftime("%Y-%m-%d %H:%M").astype("string")
    return out


def unknown_signal() -> None:
    st.info(t("screening.signal_unknown"), icon=":material/info:")


def pick_hint() -> None:
    st.info(t("screening.pick_hint"), icon=":material/touch_app:")
