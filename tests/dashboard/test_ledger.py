"""督查督办台账 (AppTest on the demo data): the planted overdue key case of 区应急管理局 is the
first, highlighted row at 2026Q3; the 通报候选 of 区文化广电旅游体育局 (six over 2025-01 ..
2026-09, one in 2026Q3); a case opens by URL; a department user sees its own ledger only."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.fixtures.apptest import as_role, assert_clean, frame, open_page, pin_today

PAGE = "ledger.py"


def _ledger_styles(app: AppTest) -> str:
    """The CSS the ledger's Styler sent to the browser."""
    for df in app.dataframe:
        if "提示" in df.value.columns:
            return str(df.proto.arrow_data.styler.styles)
    raise AssertionError("no ledger")


def test_overdue_key_case_first_and_highlighted(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    pin_today(monkeypatch, "2026-09-30")  # deadlines are judged at today: the period's last day here
    open_page(app, PAGE, period="2026Q3")
    assert_clean(app)
    assert app.title[0].value == "督查督办台账 · 全区"
    ledger = frame(app, "提示")
    first = ledger.iloc[0]
    assert first["部门名称"] == "区应急管理局" and first["整改时限"].isoformat() == "2026-08-31"
    assert first["提示"] == "逾期 30 天" and first["逾期天数"] == 30
    assert first["责任人"].startswith("何志强") and "危险化学品经营许可" in first["整改任务"]
    assert (ledger["提示"] == "逾期 30 天").sum() == 1  # the only overdue key case
    styles = _ledger_styles(app)
    assert "_row0_col0" in styles.split("background-color: #fbe3e4")[0]  # row 0 (late) in red
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["重点督办逾期未整改数"] == "1" and metrics["重点督办案例"] == str(len(ledger))


def test_notification_candidates_over_a_long_period(app: AppTest) -> None:
    open_page(app, PAGE, period="custom", **{"from": "2025-01-01", "to": "2026-09-30"})
    assert_clean(app)
    cands = frame(app, "线索来源")
    assert len(cands) == 6 and set(cands["部门名称"]) == {"区文化广电旅游体育局"}
    assert set(cands["责任单位已填报"]) == {"否"} and "部门自查" not in set(cands["线索来源"])
    assert len(app.get("plotly_chart")) == 1


def test_candidates_of_a_quarter(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3")
    cands = frame(app, "线索来源")
    assert list(cands["部门名称"]) == ["区文化广电旅游体育局"]
    assert cands.iloc[0]["线索来源"] == "国家部委转办"


def test_case_detail_from_the_ledger(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q3", case="XS202600009")
    assert_clean(app)
    fields = frame(app, "字段").set_index("字段")["内容"]
    assert fields["线索编号"] == "XS202600009" and fields["进度（基准日）"] == "整改中"
    assert any("整改逾期" in w.value for w in app.warning)


def test_no_candidates_explains_itself(app: AppTest) -> None:
    open_page(app, PAGE, period="2026Q2")
    assert_clean(app)
    assert any("本期没有通报候选案例" in i.value for i in app.info)


def test_department_user_sees_own_ledger(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    pin_today(monkeypatch, "2026-09-30")
    as_role(app, "部门用户", "JH012")
    open_page(app, PAGE, period="2026Q3")
    assert_clean(app)
    ledger = frame(app, "提示")
    assert set(ledger["部门名称"]) == {"区应急管理局"} and ledger.iloc[0]["提示"] == "逾期 30 天"
