"""效能评估: departments × five dimensions with the composite, deductions and change; a
department's radar against the district; click a cell → that dimension's indicators → the
records behind one; the provincial platform's scores beside the computed ones."""

import streamlit as st

from charts.common import dimension_bars, dimension_radar
from charts.scorecard import indicator_scores, provincial_bars, provincial_dots, score_heatmap
from dashboard.kit import cache, definitions, filters, plots, records, tables, url_state
from dashboard.kit.escape import escape_md
from dashboard.kit.page import page
from dashboard.labels import t
from dashboard.screens.scorecard import tables as score_tables
from metrics.periods import parse_period_key
from metrics.views import scorecard as views

ctx = page("scorecard")
f, request = ctx.filters, ctx.request
result = ctx.result()
config = cache.engine().config
dims = views.dimension_ids(config)  # id -> name
dim_names = list(dims.values())
scope = ctx.unit_name(f.dept)

st.title(f"{t('nav.scorecard')} · {escape_md(scope)}")
filters.period_caption(f, result, previous=True)

# ---- heatmap: departments × dimensions, composite, deductions, change (only a scored period:
# an incomplete one left unscored has no scores to draw, and says so once)


def _pick_cell() -> None:
    picked = plots.selected_points(st.session_state.get("sc_heatmap"))
    if not picked:
        return
    code, _, dim_id = str(picked[0]).partition("|")
    st.session_state["f_dept"] = code or filters.ALL
    url_state.put("dim", dim_id or None)
    url_state.clear("indicator")


if not result.scored:
    st.info(t("trust.not_scored"), icon=":material/info:")
else:
    matrix = views.score_matrix(result, config)
    top = st.columns([5, 1.3, 1])
    top[0].caption(t("scorecard.heatmap_hint"))
    ranked = top[1].toggle(t("scorecard.rank_toggle"), key="sc_rank", help=t("scorecard.rank_help"))
    with top[2]:
        definitions.popover(text=t("scorecard.score_definition"), key="sc_def_scores")
    fig = plots.kept(score_heatmap, matrix, dims, ranked=ranked, highlight=f.dept, district_label=t("scorecard.district_row"),
                        title=t("scorecard.heatmap_title"))
    plots.chart(fig, key="sc_heatmap", on_select=_pick_cell, selection_mode="points")
    with st.expander(t("scorecard.score_table"), icon=":material/table:"):
        tables.table(score_tables.score_table(matrix, dim_names, ranked=ranked), t("scorecard.score_table"), key="sc_scores",
                 placeholder="—", column_config=tables.score_format(*dim_names, *[tables.header(c) for c in (
                     "deductions", "composite", "previous_composite", "composite_change")]))

    # ---- a department against the district
    st.subheader(t("scorecard.radar_header"))
    district_row = matrix[matrix["dept_code"] == ""].iloc[0]
    r1, r2 = st.columns(2)
    with r1:
        if f.dept and f.dept in set(matrix["dept_code"]):
            row = matrix[matrix["dept_code"] == f.dept].iloc[0]
            plots.chart(plots.kept(dimension_radar, dim_names, {scope: [row[d] for d in dim_names],
                                                        t("common.district"): [district_row[d] for d in dim_names]},
                                            title=t("scorecard.radar_title", name=scope)), key="sc_radar")
        else:
            plots.chart(plots.kept(dimension_bars, dim_names, [district_row[d] for d in dim_names],
                                           title=t("scorecard.district_dims_title")), key="sc_district_dims")
            st.caption(t("scorecard.pick_dept_hint"))
    with r2:
        st.markdown(f"**{t('scorecard.dims_change')}**")
        tables.table(score_tables.dim_change_table(matrix, f.dept or "", dim_names), f"{scope}_维度较上期", key="sc_dim_change",
                 placeholder="—")

# ---- drill: dimension → indicators → records
st.subheader(t("scorecard.drill_header"))
d1, d2 = st.columns(2)
with d1:
    dim_id = url_state.select(t("scorecard.drill_dim"), list(dims), key="sc_dim", param="dim",
                                placeholder=t("scorecard.drill_dim_placeholder"), format_func=lambda k: dims.get(k, k),
                                clears=("indicator",))
if dim_id is None:
    tables.empty(t("scorecard.drill_pick_dim"))
else:
    own = f.dept if f.dept in result.departments else None
    indicators = views.dimension_indicators(result, config, own, dim_id)
    names = dict(zip(indicators["indicator"], indicators["indicator_name"], strict=True))
    with d2:
        indicator = url_state.select(t("scorecard.drill_indicator"), list(names), key="sc_ind",
                                       param="indicator", placeholder=t("scorecard.drill_indicator_placeholder"),
                                       format_func=lambda k: names.get(k, k))
    st.caption(t("scorecard.drill_scope", scope=scope, dim=dims[dim_id], period=f.label))
    tables.table(score_tables.indicator_table(indicators), f"{scope}_{dims[dim_id]}_指标", key="sc_ind_table",
             placeholder="—", height=35 * len(indicators) + 40)

    def _pick_indicator() -> None:
        picked = plots.selected_points(st.session_state.get("sc_ind_chart"))
        if picked:
            url_state.put("indicator", str(picked[0]))

    c1, c2 = st.columns([2, 3])
    with c1:
        plots.chart(plots.kept(indicator_scores, indicators, title=t("scorecard.indicator_chart", dim=dims[dim_id]),
                                         scope_label=scope),
                        key="sc_ind_chart", on_select=_pick_indicator, selection_mode="points")
    with c2:
        if indicator is None:
            tables.empty(t("scorecard.drill_indicator_placeholder"))
        else:
            definitions.popover(indicator, key="sc_ind_def")
            records.records_table(request, own, indicator, key="sc_records", scope=scope)

# ---- provincial platform


def _period_name(key: str | None) -> str:
    """An evaluation period as people say it (2026年上半年), not its key (2026H1)."""
    period = parse_period_key(key or "")
    return period.label if period is not None else str(key or "")


st.subheader(t("scorecard.provincial_header"))
definitions.popover(text=t("scorecard.provincial_definition"), key="sc_def_prov")
available = cache.view(views.provincial_periods)
key = views.period_key(f.date_from, f.date_to)
wide = cache.view(views.provincial_wide, request)
if not available:
    tables.empty(t("scorecard.provincial_not_imported"))
elif wide.empty:
    tables.empty(f"{t('scorecard.provincial_none')}{t('scorecard.provincial_available', periods='、'.join(map(_period_name, available)))}")
else:
    p1, p2 = st.columns([3, 2])
    with p1:
        plots.chart(plots.kept(provincial_dots, wide, title=t("scorecard.provincial_all_title", period=_period_name(key)),
                                        highlight=f.dept), key="sc_prov_all")
    with p2:
        if f.dept and f.dept in set(wide["dept_code"]):
            row = wide[wide["dept_code"] == f.dept].iloc[0]
            plots.chart(plots.kept(provincial_bars, dim_names, [row[f"{d}_computed"] for d in dim_names],
                                            [row[f"{d}_provincial"] for d in dim_names],
                                            title=t("scorecard.provincial_dept_title", name=scope, period=_period_name(key))),
                            key="sc_prov_dept")
        else:
            st.caption(t("scorecard.pick_dept_hint"))
    headers = {f"{d}_{k}": t(f"scorecard.provincial_{k}", dim=d) for d in dim_names for k in ("computed", "provincial")}
    headers.update(computed_mean=t("scorecard.computed_mean"), provincial_mean=t("scorecard.provincial_mean"))
    tables.table(wide.drop(columns=["dept_code"]).rename(columns=headers).round(1),
             f"省平台评估对照_{key}", key="sc_prov_table", placeholder="—",
             column_config=tables.score_format(*headers.values()))
