"""Issue 13's unfinished edges on the screen: names instead of codes in record tables
(codes kept in downloads), changes coloured by the indicator's better way, charts without
Plotly's English toolbar, whole counts, and an audit log people can read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

from data import audit
from data.db import Database
from tests.fixtures.apptest import as_role, assert_clean, frame, open_page

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
CODE = re.compile(r"^JH\d{3}$")
NAMES = {"dept": {"JH009": "区住房城乡建设局", "JH018": "外海街道"}, "item": {"I1": "建筑工程施工许可"},
         "user": {"demo-领导": "演示领导"}}


def _codes_shown(app: AppTest) -> list[str]:
    """Department or street codes in any table on the page (header, then the code)."""
    found = []
    for el in app.dataframe:
        data = el.value.data if hasattr(el.value, "data") else el.value
        for col in data.columns:
            found += [f"{col}: {v}" for v in data[col] if isinstance(v, str) and CODE.match(v)]
    return found


def test_codes_become_names_and_downloads_keep_both() -> None:
    from dashboard.kit.tables import display

    records = pd.DataFrame({"app_id": ["A1", "A2"], "dept_code": ["JH009", ""], "street_code": ["JH018", None],
                            "item_code": ["I1", "I9"], "user_name": ["demo-领导", "张三"], "n": [57.0, None]})
    shown = display(records, names=NAMES)
    assert list(shown.columns) == ["办件编号", "部门名称", "街道名称", "事项名称", "操作人", "n"]
    assert shown["部门名称"].tolist() == ["区住房城乡建设局", "全区"]  # an empty department code is the district
    assert shown["街道名称"].iloc[0] == "外海街道" and pd.isna(shown["街道名称"].iloc[1])
    assert shown["事项名称"].tolist() == ["建筑工程施工许可", "I9"]  # an unknown code stays readable
    assert shown["操作人"].tolist() == ["演示领导", "张三"]
    assert str(shown["n"].iloc[0]) == "57"  # a count, never "57.0"
    download = display(records, names=NAMES, codes=True)
    cols = list(download.columns)
    assert cols[cols.index("部门名称") + 1] == "部门编码" and download["部门编码"].iloc[0] == "JH009"
    assert cols[cols.index("街道名称") + 1] == "街道编码" and cols[cols.index("事项名称") + 1] == "事项编码"


def test_missing_text_is_shown_as_missing() -> None:
    from dashboard.kit.tables import display

    shown = display(pd.DataFrame({"备注甲": ["nan", "None", "好"], "score": [80.0, None, 70.0]}), names=NAMES)
    assert shown["备注甲"].isna().tolist() == [True, True, False]  # drawn as — by the table's placeholder


def test_weak_link_records_show_names_not_codes(app: AppTest) -> None:
    open_page(app, "weak_links", period="2026Q3", link="JH010.unreported_count")
    assert_clean(app)
    assert frame(app, "线索编号").iloc[0]["部门名称"] == "区文化广电旅游体育局"
    assert not _codes_shown(app)


def test_scorecard_records_show_names_not_codes(app: AppTest) -> None:
    open_page(app, "scorecard", period="2026Q3", dept="JH009", dim="process", indicator="on_time_rate")
    assert_clean(app)
    records = frame(app, "办理用时（工作日）")
    assert set(records["部门名称"]) == {"区住房城乡建设局"} and "部门编码" not in records.columns
    assert not _codes_shown(app)


def test_process_records_show_names_not_codes(app: AppTest) -> None:
    open_page(app, "process", period="2026Q3", dept="JH009")
    assert_clean(app)
    assert not _codes_shown(app)


def test_every_chart_is_drawn_without_the_english_toolbar(app: AppTest) -> None:
    offenders = [str(p.relative_to(DASHBOARD)) for p in DASHBOARD.rglob("*.py")
                 if "st.plotly_chart(" in p.read_text(encoding="utf-8") and p.name != "plots.py"]
    assert not offenders, "charts are drawn through dashboard.kit.plots.chart"
    for page in ("overview", "process", "scorecard"):
        open_page(app, page, period="2026Q3")
        assert_clean(app)
        configs = [json.loads(el.proto.config) for el in app.get("plotly_chart")]  # type: ignore[attr-defined]
        assert configs and all(c["displayModeBar"] is False and c["displaylogo"] is False for c in configs), page


def _cards() -> None:
    from dashboard.kit import kpi

    kpi.card("on_time_rate", 0.95, 0.90)  # ↑: a rise is green
    kpi.card("avg_processing_wd", 1.45, 1.38)  # not scored, lower is better: +0.07 is red
    kpi.card("open_overdue_count", 7, 21)  # not scored, lower is better: −14 is green
    kpi.card("case_count", 30, 20)  # neither way is better: grey
    kpi.card("on_time_rate", 0.9, 0.90001)  # 持平: grey


def test_changes_are_coloured_by_the_better_way() -> None:
    at = AppTest.from_function(_cards).run()
    assert not at.exception
    assert [m.proto.color for m in at.metric] == [Metric.GREEN, Metric.RED, Metric.GREEN, Metric.GRAY, Metric.GRAY]
    assert [m.delta for m in at.metric][:3] == ["+5.0个百分点", "+0.07", "-14"]


def test_audit_log_reads_as_chinese(app: AppTest, demo_db_url: str) -> None:
    db = Database(demo_db_url)
    with db.session() as session:
        audit.record(session, "demo-领导", "下达整改任务", "任务1", dept="JH009", title="压缩审查用时",
                     source="短板", ref=None)
        audit.record(session, "tests", "数据导入", "批次9", outcome="成功", files=["办件.csv", "部门.csv"],
                     problems=0, counts={"applications": [3, 1, 0]})
    db.dispose()
    as_role(app, "管理员")
    open_page(app, "audit")
    assert_clean(app)
    log = frame(app, "内容")
    task = log[log["操作"] == "下达整改任务"].iloc[0]
    assert task["操作人"] == "演示领导"
    assert task["内容"] == "部门：区住房城乡建设局，标题：压缩审查用时，来源：短板，来源编号：—"
    imported = log[log["对象"] == "批次9"].iloc[0]
    assert imported["内容"] == "结果：成功，文件：办件.csv、部门.csv，问题数：0，各表行数：办件 新增3 更新1 未变0"
    assert not any(str(v).startswith("{") for v in log["内容"].dropna())


def test_table_excel_download_formats_rates_as_percent() -> None:
    """A fraction shown as % on screen (column_formats ``percent``) is a number with the
    ``0.0%`` format in the Excel download; a % text column too."""
    import io

    import openpyxl

    from dashboard.kit import tables

    shown = pd.DataFrame({"按时办结率": [0.934, None], "压缩率": ["12.5%", "—"], "件数": [57, 3]})
    config = {"按时办结率": tables.column_formats(on_time_rate="percent")[tables.header("on_time_rate")]}
    formats = tables.excel_formats(config)
    assert formats == {"按时办结率": "0.0%"}
    ws = openpyxl.load_workbook(io.BytesIO(tables._xlsx(shown, "明细", formats))).active
    assert ws["A2"].data_type == "n" and ws["A2"].value == 0.934 and ws["A2"].number_format == "0.0%"
    assert ws["B2"].data_type == "s"  # "—" is not a rate: the column stays text
    assert ws["C2"].data_type == "n" and ws["C2"].number_format == "General"
