"""The sections of the 负面清单落实 page (its tabs).

Each tab shows a figure with its 口径, the gaps as a downloadable table and, for the
department chosen in the filter bar (or picked in a chart), its own records.  The disclosure
element picked in the element chart is the page's drill parameter ``nl_element``.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

import streamlit as st

from charts.common import department_bars
from charts.negative_list import channel_heatmap, element_heatmap
from dashboard.kit import cache, definitions, kpi, plots, tables
from dashboard.kit.filters import Filters
from dashboard.kit.plots import first_customdata as _first_point
from dashboard.labels import t
from data.contract import DISCLOSURE_CHANNELS
from metrics.results import MetricsResult
from metrics.tables import department_values
from metrics.views import negative_list as views

KPIS = ("disclosure_rate", "mapping_rate", "guide_update_rate", "channel_coverage", "nl_coverage")
ELEMENT_PARAM = "nl_element"
ELEMENT_NAMES = [name for _, name in views.ELEMENTS]


def _own_dept() -> str | None:
    """A department user's own department (its engine holds only its own records)."""
    p = cache.principal()
    return p.dept if p is not None and p.is_department else None


def pick(chart_key: str, param: str | None = None) -> None:
    """Chart callback: the picked point's first customdata value sets the department filter
    and, with ``param``, its second value sets that drill parameter."""
    data = _first_point(st.session_state.get(chart_key))
    if not data:
        return
    st.session_state["f_dept"] = str(data[0])
    if param is not None and len(data) > 1:
        st.session_state[param] = str(data[1])


def version_banner(version: dict[str, Any], as_of: dt.date) -> None:
    if version["version"] is None:
        st.warning(t("negative_list.no_version", as_of=f"{as_of:%Y-%m-%d}"), icon=":material/warning:")
        return
    c1, c2 = st.columns([4, 1], vertical_alignment="center")
    c1.info(t("negative_list.version_line", version=version["version"],
              effective=f"{version['effective_date']:%Y-%m-%d}", licensing=version["nl_licensing"],
              prohibited=version["nl_prohibited"], as_of=f"{as_of:%Y-%m-%d}"), icon=":material/list_alt:")
    with c2.popover(t("negative_list.versions"), icon=":material/history:"):
        st.caption(t("negative_list.version_rule"))
        tables.table(cache.view(views.version_table, as_of), "负面清单版本", key="nl_versions")


def kpis(result: MetricsResult, dept: str | None, as_of: dt.date) -> None:
    cols = st.columns(len(KPIS))
    for col, ind in zip(cols, KPIS, strict=True):
        with col:
            kpi.of(result, ind, None if ind == "nl_coverage" else dept)  # 清单覆盖率 is the district's only
            if ind == "channel_coverage" and not dept:  # the district's value pools every department's records
                st.caption(t("negative_list.channel_coverage_pooled"))
    if dept:
        st.caption(t("negative_list.nl_coverage_district"))
    # the figure a leader asks: departments on all three channels (全区, a published aggregate)
    full = cache.published(views.channel_completeness, as_of)
    st.metric(t("negative_list.all_channels_depts"), f"{full['all_channels']} / {full['departments']}",
              help=t("negative_list.all_channels_help", gaps=full["gaps"]), border=True, width="content")


def _dept_note(dept: str | None, dept_name: str) -> None:
    if dept:
        st.caption(t("negative_list.dept_note", dept=dept_name))
    else:
        st.caption(t("common.click_hint"))


def channels(f: Filters, dept: str | None, dept_name: str) -> None:
    st.markdown(t("negative_list.channels_intro"))
    definitions.popover("channel_coverage", key="nl_def_channels")
    pub = cache.view(views.publication, f.as_of)
    summary = cache.view(views.publication_summary, f.as_of)
    own = _own_dept()
    if own:  # a department user's engine holds its own disclosures only: show no one else's row
        pub, summary = pub[pub["dept_code"] == own], summary[summary["dept_code"] == own]
    if pub.empty or pub["nl_version"].isna().all():
        tables.empty(t("negative_list.no_version_short"))
        return
    plots.chart(plots.kept(channel_heatmap, pub, list(DISCLOSURE_CHANNELS), title=t("negative_list.channels_title")),
                    key="nl_channels_chart", on_select=partial(pick, "nl_channels_chart"), selection_mode="points")
    _dept_note(dept, dept_name)
    gaps = summary[summary["nl_channels"] < len(DISCLOSURE_CHANNELS)]
    st.markdown(f"**{t('negative_list.channel_gaps')}**")
    if gaps.empty:
        st.success(t("negative_list.channel_gaps_none"), icon=":material/check_circle:")
    else:
        tables.table(gaps, "负面清单公开渠道缺口", key="nl_channel_gaps",
                 columns=["dept_name", "nl_channels", "nl_missing_channels", "nl_first_published", "nl_max_publish_wd"])
    st.markdown(f"**{t('negative_list.channel_detail', scope=dept_name or t('common.district'))}**")
    rows = pub if not dept else pub[pub["dept_code"] == dept]
    tables.table(rows, "负面清单公开记录", key="nl_channel_rows",
             columns=["dept_name", "nl_channel", "nl_version", "nl_published", "published_date", "nl_publish_wd", "url"])


def _bars(result: MetricsResult, indicator: str, title: str, dept: str | None, key: str) -> None:
    """Departments against the district for one ratio indicator; a click picks the department."""
    df = department_values(result, [indicator])
    if not df[indicator].notna().any():
        tables.empty(t("negative_list.no_licensing_items"))
        return
    # room for the value written beside a full bar
    fig = plots.kept(department_bars, df, indicator, unit="ratio", district=result.district.get(indicator), title=title,
                     highlight=dept, adjust=plots.Adjust(xaxes={"range": [0, 122], "ticksuffix": "%"}))
    plots.chart(fig, key=key, on_select=partial(pick, key), selection_mode="points")


def mapping(f: Filters, result: MetricsResult, dept: str | None, dept_name: str) -> None:
    st.markdown(t("negative_list.mapping_intro"))
    definitions.popover("mapping_rate", key="nl_def_mapping")
    gaps = cache.view(views.mapping_gaps, f.as_of, dept)
    c1, c2 = st.columns([3, 2])
    with c1:
        _bars(result, "mapping_rate", t("negative_list.mapping_title"), dept, "nl_mapping_chart")
        _dept_note(dept, dept_name)
    with c2:
        st.markdown(f"**{t('negative_list.mapping_points')}**")
        lines = [t("negative_list.mapping_point", dept=r.dept_name, item=r.item_name, issues=r.nl_issues)
                 for r in gaps.head(8).itertuples()]
        st.markdown("\n".join(lines) if lines else t("negative_list.mapping_gaps_none"))
    st.markdown(f"**{t('negative_list.mapping_gaps', scope=dept_name or t('common.district'), n=len(gaps))}**")
    if gaps.empty:
        st.success(t("negative_list.mapping_gaps_none"), icon=":material/check_circle:")
    else:
        tables.table(gaps, "许可事项对应缺口", key="nl_mapping_gaps",
              columns=["dept_name", "item_name", "nl_issues", "item_code", "nl_list_code", "power_code", "license_code"])
    unmapped = cache.view(views.unmapped_list_items, f.as_of)
    st.markdown(f"**{t('negative_list.unmapped_title', n=len(unmapped))}**")
    definitions.popover("nl_coverage", key="nl_def_coverage")
    st.caption(t("negative_list.unmapped_note"))
    tables.table(unmapped, "未对应政务服务事项的许可准入类清单事项", key="nl_unmapped", height=360,
          columns=["nl_list_code", "item_no", "name", "authority", "measures"])


def elements(dept: str | None, dept_name: str) -> None:
    st.markdown(t("negative_list.elements_intro"))
    definitions.popover("disclosure_rate", key="nl_def_elements")
    matrix = cache.view(views.element_matrix)
    if matrix.empty:
        tables.empty(t("negative_list.no_licensing_items"))
        return
    plots.chart(plots.kept(element_heatmap, matrix, ELEMENT_NAMES, title=t("negative_list.elements_title")),
                    key="nl_elements_chart", on_select=partial(pick, "nl_elements_chart", ELEMENT_PARAM),
                    selection_mode="points")
    _dept_note(dept, dept_name)
    element = st.columns([1, 3])[0].selectbox(
        t("negative_list.element_pick"), ["", *ELEMENT_NAMES], key=ELEMENT_PARAM, bind="query-params",
        format_func=lambda e: e or t("negative_list.element_all"))
    gaps = cache.view(views.disclosure_gaps, dept)
    if element:
        gaps = gaps[gaps["nl_missing_elements"].str.contains(element, regex=False)]
    scope = " · ".join(x for x in (dept_name or t("common.district"), element) if x)
    st.markdown(f"**{t('negative_list.element_gaps', scope=scope, n=len(gaps))}**")
    if gaps.empty:
        st.success(t("negative_list.element_gaps_none"), icon=":material/check_circle:")
    else:
        tables.table(gaps, "公开要素缺失的许可事项", key="nl_element_gaps",
              columns=["dept_name", "item_code", "item_name", "nl_pub_count", "nl_missing_elements"])


def guides(f: Filters, result: MetricsResult, dept: str | None, dept_name: str) -> None:
    st.markdown(t("negative_list.guides_intro"))
    definitions.popover("guide_update_rate", key="nl_def_guides")
    status = cache.view(views.guide_status, f.as_of)
    c1, c2 = st.columns([3, 2])
    with c1:
        _bars(result, "guide_update_rate", t("negative_list.guides_title"), dept, "nl_guides_chart")
        _dept_note(dept, dept_name)
    with c2:
        st.markdown(f"**{t('negative_list.guide_points')}**")
        late = status[status["nl_stale_items"] > 0]
        lines = [t("negative_list.guide_point", dept=r.dept_name, n=r.nl_version_items, stale=r.nl_stale_items,
                   latest=f"{r.nl_latest_guide:%Y-%m-%d}" if r.nl_latest_guide else "—", channels=r.nl_guide_channels)
                 for r in late.head(6).itertuples()]
        st.markdown("\n".join(lines) if lines else t("negative_list.stale_none"))
    st.markdown(f"**{t('negative_list.guide_status')}**")
    st.caption(t("negative_list.guide_status_note"))
    tables.table(status, "办事指南更新情况", key="nl_guide_status",
          columns=["dept_name", "nl_version_items", "nl_stale_items", "nl_guide_share", "nl_latest_guide",
                   "nl_guide_channels"], column_config=tables.column_formats(nl_guide_share="percent"))
    stale = cache.view(views.stale_guides, f.as_of, dept)
    st.markdown(f"**{t('negative_list.stale_title', scope=dept_name or t('common.district'), n=len(stale))}**")
    if stale.empty:
        st.success(t("negative_list.stale_none"), icon=":material/check_circle:")
    else:
        tables.table(stale, "未及时更新的办事指南", key="nl_stale",
              columns=["dept_name", "item_code", "item_name", "nl_list_code", "guide_updated", "nl_version",
                       "effective_date"])
