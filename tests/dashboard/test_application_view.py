"""Item drill-down and the single-application view (AppTest on the demo data): an item's
headline cards and control chart are the item's; a record table's row (or an ``app=``
link) opens the application's stage timeline below the table, on several pages; a
department user never opens another department's application."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data.demo.planted import SLOW_REVIEW_DEPT
from tests.fixtures.apptest import as_role, assert_clean, chart_specs, open_page, select_row, texts

DEPT = SLOW_REVIEW_DEPT  # 区住房城乡建设局
PERIOD = "2025Q3"


def _metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def _table(app: AppTest, *columns: str) -> pd.DataFrame:
    found = [d.value for d in app.dataframe if set(columns) <= set(d.value.columns)]
    assert found, columns
    return found[0]


def _open_app(app: AppTest, page: str, app_id: str, **query: str) -> AppTest:
    """Open ``page`` at the link ``?app=<app_id>`` (``app`` is open_page's own argument)."""
    app.query_params["app"] = app_id
    return open_page(app, page, **query)


def _timelines(app: AppTest) -> list[str]:
    return [el.key for el in app.get("plotly_chart") if el.key and el.key.endswith("_app_timeline")]  # type: ignore[attr-defined]


def test_item_cards_and_control_chart_are_the_items(app: AppTest) -> None:
    open_page(app, "process.py", period=PERIOD, dept=DEPT)
    dept_cards = _metrics(app)
    items = _table(app, "超期办结件数")
    code, name = str(items["事项编码"].iloc[0]), str(items["事项名称"].iloc[0])
    open_page(app, "process.py", period=PERIOD, dept=DEPT, item=code)
    assert_clean(app)
    item_cards = _metrics(app)
    assert len(item_cards) == 6 and item_cards != dept_cards
    assert any(f"事项“{name}”" in m for m in texts(app, "markdown"))  # the cards say whose they are
    row = items.iloc[0]
    assert item_cards["超期办结件数"] == f"{int(row['超期办结件数'])}"
    assert item_cards["超期未办结件数"] == f"{int(row['超期未办结件数'])}"
    assert item_cards["按时办结率"] == f"{row['按时办结率（%）']:.1f}%"
    (spec,) = chart_specs(app, "pr_control_chart")
    assert name in spec["layout"]["title"]["text"]


def test_a_selected_row_opens_the_application_with_its_timeline(app: AppTest) -> None:
    open_page(app, "process.py", period=PERIOD, dept=DEPT)
    code = str(_table(app, "超期办结件数")["事项编码"].iloc[0])
    open_page(app, "process.py", period=PERIOD, dept=DEPT, item=code)
    apps = _table(app, "办理用时（工作日）")
    first = str(apps["办件编号"].iloc[1])
    select_row(app, "pr_apps", 1)
    assert_clean(app)
    assert app.query_params["app"] == first
    assert _timelines(app) == ["pr_apps_app_timeline"]
    (spec,) = chart_specs(app, "pr_apps_app_timeline")
    assert any(m.startswith(f"**{first} · ") for m in texts(app, "markdown"))  # the box names the application
    shapes = [a["text"] for a in spec["layout"]["annotations"]]
    assert any(s.startswith("承诺时限") for s in shapes)
    assert any("个工作日" in c for c in texts(app, "caption") + texts(app, "warning"))
    app.button(key="pr_apps_app_close").click().run()
    assert "app" not in app.query_params and not _timelines(app)


def test_an_app_link_opens_the_view_on_other_pages(app: AppTest) -> None:
    open_page(app, "channels.py", period=PERIOD)
    bad = _table(app, "好差评", "办件编号")
    app_id = str(bad["办件编号"].iloc[0])
    _open_app(app, "channels.py", app_id, period=PERIOD)
    assert_clean(app)
    assert _timelines(app) == ["ch_bad_app_timeline"]
    assert any("办件详情" in m for m in texts(app, "markdown"))
    open_page(app, "routes.py", period=PERIOD)
    rejected = _table(app, "办理结果", "办件编号")
    accepted = rejected[rejected["受理时间"].notna()]
    unaccepted = rejected[rejected["受理时间"].isna()]
    assert len(accepted) and len(unaccepted)
    _open_app(app, "routes.py", str(accepted["办件编号"].iloc[0]), period=PERIOD)  # 不予许可: it has a clock
    assert_clean(app)
    assert _timelines(app) == ["rt_rejected_app_timeline"]
    _open_app(app, "routes.py", str(unaccepted["办件编号"].iloc[0]), period=PERIOD)  # 不予受理: no clock
    assert_clean(app)
    assert not _timelines(app)
    assert any(c.endswith("该办件未受理，不计办理时限。") for c in texts(app, "caption"))


def test_a_department_user_cannot_open_another_departments_application(app: AppTest, demo_db_url: str) -> None:
    engine = sa.create_engine(demo_db_url)
    with engine.connect() as c:
        other = c.execute(sa.text("select app_id from applications where dept_code <> :d and accepted_at is not null "
                                  "limit 1"), {"d": DEPT}).scalar_one()
        own = c.execute(sa.text("select app_id from applications where dept_code = :d and status = '已办结' "
                                "and completed_at >= '2025-07-01' and completed_at < '2025-10-01' limit 1"),
                        {"d": DEPT}).scalar_one()
    engine.dispose()
    as_role(app, "部门用户", DEPT)
    _open_app(app, "process.py", str(other), period=PERIOD)
    assert_clean(app)
    assert any("未找到链接所指的办件" in w and "无权查看" in w for w in texts(app, "warning"))
    assert not any(str(other) in w for w in texts(app, "warning"))  # another unit's id is not echoed
    assert not _timelines(app)
    assert str(other) not in "\n".join(texts(app, "markdown"))
    # its own application is found (the link check is silent)
    _open_app(app, "process.py", str(own), period=PERIOD)
    assert not any("未找到链接所指的办件" in w for w in texts(app, "warning"))


def test_a_forged_app_link_is_not_echoed(app: AppTest) -> None:
    _open_app(app, "channels.py", "[点此领取](http://evil.example)" + "x" * 500, period=PERIOD)
    assert_clean(app)
    (warning,) = [w for w in texts(app, "warning") if "未找到链接所指的办件" in w]
    assert "点此领取" not in warning and "evil.example" not in warning  # the forged text is not shown at all
    assert not _timelines(app)
