"""部门自查 (AppTest): a department user sees its radar beside the district's published
dimension scores (two named series, a legend) and can download its own report."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data.db import Database
from data.frames import load_frames
from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest
from tests.fixtures.apptest import APP, as_role, assert_clean, chart_specs, open_page, page_text, pin_today

DEPT = "JH009"


def _published_scores(url: str) -> tuple[str, list[float | None], list[float | None]]:
    """(the department's name, its dimension scores, the district's) of 2026Q3, worked out
    on the whole district's data: what the page must show a department user."""
    import datetime as dt

    db = Database(url)
    with db.session() as s:
        engine = MetricsEngine(load_frames(s))
    db.dispose()
    result = engine.compute(MetricsRequest(dt.date(2026, 7, 1), dt.date(2026, 9, 30)))
    dims = [d.name for d in engine.config.dimensions]
    district = engine.scores_of(result.district)
    own = result.scores[DEPT]
    return engine.data.dept_names[DEPT], [own.dimensions.get(d) for d in dims], [district.dimensions.get(d) for d in dims]


def _r(values: list[float | None]) -> list[float]:
    r = [0.0 if v is None else round(float(v), 6) for v in values]
    return [*r, r[0]]


def test_department_radar_shows_the_district_and_downloads_exist(
        app: AppTest, demo_db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pin_today(monkeypatch, "2026-12-01")
    as_role(app, "部门用户", DEPT)
    open_page(app, "self_check", period="2026Q3")
    assert_clean(app)
    (spec,) = chart_specs(app, "sc_radar")
    name, own, district = _published_scores(demo_db_url)
    assert [tr["name"] for tr in spec["data"]] == [name, "全区"]
    assert spec["layout"].get("showlegend", True) is not False
    assert [round(v, 6) for v in spec["data"][0]["r"]] == _r(own)
    assert [round(v, 6) for v in spec["data"][1]["r"]] == _r(district)
    assert own != district  # the district series is not the department's own figures again
    reports = [b.proto.label for b in app.get("download_button") if "本部门报告" in b.proto.label]
    assert reports == ["下载本部门报告（PPTX）", "下载本部门报告（PDF）"]
    assert [b for b in app.button if b.label == "提交自查"]  # a quarter: the 排查 form is offered


def test_leader_sees_the_same_radar_for_the_chosen_department(app: AppTest, demo_db_url: str) -> None:
    open_page(app, "self_check", period="2026Q3", dept=DEPT)
    assert_clean(app)
    (spec,) = chart_specs(app, "sc_radar")
    name, _, district = _published_scores(demo_db_url)
    assert [tr["name"] for tr in spec["data"]] == [name, "全区"]
    assert [round(v, 6) for v in spec["data"][1]["r"]] == _r(district)
    assert sum("本部门报告" in b.proto.label for b in app.get("download_button")) == 2


def test_present_mode_of_the_department_shows_its_self_check(app: AppTest, demo_db_url: str) -> None:
    from data.accounts import DEPT_USER, Principal
    from data.self_checks import Finding, submit

    db = Database(demo_db_url)
    with db.session() as s:
        submit(s, Principal("zj", "住建", DEPT_USER, DEPT), dept=DEPT, period="2026Q3", prohibited_approved=False,
               licensed_violations=False, hidden_barriers=True, scope_note="全部许可事项",
               findings=[Finding("违规设置隐性壁垒", "要求本地注册")])
    db.dispose()
    as_role(app, "部门用户", DEPT)
    open_page(app, "present", period="2026Q3")
    assert_clean(app)
    options = [str(o) for o in app.selectbox(key="pm_jump").options]
    n = next(int(o.split(".")[0]) for o in options if o.endswith(". 本部门排查填报情况"))
    app.query_params["slide"] = str(n)
    app.run()
    assert_clean(app)
    assert app.title[0].value == "本部门排查填报情况"
    html = page_text(app)
    for row in ("<td style='text-align:left;color:#2e7d32;'>否</td>", ">是</td>", ">全部许可事项</td>", ">1 条</td>"):
        assert row in html
    q2 = as_role(AppTest.from_file(str(APP), default_timeout=120), "部门用户", DEPT)
    open_page(q2, "present", period="2026Q2")  # nothing filed for the second quarter
    options = [str(o) for o in q2.selectbox(key="pm_jump").options]
    n = next(int(o.split(".")[0]) for o in options if o.endswith(". 本部门排查填报情况"))
    q2.query_params["slide"] = str(n)
    q2.run()
    assert_clean(q2)
    assert "未提交：2026年第二季度本部门尚未提交排查填报。" in page_text(q2)


def test_a_custom_span_offers_no_self_check_form(app: AppTest) -> None:
    as_role(app, "部门用户", DEPT)
    open_page(app, "self_check", period="custom", **{"from": "2026-07-01", "to": "2026-08-15"})
    assert_clean(app)
    assert "排查按月度、季度、半年或年度填报" in page_text(app)
    assert not [b for b in app.button if b.label == "提交自查"]
    assert sum("本部门报告" in b.proto.label for b in app.get("download_button")) == 2
