"""隐性壁垒筛查 (AppTest on the demo data): the signals of a period by kind and department with
their 口径, one signal's two groups and records (URL ``signal``), one application (URL
``app_id``), 转为问题线索 making exactly one case, department scoping, the overview's count and
the screening settings on 指标设置 applied at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from streamlit.testing.v1 import AppTest

from data import audit, screening_cases
from data import settings as store
from data.accounts import ADMIN, DEPT_USER, DISPLAY
from data.db import Database
from data.demo import planted
from data.frames import Frames, load_frames
from metrics.config import load_config
from metrics.engine import MetricsEngine
from metrics.screening.model import ScreeningRequest
from metrics.screening.screener import Screener
from metrics.screening.settings import validate_overrides
from metrics.screening_rules import ScreeningRules
from report import screening as screening_slide
from tests.fixtures.apptest import as_role, assert_clean, frame, open_page, page_text

PAGE = "screening"
YEAR = "2025"
REQUEST = ScreeningRequest(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
REJECTION = ("nonlocal_rejection", "440704-XK-0801-01")  # the planted rejection barrier (JH008)
KIND_NAMES = ("外地主体不予受理/不予许可率偏高", "外地主体办理用时偏长", "外地主体到现场次数偏多",
              "外地主体特别程序偏多", "国家已放开地方仍审批")
DEPT_NAMES = {"JH004": "区市场监管局", "JH008": "区卫生健康局", "JH010": "区文化广电旅游体育局",
              "JH011": "区交通运输局"}


def _signal(kind_item: tuple[str, str]) -> str:
    return f"{kind_item[0]}:{kind_item[1]}"


def _links(db_url: str) -> dict[str, list[tuple[str, str | None]]]:
    db = Database(db_url)
    try:
        with db.session() as s:
            return screening_cases.linked_cases(s)
    finally:
        db.dispose()


def test_signals_by_kind_and_department_with_their_definitions(app: AppTest, demo_db_url: str) -> None:
    open_page(app, PAGE, period=YEAR)
    assert_clean(app)
    assert app.title[0].value == "隐性壁垒筛查 · 全区"
    text = page_text(app)
    assert "不是认定结论" in text
    assert "以 4407（江门市）开头" in text
    counts = {m.label: m.value for m in app.metric}
    assert {name: counts[name] for name in KIND_NAMES} == dict.fromkeys(KIND_NAMES, "1")
    definitions = [e for e in app.get("popover")]
    assert len(definitions) == len(KIND_NAMES)
    by_dept = frame(app, "合计")
    assert set(by_dept["部门名称"]) == set(DEPT_NAMES.values())
    assert int(by_dept["合计"].sum()) == 5
    lists = [d.value for d in app.dataframe if "处理状态" in d.value.columns]
    items = {(r["部门"], r["事项"]) for df in lists for _, r in df.iterrows()}
    assert items == {(DEPT_NAMES[d], name) for d, name in (*planted.NONLOCAL_BARRIERS.values(), planted.LIFTED_ITEM)}
    assert all(state == "待转为问题线索" for df in lists for state in df["处理状态"])
    # the page's list reads each signal exactly as the deck's slide does (one formatter)
    screener = Screener(MetricsEngine(_frames(demo_db_url)))
    deck_rows = {(r[1], r[2]): r for r in screening_slide.rows(screener.screen(REQUEST).signals, screener.rules)}
    compared = [(tuple(r[["外地主体", "本地主体", "差异"]]), deck_rows[(r["部门"], r["事项"])][3:6])
                for df in lists if "外地主体" in df.columns for _, r in df.iterrows()]
    assert len(compared) == 4 and all(page == deck for page, deck in compared)  # the four compared kinds
    assert "在上方表格中选择一条线索" in page_text(app)


def test_one_signal_shows_both_groups_and_their_applications(app: AppTest, demo_db_url: str) -> None:
    expected = next(s for s in Screener(MetricsEngine(_frames(demo_db_url))).screen(REQUEST).signals
                    if (s.kind, s.item_code) == REJECTION)
    assert expected.local is not None and expected.nonlocal_ is not None
    open_page(app, PAGE, period=YEAR, signal=_signal(REJECTION))
    assert_clean(app)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["外地主体"] == f"{expected.nonlocal_.value * 100:.1f}%"
    assert metrics["本地主体"] == f"{expected.local.value * 100:.1f}%"
    assert metrics["差异（外地 − 本地）"] == f"{expected.effect * 100:+.1f}个百分点"
    text = page_text(app)
    assert f"参与比较 {expected.nonlocal_.n} 件" in text and f"参与比较 {expected.local.n} 件" in text
    assert f"q = {expected.q_value:.3g}" in text
    assert len(app.get("plotly_chart")) == 1
    records = frame(app, "主体类别", unique=True)
    assert len(records) == expected.records
    assert (records["主体类别"] == "外地").sum() == expected.nonlocal_.n
    assert (records["主体类别"] == "本地").sum() == expected.local.n
    assert list(records["主体类别"]).index("本地") == expected.nonlocal_.n  # 外地 first
    assert set(records["事项名称"]) == {planted.REJECTION_ITEM[1]} and set(records["部门名称"]) == {"区卫生健康局"}
    # local by the division code: 本地 rows' codes start with 4407, 外地 rows' do not
    local = records["主体类别"] == "本地"
    assert records.loc[local, "登记机关区划码"].str.startswith("4407").all()
    assert not records.loc[~local, "登记机关区划码"].str.startswith("4407").any()
    # drill to one application (URL app_id)
    app_id = str(records.iloc[0]["办件编号"])
    open_page(app, PAGE, period=YEAR, signal=_signal(REJECTION), app_id=app_id)
    assert_clean(app)
    fields = frame(app, "字段", unique=True)
    shown = dict(zip(fields["字段"], fields["内容"], strict=True))
    assert shown["办件编号"] == app_id
    assert shown["事项名称"] == planted.REJECTION_ITEM[1]
    assert shown["统一社会信用代码"] == str(records.iloc[0]["统一社会信用代码"])


def _frames(db_url: str) -> Frames:
    db = Database(db_url)
    try:
        with db.session() as s:
            return load_frames(s, None)
    finally:
        db.dispose()


def test_case_button_makes_exactly_one_case(app: AppTest, demo_db_url: str) -> None:
    open_page(app, PAGE, period=YEAR, signal=_signal(REJECTION))
    button = app.button(key="scr_case_make")
    assert not button.disabled
    button.click().run()
    assert_clean(app)
    links = _links(demo_db_url)
    assert list(links) == [screening_cases.signal_key(*REJECTION, REQUEST.date_from, REQUEST.date_to)]
    [(case_id, status)] = next(iter(links.values()))
    assert status == "待转办" and case_id.startswith("SCR-")
    done = app.button(key="scr_case_done")
    assert done.disabled and case_id in done.label
    assert not [b for b in app.button if b.key == "scr_case_make"]
    assert any(case_id in str(getattr(e, "proto", "")) for e in app.get("page_link"))
    states = [s for d in app.dataframe if "处理状态" in d.value.columns for s in d.value["处理状态"]]
    assert f"已转为线索 {case_id}（待转办）" in states
    # a second session, and a second click, cannot make another
    app.run()
    assert len(_links(demo_db_url)[next(iter(links))]) == 1
    db = Database(demo_db_url)
    try:
        with db.session() as s:
            assert audit.entries(s, 5)["action"].eq(screening_cases.AUDIT_ACTION).sum() == 1
            case = s.execute(screening_cases.CONTRACT["cases"].select().where(
                screening_cases.CONTRACT["cases"].c.case_id == case_id)).mappings().one()
    finally:
        db.dispose()
    assert (case["category"], case["source"], case["dept_code"]) == ("违规设置隐性壁垒", "其他", "JH008")
    assert planted.REJECTION_ITEM[1] in case["summary"] and "待核实" in case["summary"]
    assert case["summary"] in [e.value for e in app.text]  # the summary shown before the click


def test_lifted_basis_signal_has_no_groups_and_names_the_dropped_basis(app: AppTest, demo_db_url: str) -> None:
    lifted = next(s for s in Screener(MetricsEngine(_frames(demo_db_url))).screen(REQUEST).signals
                  if s.kind == "lifted_still_approved")
    open_page(app, PAGE, period=YEAR, signal=f"lifted_still_approved:{lifted.item_code}")
    assert_clean(app)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["现行清单生效后仍受理的申请件数"] == str(lifted.records)
    assert "外地主体" not in metrics and not app.get("plotly_chart")
    assert any("已不在现行负面清单" in e.value for e in app.text)
    records = frame(app, "主体类别", unique=True)
    assert len(records) == lifted.records and set(records["事项名称"]) == {planted.LIFTED_ITEM[1]}


def test_department_user_sees_only_its_own_signals(app: AppTest) -> None:
    open_page(as_role(app, DEPT_USER, "JH004"), PAGE, period=YEAR)
    assert_clean(app)
    assert app.title[0].value == "隐性壁垒筛查 · 区市场监管局"
    lists = [d.value for d in app.dataframe if "处理状态" in d.value.columns]
    items = {r["事项"] for df in lists for _, r in df.iterrows()}
    assert items == {planted.TIME_ITEM[1], planted.SUSPENSION_ITEM[1]}
    # another department's signal by URL: not shown
    open_page(app, PAGE, period=YEAR, signal=_signal(REJECTION))
    assert_clean(app)
    assert not [d for d in app.dataframe if "主体类别" in d.value.columns]
    assert "不存在" in page_text(app)


def test_display_account_cannot_make_a_case(app: AppTest) -> None:
    open_page(as_role(app, DISPLAY), PAGE, period=YEAR, signal=_signal(REJECTION))
    assert_clean(app)
    assert app.button(key="scr_case_make").disabled


def test_overview_counts_the_signals_still_waiting(app: AppTest, demo_db_url: str) -> None:
    open_page(app, "overview", period=YEAR)
    assert_clean(app)
    assert {m.label: m.value for m in app.metric}["待处理隐性壁垒线索"] == "5"
    open_page(app, PAGE, period=YEAR, signal=_signal(REJECTION))
    app.button(key="scr_case_make").click().run()
    open_page(app, "overview", period=YEAR)
    assert {m.label: m.value for m in app.metric}["待处理隐性壁垒线索"] == "4"
    assert "已转为问题线索 1 条" in page_text(app)


def test_settings_change_is_validated_audited_and_applied_at_once(app: AppTest, demo_db_url: str) -> None:
    as_role(app, ADMIN)
    open_page(app, "settings", period=YEAR)  # the filter bar reads the URL once per session
    assert_clean(app)
    app.selectbox(key="scr_set_prefix").set_value("44")
    app.number_input(key="scr_set_group").set_value(12)
    app.button[[b.label for b in app.button].index("保存筛查设置")].click().run()
    assert_clean(app)
    db = Database(demo_db_url)
    try:
        with db.session() as s:
            saved = store.get(s, store.INDICATOR_OVERRIDES)[store.SCREENING]
            actions = audit.entries(s, 5)
    finally:
        db.dispose()
    assert saved["local_prefix"] == "44" and saved["min_group"] == 12
    assert "修改设置" in set(actions["action"])
    open_page(app, PAGE, period=YEAR)
    assert_clean(app)
    assert "以 44（广东省）开头" in page_text(app) and "每组至少 12 件" in page_text(app)
    expected_result = Screener(MetricsEngine(_frames(demo_db_url)), _rules(local_prefix="44", min_group=12)).screen(REQUEST)
    lists = [d.value for d in app.dataframe if "处理状态" in d.value.columns]
    assert sum(len(df) for df in lists) == len(expected_result.signals)


def _rules(**changes: object) -> ScreeningRules:
    return replace(load_config().screening, **changes)  # type: ignore[arg-type]


def test_saving_indicator_settings_keeps_the_screening_settings(app: AppTest, demo_db_url: str) -> None:
    db = Database(demo_db_url)
    try:
        with db.session() as s:
            store.put_screening(s, {"local_prefix": "440704"}, "tests", validate_overrides)
    finally:
        db.dispose()
    as_role(app, ADMIN)
    open_page(app, "settings", period=YEAR)
    assert_clean(app)
    assert app.selectbox(key="scr_set_prefix").value == "440704"
    app.button(key="settings_save").click().run()
    assert_clean(app)
    db = Database(demo_db_url)
    try:
        with db.session() as s:
            saved = store.get(s, store.INDICATOR_OVERRIDES)
    finally:
        db.dispose()
    assert saved["screening"] == {"local_prefix": "440704"} and "indicators" in saved
    open_page(app, PAGE, period=YEAR)
    assert "以 440704（江海区）开头" in page_text(app)
