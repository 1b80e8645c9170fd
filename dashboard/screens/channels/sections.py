"""Sections of the 服务渠道 page (rendering only: every figure comes from ``metrics`` through
:mod:`dashboard.kit.cache`)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from charts.channels import CHANNEL_COLORS, RATING_COLORS, VISIT_COLORS, distribution, monthly_mix
from charts.common import department_bars, trend_window_start
from charts.mix import unit_mix
from dashboard.kit import application, cache, compare, definitions, indicator_text, plots, tables, url_state
from dashboard.kit.filters import Filters
from dashboard.kit.scope import Scope
from dashboard.labels import t
from metrics.results import MetricsRequest, MetricsResult
from metrics.views import channels as cv

KPIS = ("online_rate", "mobile_rate", "zero_visit_rate", "one_visit_rate", "avg_visits", "good_rating_rate",
        "bad_rating_count", "online_item_rate", "full_online_item_rate")
COMPARE = ("online_rate", "mobile_rate", "zero_visit_rate", "one_visit_rate", "avg_visits", "good_rating_rate",
           "bad_rating_count", "online_item_rate", "full_online_item_rate")
STREET_COMPARE = ("online_rate", "mobile_rate", "zero_visit_rate", "one_visit_rate", "good_rating_rate")
LIST_LIMIT = 300


def department_compare(result: MetricsResult, s: Scope) -> None:
    compare.department_compare(result, s, COMPARE, prefix="ch", header=t("channels.depts_header"),
                             label=t("channels.compare"))


def streets(request: MetricsRequest, street: str | None) -> None:
    st.subheader(t("channels.street_header"))
    table = cache.view(cv.street_channels, request)
    district, streets_ = table[table["street_code"] == ""], table[table["street_code"] != ""]
    if streets_.empty:
        tables.empty(t("channels.street_none"))
        return
    c1, c2 = st.columns([3, 1])
    with c2:
        ind = st.selectbox(t("channels.street_pick"), STREET_COMPARE, key="ch_street_ind", format_func=indicator_text.name)
        definitions.popover(ind, key="ch_street_def")
        st.caption(t("channels.street_note"))
    cfg = indicator_text.config().indicator(ind)
    with c1:
        if streets_[ind].notna().any():
            fig = plots.kept(department_bars,
                streets_, ind, unit=cfg.unit, district=district[ind].iloc[0] if len(district) else None,
                highlight=street, title=t("channels.street_title", name=cfg.name), name_col="street_name",
                code_col="street_code",
                adjust=plots.Adjust(room=0.14, layout={"height": 150 + 42 * len(streets_), "bargap": 0.35}))
            plots.chart(fig, key="ch_streets", on_select=partial(url_state.on_pick, "ch_streets", "street"),
                            selection_mode="points")
        else:
            tables.empty()
    shown = tables.indicator_columns(table.drop(columns=["street_code"]), STREET_COMPARE)
    tables.table(shown, "街道渠道指标", key="ch_street_table")


def unit_mixes(request: MetricsRequest, result: MetricsResult, s: Scope, street: str | None) -> None:
    st.subheader(t("channels.units_header"))
    by = st.segmented_control(t("channels.by"), ["dept", "street"], key="ch_by", default="dept",
                              format_func=lambda b: t(f"channels.by_{b}")) or "dept"
    df = cache.view(cv.channel_mix, request, by)
    if df.empty:
        tables.empty()
        return
    fig = plots.kept(unit_mix, df, title=t(f"channels.units_title_{by}"), label_col="channel", code_col="unit_code",
                   name_col="unit_name", highlight=s.dept if by == "dept" else street,
                   colors=CHANNEL_COLORS)
    plots.chart(fig, key=f"ch_mix_{by}", on_select=partial(url_state.on_pick, f"ch_mix_{by}", by),
                    selection_mode="points")
    st.caption(t("channels.units_note"))
    definitions.popover("online_rate", "mobile_rate", key="ch_mix_def")
    shown = tables.percent(df.rename(columns={"share": "channel_share", "count": "apps_count"}), ["channel_share"])
    with st.expander(t("common.records")):
        tables.table(shown.drop(columns=["unit_code"]), "渠道结构", key="ch_mix_table")


def monthly(f: Filters, s: Scope) -> None:
    st.subheader(t("channels.monthly_header"))
    start = trend_window_start(f.date_from, f.date_to)
    df = cache.view(cv.channel_monthly, start, f.date_to, s.dept, f.street)
    if df.empty:
        tables.empty()
        return
    plots.chart(plots.kept(monthly_mix, df, title=t("channels.monthly_title", scope=s.name)), key="ch_monthly")
    c1, c2 = st.columns([3, 1])
    c1.caption(t("channels.monthly_note"))
    with c2:
        definitions.popover("online_rate", key="ch_monthly_def")


def visits_and_ratings(request: MetricsRequest, s: Scope) -> None:
    left, right = st.columns(2)
    with left:
        st.subheader(t("channels.visits_header"))
        visits = cache.view(cv.visit_distribution, request, s.dept)
        if int(visits["count"].sum()) == 0:
            tables.empty()
        else:
            plots.chart(plots.kept(distribution, visits, title=t("channels.visits_title", scope=s.name), label_col="visits",
                                         colors=VISIT_COLORS), key="ch_visits")
            definitions.popover("zero_visit_rate", "one_visit_rate", "avg_visits", key="ch_def_visits")
    with right:
        st.subheader(t("channels.ratings_header"))
        ratings = cache.view(cv.rating_distribution, request, s.dept)
        if int(ratings["count"].sum()) == 0:
            tables.empty()
        else:
            plots.chart(plots.kept(distribution, ratings, title=t("channels.ratings_title", scope=s.name),
                                         label_col="rating_label", colors=RATING_COLORS),
                            key="ch_ratings")
            definitions.popover("good_rating_rate", "bad_rating_count", key="ch_def_ratings")


def bad_ratings(request: MetricsRequest, s: Scope) -> None:
    st.subheader(t("channels.bad_header"))
    frame, total = cache.view(cv.bad_ratings, request, s.dept, LIST_LIMIT)
    if total == 0:
        st.success(t("channels.bad_none"), icon=":material/check_circle:")
        return
    if total > len(frame):
        st.caption(t("channels.list_truncated", total=total, shown=len(frame)))
    definitions.popover("bad_rating_count", key="ch_bad_def")
    application.record_table(request, frame, f"差评清单_{s.name}", key="ch_bad")


def items(request: MetricsRequest, s: Scope) -> None:
    st.subheader(t("channels.items_header"))
    table = cache.view(cv.item_channels, request, s.dept)
    if table.empty:
        tables.empty()
        return
    st.caption(t("channels.items_caption", scope=s.name))
    definitions.popover("online_item_rate", "full_online_item_rate", key="ch_items_def")
    gap = table[table["online_available"] & (table["submitted"] > 0) & (table["online_share"] < 0.5)]
    if len(gap):
        st.warning(t("channels.items_gap", n=len(gap)), icon=":material/warning:")
    shown = tables.percent(table, ["online_share", "zero_visit_share"])
    tables.table(shown.drop(columns=["dept_code"]), f"事项网办能力_{s.name}", key="ch_items")
