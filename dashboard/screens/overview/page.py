"""总览: headline figures with change, monthly trends, departments against the district,
the five-dimension scores and the top weak links — each a click from its detail."""

import streamlit as st

from charts.common import department_bars, dimension_bars, dimension_radar, trend_lines, trend_window_start
from dashboard import navigation
from dashboard.kit import cache, definitions, filters, indicator_text, kpi, lights, plots, signals, tables
from dashboard.kit.escape import escape_md
from dashboard.kit.page import page
from dashboard.labels import t
from metrics.lights import RED, YELLOW
from metrics.tables import HEADLINE_INDICATORS, department_scores, department_values, weak_link_table

ctx = page("overview")
f = ctx.filters
result = ctx.result()
year_ago = cache.year_ago(ctx.dept_request)
cfg = indicator_text.config()
scope_name = ctx.unit_name(f.dept)

st.title(f"{t('nav.overview')} · {escape_md(scope_name)}")
filters.period_caption(f, result, previous=True, year_ago=year_ago)

# today's lights (judged at today, not at the period's as_of) → 预警中心
light_day, alert_totals = lights.totals(dept=ctx.dept)
alert_row = st.container(horizontal=True, vertical_alignment="center")
alert_row.markdown(f"**{t('alerts.overview_today', day=light_day.isoformat())}**　"
                   + "　".join(lights.light_text(x, alert_totals[x]) for x in (RED, YELLOW)))
alert_row.page_link(navigation.script("alerts"), label=t("alerts.overview_open"), icon=":material/notifications_active:",
                    query_params={"dept": ctx.dept} if ctx.dept else None)

# headline figures
st.caption("指标卡下方为较上期与同比变化；悬停问号查看口径说明。")
kpi.grid(result, HEADLINE_INDICATORS, f.dept, per_row=3, year_ago=year_ago)
signals.overview_count(ctx)

# trends
st.subheader("月度趋势")
trend_from = trend_window_start(f.date_from, f.date_to)
tcols = st.columns(3)
trends = cache.trend_lines(HEADLINE_INDICATORS, trend_from, f.date_to, f.street, f.dept or None)
for i, ind in enumerate(HEADLINE_INDICATORS):
    district_line, unit_line = trends[ind]
    lines = {t("common.district"): district_line}
    if unit_line is not None:
        lines[scope_name] = unit_line
    with tcols[i % 3]:
        plots.chart(plots.kept(trend_lines, lines, unit=cfg.indicator(ind).unit, title=indicator_text.name(ind)),
                        key=f"trend_{ind}")

# departments against the district
st.subheader("各部门对比")
c1, c2 = st.columns([3, 1])
with c2:
    compare = st.selectbox("对比指标", ["composite", *HEADLINE_INDICATORS], key="ov_compare",
                           format_func=lambda i: t("columns.composite") if i == "composite" else indicator_text.name(i))
    if compare != "composite":
        definitions.popover(compare, key="ov_def")
    st.caption(t("common.click_hint"))
if compare == "composite":
    df = department_scores(result, cfg)
    district_scores = cache.engine().scores_of(result.district)
    fig = plots.kept(department_bars, df, "composite", unit="score", district=district_scores.composite,
                          title=t("columns.composite"), highlight=f.dept)
else:
    df = department_values(result, [compare])
    ind_cfg = cfg.indicator(compare)
    fig = plots.kept(department_bars, df, compare, unit=ind_cfg.unit, district=result.district.get(compare),
                          title=ind_cfg.name, highlight=f.dept, higher_is_better=ind_cfg.direction != "down")


def _pick_department() -> None:
    picked = plots.selected_points(st.session_state.get("ov_depts"))
    if picked:
        st.session_state["f_dept"] = picked[0]


with c1:
    if compare == "composite" and not result.scored:
        st.info(t("trust.not_scored"), icon=":material/hourglass_empty:")
    elif df[compare].notna().any():
        plots.chart(fig, key="ov_depts", on_select=_pick_department, selection_mode="points")
    else:
        tables.empty()

# five dimensions
st.subheader("五维效能评分")
dims = [d.name for d in cfg.dimensions]
district_sc = cache.engine().scores_of(result.district)
d1, d2 = st.columns(2)
with d1:
    if not result.scored:  # 数据不完整: the period is left unscored
        st.info(t("trust.not_scored"), icon=":material/hourglass_empty:")
    elif f.dept:
        sc = result.scores[f.dept]
        plots.chart(plots.kept(dimension_radar, dims, {scope_name: [sc.dimensions.get(d) for d in dims],
                                               t("common.district"): [district_sc.dimensions.get(d) for d in dims]},
                                        title="维度得分与全区对比"), key="ov_radar")
    else:
        plots.chart(plots.kept(dimension_bars, dims, [district_sc.dimensions.get(d) for d in dims],
                                       title="全区维度得分"), key="ov_dims")
with d2:
    scores = department_scores(result, cfg)
    if f.dept:
        scores = scores[scores["dept_code"] == f.dept]
    tables.table(scores.drop(columns=["dept_code"]), "效能评分", key="ov_scores", height=320)

# weak links
st.subheader("主要短板")
links = weak_link_table(result)
if f.dept:
    links = links[links["dept_code"] == f.dept]
if not result.scored:
    st.info(t("trust.not_scored"), icon=":material/hourglass_empty:")
elif links.empty:
    st.success("当前时段未发现短板。", icon=":material/check_circle:")
else:
    shown = links.head(10).assign(
        value=[indicator_text.fmt(i, v) for i, v in zip(links.head(10)["indicator"], links.head(10)["value"], strict=True)],
        district_value=[indicator_text.fmt(i, v) for i, v in zip(links.head(10)["indicator"], links.head(10)["district_value"], strict=True)],
    )
    tables.table(shown, "主要短板", key="ov_links",
             columns=["dept_name", "dimension", "indicator_name", "value", "district_value", "score", "reason", "severity"])
    st.caption(f"共 {len(links)} 条短板。")
