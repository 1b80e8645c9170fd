"""短板清单 (AppTest on the demo data): every planted weak link is in the list of 2026Q3, the
page filters narrow it, a selected link (URL ``link``) explains itself and opens its
records, the meeting export is a titled workbook, a department user sees only its own."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.fixtures.apptest import as_role, assert_clean, frame, open_page, page_text

PAGE = "weak_links.py"
PLANTED = {  # department, indicator, reason as the list shows them (2026Q3)
    ("区文化广电旅游体育局", "应报未报案例数（通报候选）", "应报未报"),
    ("区应急管理局", "重点督办逾期未整改数", "重点督办逾期"),
    ("区住房城乡建设局", "按时办结率", "低于60分"),
    ("区交通运输局", "办事指南及时更新率", "低于60分"),
    ("区人力资源社会保障局", "办件数据完整率", "低于60分"),
    ("礼乐街道", "网上申办率", "低于60分"),
}


def _list(app: AppTest) -> pd.DataFrame:
    return frame(app, "说明")


def test_planted_weak_links_are_listed(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3")
    assert_clean(app)
    assert app.title[0].value == "短板清单 · 全区"
    links = _list(app)
    shown = set(zip(links["部门名称"], links["指标名称"], links["原因"], strict=True))
    assert shown >= PLANTED
    assert list(links["严重程度"]) == sorted(links["严重程度"], key=lambda s: s != "严重")  # 严重 first
    unreported = links[links["原因"] == "应报未报"].iloc[0]
    assert unreported["严重程度"] == "严重" and unreported["数值"] == "1"
    assert "本期为 1 件" in unreported["说明"] and "扣 2 分" in unreported["说明"]
    guide = links[links["指标名称"] == "办事指南及时更新率"].iloc[0]
    assert guide["数值"] == "0.0%" and guide["全区值"].endswith("%")  # formatted with components.fmt
    assert len(app.get("plotly_chart")) == 2
    assert any(getattr(m, "label", None) == "会议导出（Excel）" for m in app.get("download_button"))


def test_filters_on_the_page(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3")
    total = len(_list(app))
    app.multiselect(key="wl_sev").set_value(["严重"]).run()
    serious = _list(app)
    assert 0 < len(serious) < total and set(serious["严重程度"]) == {"严重"}
    app.multiselect(key="wl_dim").set_value(["制度宣传保障"]).run()
    assert set(_list(app)["评估维度"]) == {"制度宣传保障"}
    app.multiselect(key="wl_dept").set_value(["JH011"]).run()
    assert_clean(app)
    assert list(_list(app)["指标名称"]) == ["办事指南及时更新率"]
    app.multiselect(key="wl_sev").set_value(["一般"]).run()
    assert any("当前筛选条件下没有短板" in i.value for i in app.info)


def test_selected_link_explains_itself_and_opens_records(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3", link="JH010.unreported_count")
    assert_clean(app)
    text = page_text(app)
    assert "区文化广电旅游体育局 · 监管手段 · 应报未报案例数（通报候选）" in text
    assert "原因：应报未报" in text
    records = frame(app, "线索编号")
    assert len(records) == 1 and records.iloc[0]["部门名称"] == "区文化广电旅游体育局"
    assert "部门编码" not in records.columns  # names on screen, codes only in the downloads
    assert records.iloc[0]["核查结论"] == "属实" and records.iloc[0]["责任单位已填报"] == "否"


def test_slow_review_link_records_are_applications(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3", link="JH009.on_time_rate")
    assert_clean(app)
    records = frame(app, "办件编号")
    assert len(records) > 10 and (records["超期办结"] == "是").all()


def test_unknown_link_says_why(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3", link="JH999.on_time_rate")
    assert_clean(app)
    assert any("不存在" in i.value for i in app.info)


def test_department_user_sees_own_links(app: AppTest) -> None:
    as_role(app, "部门用户", "JH014")
    open_page(app, PAGE, period="2026Q3")
    assert_clean(app)
    links = _list(app)
    assert set(links["部门名称"]) == {"区人力资源社会保障局"}
    assert "办件数据完整率" in set(links["指标名称"])


def test_meeting_workbook() -> None:
    from dashboard.screens.weak_links import tables as parts

    links = pd.DataFrame([
        {"dept_code": "D1", "dept_name": "一局", "dimension": "办事流程", "indicator": "on_time_rate",
         "indicator_name": "按时办结率", "value": 0.5, "score": 0.0, "district_value": 0.9, "previous_value": None,
         "previous_score": None, "reason": "低于60分", "severity": "严重"},
        {"dept_code": "D2", "dept_name": "二局", "dimension": "监管手段", "indicator": "unreported_count",
         "indicator_name": "应报未报案例数（通报候选）", "value": 3, "score": None, "district_value": 3,
         "previous_value": 1, "previous_score": None, "reason": "应报未报", "severity": "严重"},
    ])
    data = parts.meeting_workbook(links, period="2026年第三季度", as_of="2026-09-30")
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "市场准入效能短板清单"
    assert "2026年第三季度" in ws["A2"].value and "共 2 条短板" in ws["A2"].value
    headers = [c.value for c in ws[4]]
    assert headers[:4] == ["严重程度", "部门名称", "评估维度", "指标名称"] and headers[-1] == "说明"
    assert [c.value for c in ws[5]][:5] == ["严重", "一局", "办事流程", "按时办结率", "50.0%"]
    assert ws["G5"].value == "90.0%" and ws["H5"].value == "无数据"
    assert "本期为 3 件" in ws["J6"].value
    assert ws["A5"].font.color.rgb.endswith("C8161D")  # 严重 rows in red
    assert ws.freeze_panes == "A5"
