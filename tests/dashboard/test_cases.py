"""案例线索 (AppTest on the demo data): headline figures, the breakdowns, the flow with its
overdue cases, the case list filtered by a clicked bar (URL ``grp`` / ``step`` + ``kind``),
one case whole (URL ``case``) with user-entered text shown as text, never as markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.fixtures.apptest import as_role, assert_clean, click_chart, frame, open_page, page_text
from tests.fixtures.imports import HOSTILE, import_case

PAGE = "cases.py"
def test_cases_page_on_demo_data(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3")
    assert_clean(app)
    assert app.title[0].value == "案例线索 · 全区"
    assert {m.label for m in app.metric} >= {"线索数", "线索按时转办率", "逾期未整改数", "应报未报案例数（通报候选）"}
    months = frame(app, "接收件数")
    assert list(months["分组"]) == ["2026-07", "2026-08", "2026-09"]
    flow = frame(app, "用时中位数（工作日）")
    assert list(flow["环节"]) == ["接收", "转办", "核查", "整改", "办结"]
    assert flow.iloc[0]["完成件数"] == months["接收件数"].sum()
    cases = frame(app, "线索编号")
    assert len(cases) == months["接收件数"].sum()
    assert len(app.get("plotly_chart")) == 2


@pytest.mark.parametrize("by, first", [("source", "行政执法"), ("category", "违规审批禁止准入事项"), ("dept", None),
                                       ("street", None)])
def test_breakdowns(app: AppTest, by: str, first: str | None) -> None:
    open_page(app, PAGE, period="2026H1")
    app.segmented_control(key="cs_by").set_value(by).run()
    assert_clean(app)
    table = frame(app, "接收件数")
    assert table["接收件数"].sum() == len(frame(app, "线索编号"))
    if first:
        assert table.iloc[0]["分组"] == first
    else:
        counts = table["接收件数"].tolist()
        assert counts == sorted(counts, reverse=True)


def test_group_filter_by_url(app: AppTest) -> None:
    open_page(app, PAGE, period="2026H1", grp="source:经营主体反映")
    assert_clean(app)
    cases = frame(app, "线索编号")
    assert len(cases) > 0 and set(cases["线索来源"]) == {"经营主体反映"}
    assert any("按来源 · 经营主体反映" in c.value for c in app.caption)
    app.button(key="cs_clear").click().run()
    assert "grp" not in app.query_params
    assert len(frame(app, "线索编号")) > len(cases)


def test_flow_bar_click_filters_the_cases(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3")
    click_chart(app, "cs_flow", "整改|pending")  # the 整改 step's pending bar
    assert_clean(app)
    assert (app.query_params["step"], app.query_params["kind"]) == ("整改", "pending")
    cases = frame(app, "线索编号")
    assert len(cases) > 0 and set(cases["进度（基准日）"]) == {"整改中"}
    assert "截至基准日仍在整改环节的案例" in page_text(app)


def test_flow_step_filter_by_url(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3", step="整改", kind="pending")
    assert_clean(app)
    cases = frame(app, "线索编号")
    assert len(cases) > 0 and set(cases["进度（基准日）"]) == {"整改中"}
    waited = cases["已等待（工作日）"].tolist()
    assert waited == sorted(waited, reverse=True)
    assert "截至基准日仍在整改环节的案例" in page_text(app)


def test_transfer_overdue_cases(app: AppTest) -> None:
    open_page(app, PAGE, period="2025", step="转办", kind="overdue")
    assert_clean(app)
    cases = frame(app, "线索编号")
    assert len(cases) > 0
    assert all(v > 5 for v in cases["转办用时（工作日）"].dropna())  # later than 5 working days
    flow = frame(app, "用时中位数（工作日）").set_index("环节")
    assert int(flow.loc["转办", "超期件数"]) == len(cases)


def test_case_detail_by_url(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3", case="XS202600009")  # the planted overdue key case (any period)
    assert_clean(app)
    fields = frame(app, "字段").set_index("字段")["内容"]
    assert fields["部门名称"] == "区应急管理局" and fields["重点督办"] == "是"
    assert fields["整改时限"] == "2026-08-31" and fields["整改完成日期"] == "（无）"
    assert any("整改逾期：已超过整改时限 30 天" in w.value for w in app.warning)
    assert any("危险化学品经营许可" in t.value for t in app.text)


def test_unknown_case_says_why(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3", case="XS000")
    assert_clean(app)
    assert any("没有找到编号为该值的案例" in i.value for i in app.info)


def test_user_text_is_shown_as_text(app: AppTest, demo_db_url: str, tmp_path: Path) -> None:
    import_case(demo_db_url, tmp_path, summary=HOSTILE, responsible_person="**某人** <b>")
    open_page(app, PAGE, period="2026Q3", case="XS209900001")
    assert_clean(app)
    assert HOSTILE in [t.value for t in app.text]  # st.text: shown as typed
    assert all("<script>" not in m.value for m in app.markdown)
    fields = frame(app, "字段").set_index("字段")["内容"]
    assert fields["责任人"] == "**某人** <b>"  # a dataframe cell: plain text
    cases = frame(app, "线索编号")
    assert HOSTILE in set(cases["问题摘要"])


def test_department_user_sees_own_cases(app: AppTest) -> None:
    as_role(app, "部门用户", "JH010")
    open_page(app, PAGE, period="2026Q3", case="XS202600009")  # another department's case
    assert_clean(app)
    cases = frame(app, "部门名称")  # the case list (the 待办 list above it has 线索编号 too)
    assert set(cases["部门名称"]) == {"区文化广电旅游体育局"}
    assert any("没有找到编号为该值的案例" in i.value for i in app.info)
