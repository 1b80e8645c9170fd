"""数据质量 page (AppTest on the demo data, 2026Q3): the completeness heatmap in which the planted
missing timestamps of 区人力资源社会保障局 stand out, a cell drilled to its field gaps and records
(``dept`` + ``dq_month``), the field switch (``dq_field``), reporting volume against the usual
level, the last import per table and the batch history, a department user's own view."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.screens.data_quality import sections as parts
from data.demo.planted import INCOMPLETE_DATA_DEPT
from tests.fixtures.apptest import as_role, assert_clean, click_chart, frame, open_page, texts

PAGE = "data_quality.py"


def visit(app: AppTest, **query: str) -> AppTest:
    return open_page(app, PAGE, **query)


def heatmap(app: AppTest, title_part: str) -> dict[str, Any]:
    """The figure (Plotly JSON) whose title contains ``title_part``."""
    for chart in app.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if title_part in spec["layout"]["title"]["text"]:
            return spec  # type: ignore[no-any-return]
    raise AssertionError(f"no chart titled {title_part}")


def values(data: Any) -> list[Any]:
    """A Plotly JSON array: a list, or a typed array (``bdata``) as Plotly writes numpy arrays."""
    if isinstance(data, dict) and "bdata" in data:
        arr = np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
        if "shape" in data:
            arr = arr.reshape([int(n) for n in str(data["shape"]).split(",")])
        return [[None if np.isnan(v) else float(v) for v in row] for row in arr] if arr.ndim == 2 else arr.tolist()
    return data  # type: ignore[no-any-return]


def test_missing_timestamps_stand_out(app: AppTest) -> None:
    visit(app, period="2026Q3")
    assert_clean(app)
    assert texts(app, "title") == ["数据质量 · 全区"]
    assert [m.label for m in app.metric] == ["办件数据完整率", "疑似漏报月份"]
    assert [t.label for t in app.tabs] == ["数据完整性", "报送量", "导入记录"]
    spec = heatmap(app, "数据完整率（全部字段）")
    cells = spec["data"][0]
    assert len(cells["x"]) == 12  # the twelve months up to the period's end
    rows = dict(zip(cells["y"], values(cells["z"]), strict=True))
    hr = [v for v in rows.pop("区人力资源社会保障局") if v is not None]
    assert len(hr) == 12 and max(hr) < 0.35
    others = [v for row in rows.values() for v in row if v is not None]
    assert sum(others) / len(others) > 0.9
    clicks = spec["data"][-1]  # the invisible markers a click selects: (department, month)
    assert ["JH014", "2026-08"] in clicks["customdata"]


def test_cell_click_drills_to_the_month(app: AppTest) -> None:
    visit(app, period="2026Q3")
    click_chart(app, "dq_complete_chart", INCOMPLETE_DATA_DEPT, "2026-08")  # the 区人力资源社会保障局 × 2026-08 cell
    assert_clean(app)
    assert app.query_params["dept"] == INCOMPLETE_DATA_DEPT
    assert app.query_params[parts.MONTH_PARAM] == "2026-08"
    assert texts(app, "title") == ["数据质量 · 区人力资源社会保障局"]
    assert app.selectbox(key=parts.MONTH_PARAM).value == "2026-08"
    records = frame(app, "审查完成时间")
    assert len(records) > 0 and set(records["部门名称"]) == {"区人力资源社会保障局"}
    completed = pd.to_datetime(records.iloc[:, 8])  # completed_at (办结时间)
    assert ((completed >= "2026-08-01") & (completed < "2026-09-01")).all()


def test_cell_drill_shows_field_gaps_and_records(app: AppTest) -> None:
    # the deep link a click on the 区人力资源社会保障局 × 2026-08 cell writes
    visit(app, period="2026Q3", dept=INCOMPLETE_DATA_DEPT, dq_month="2026-08")
    assert_clean(app)
    assert texts(app, "title") == ["数据质量 · 区人力资源社会保障局"]
    assert app.selectbox(key=parts.MONTH_PARAM).value == "2026-08"
    gaps = frame(app, "缺失件数").set_index("字段")
    assert gaps.loc["审查完成时间、决定时间、到现场次数齐全", "缺失占比"] > 0.7
    records = frame(app, "审查完成时间")
    assert len(records) == gaps.loc["审查完成时间、决定时间、到现场次数齐全", "缺失件数"]
    incomplete = records[["审查完成时间", "决定时间", "到现场次数"]].isna().any(axis=1)
    assert incomplete.all()
    assert set(records["部门名称"]) == {"区人力资源社会保障局"}
    completed = pd.to_datetime(records.iloc[:, 8])  # completed_at (办结时间)
    assert ((completed >= "2026-08-01") & (completed < "2026-09-01")).all()
    # back to the whole span
    app.selectbox(key=parts.MONTH_PARAM).set_value("").run()
    assert_clean(app)
    assert len(frame(app, "审查完成时间")) > len(records)


def test_field_switch(app: AppTest) -> None:
    visit(app, period="2026Q3", dq_field="好差评")
    assert_clean(app)
    assert app.segmented_control(key=parts.FIELD_PARAM).value == "rating"
    heatmap(app, "数据完整率（好差评）")


def test_volume_and_imports(app: AppTest) -> None:
    visit(app, period="2026Q3")
    spec = heatmap(app, "报送办件数与常态对比")
    assert "区市场监管局" in spec["data"][0]["y"]
    flagged = frame(app, "常态月报送量（前6个月中位数）")
    assert (flagged["与常态之比"] < 0.5).all()
    assert app.metric[1].value == str(len(flagged))
    tables = frame(app, "最近导入完成时间").set_index("数据表")
    assert tables.loc["办件", "行数"] > 10_000
    assert tables.loc["办件", "批次号"] == 1
    history = frame(app, "各表行数")
    assert history["结果"].tolist() == ["成功"]
    assert "部门：新增 19，替换 0，未变 0" in history["各表行数"].iloc[0]


def test_department_user(app: AppTest) -> None:
    as_role(app, "部门用户", INCOMPLETE_DATA_DEPT)
    visit(app, period="2026Q3")
    assert_clean(app)
    assert texts(app, "title") == ["数据质量 · 区人力资源社会保障局"]
    spec = heatmap(app, "数据完整率（全部字段）")
    assert spec["data"][0]["y"] == ["区人力资源社会保障局"]
    assert len(frame(app, "审查完成时间")) > 0
