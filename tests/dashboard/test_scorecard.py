"""效能评估 (AppTest on the demo data): the heatmap and score table, the ranking toggle, the
drill dimension → indicators → records by URL and by widget, the provincial comparison, and a
department user's own view."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.fixtures.apptest import as_role, assert_clean, click_chart, frame, open_page, page_text, texts

PAGE = "scorecard.py"


def test_scorecard_on_demo_data(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3")
    assert_clean(app)
    assert app.title[0].value.startswith("效能评估")
    assert app.get("plotly_chart"), "the heatmap is drawn"
    scores = frame(app, "综合得分")
    assert len(scores) == 20  # 19 departments and the district
    assert "名次" not in scores.columns  # ranking off by default
    row = scores[scores["部门名称"] == "区文化广电旅游体育局"].iloc[0]
    assert row["扣分"] == 2.0 and row["应报未报（件）"] == 1  # planted: an unreported case this quarter
    row = scores[scores["部门名称"] == "区应急管理局"].iloc[0]
    assert row["重点督办逾期（件）"] == 1  # planted: the overdue key case
    assert scores.iloc[-1]["部门名称"] == "全区（基准）"
    assert any("数据不足" not in str(v) for v in scores["办事流程"])


def test_ranking_toggle(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3")
    app.toggle(key="sc_rank").set_value(True).run()
    assert_clean(app)
    scores = frame(app, "名次")
    assert scores["名次"].iloc[0] == 1
    ranked = scores["综合得分"].iloc[:-1].dropna().tolist()
    assert ranked == sorted(ranked, reverse=True)


def test_drill_by_url_dimension_indicator_records(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3", dept="JH009", dim="process", indicator="on_time_rate")
    assert_clean(app)
    assert app.title[0].value == "效能评估 · 区住房城乡建设局"
    assert app.selectbox(key="sc_dim").value == "process"
    assert app.selectbox(key="sc_ind").value == "on_time_rate"
    indicators = frame(app, "指标名称")
    on_time = indicators[indicators["指标名称"] == "按时办结率"].iloc[0]
    assert on_time["得分"] == "0.0" and on_time["本期值"].endswith("%")  # planted slow review: JH009 scores 0
    records = frame(app, "办理用时（工作日）")
    assert len(records) > 0
    assert (records["超期办结"] == "是").all()  # the applications that missed the promised limit
    assert "明细记录：按时办结率" in page_text(app)


def test_heatmap_cell_then_indicator_bar_click_drill_down(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3")
    click_chart(app, "sc_heatmap", "JH009|process")  # the 区住房城乡建设局 × 办事流程 cell
    assert_clean(app)
    assert app.query_params["dept"] == "JH009" and app.query_params["dim"] == "process"
    assert app.title[0].value == "效能评估 · 区住房城乡建设局"
    assert "以下为区住房城乡建设局在“办事流程”维度的各项指标" in page_text(app)
    click_chart(app, "sc_ind_chart", "on_time_rate")  # the 按时办结率 bar
    assert_clean(app)
    assert app.query_params["indicator"] == "on_time_rate"
    records = frame(app, "办理用时（工作日）")
    assert len(records) > 0 and (records["超期办结"] == "是").all()
    assert "明细记录：按时办结率" in page_text(app)


def test_drill_by_widgets_writes_the_url(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3", dept="JH011")
    assert "点击热力图中的单元格，或在上方选择评估维度，查看该维度的各项指标。" in texts(app, "info")
    app.selectbox(key="sc_dim").set_value("publicity").run()
    assert app.query_params["dim"] == "publicity"
    app.selectbox(key="sc_ind").set_value("guide_update_rate").run()
    assert_clean(app)
    indicators = frame(app, "指标名称")
    guide = indicators[indicators["指标名称"] == "办事指南及时更新率"].iloc[0]
    assert guide["本期值"] == "0.0%"  # planted stale guides
    records = frame(app, "办事指南更新日期")
    assert len(records) > 0 and set(records["部门名称"]) == {"区交通运输局"}
    # choosing another dimension clears the indicator
    app.selectbox(key="sc_dim").set_value("routes").run()
    assert "indicator" not in app.query_params
    assert_clean(app)


def test_district_row_drill(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3", dim="supervision")
    assert_clean(app)
    indicators = frame(app, "指标名称")
    assert "应报未报案例数（通报候选）" in set(indicators["指标名称"])
    assert "以下为全区在“监管手段”维度的各项指标" in page_text(app)


def test_provincial_scores_side_by_side(app: AppTest) -> None:
    open_page(app, PAGE, period="2026H1", dept="JH009")
    assert_clean(app)
    prov = frame(app, "办事流程（省平台）")
    assert len(prov) == 18  # every department but the 群团组织 JH006, which the platform does not evaluate
    assert {"办事流程（本系统）", "维度均分（省平台）"} <= set(prov.columns)
    app.selectbox(key="f_period").set_value("2026H2").run()  # not evaluated by the platform (yet)
    assert_clean(app)
    assert any("本时段没有导入省平台评估结果" in i.value and "2026年上半年" in i.value and "2026H1" not in i.value for i in app.info)


def test_department_user_sees_itself_and_the_district(app: AppTest) -> None:
    as_role(app, "部门用户", "JH010")
    open_page(app, PAGE, period="2026Q3")
    assert_clean(app)
    scores = frame(app, "综合得分")
    assert list(scores["部门名称"]) == ["区文化广电旅游体育局", "全区（基准）"]


def test_an_unscored_period_says_so_once_instead_of_an_empty_heatmap(app: AppTest) -> None:
    """2026Q4 ends after the data: no heatmap of empty cells and zero deductions, one note;
    the indicators (values, not scores) stay reachable below it."""
    open_page(app, PAGE, period="2026Q4")
    assert_clean(app)
    assert "所选时段数据不完整：不评分、不生成短板。" in texts(app, "info")
    assert not any("综合得分" in d.value.columns for d in app.dataframe)
    assert "sc_rank" not in [w.key for w in app.toggle]  # no ranking of scores there are none of
    assert not [c for c in app.get("plotly_chart") if "sc_heatmap" in str(c.proto.id)]
    assert "维度指标下钻" in [h.value for h in app.subheader]
    assert "sc_dim" in [w.key for w in app.selectbox]
