"""The shared page pieces of dashboard.kit on their own (AppTest on small scripts): the
headline card writes its change as the deck does, and the one URL-state API."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from charts.delta import delta_text


def _cards() -> None:
    from dashboard.kit import kpi

    kpi.card("on_time_rate", 0.9, 0.90001)  # a change that rounds to nothing
    kpi.card("on_time_rate", 0.9, 0.8)
    kpi.card("median_processing_wd", 3.5, 4.0)  # lower is better
    kpi.card("on_time_rate", 0.9, None)


def test_headline_card_writes_the_change_as_the_deck_does() -> None:
    at = AppTest.from_function(_cards).run()
    assert not at.exception
    deltas = [m.delta for m in at.metric]
    assert deltas == ["持平", "+10.0个百分点", "-0.5", ""]  # no previous value: no change line
    assert deltas[:3] == [delta_text(0.9, 0.90001, "ratio"), delta_text(0.9, 0.8, "ratio"),
                          delta_text(3.5, 4.0, "value")]
    assert [m.value for m in at.metric] == ["90.0%", "90.0%", "3.5", "90.0%"]


def _year_ago_cards() -> None:
    from dashboard.kit import kpi

    kpi.card("on_time_rate", 0.9, 0.8, year_ago=0.95, show_year_ago=True)  # ↑: a fall is worse
    kpi.card("open_overdue_count", 10, 12, year_ago=4, show_year_ago=True)  # unscored, lower is better
    kpi.card("case_count", 10, 12, year_ago=4, show_year_ago=True)  # neither way is better
    kpi.card("on_time_rate", 0.9, 0.8, year_ago=None, show_year_ago=True)


def test_year_ago_change_is_coloured_as_the_card_change() -> None:
    """同比 under a card is green or red by the indicator's direction, as the card's 上期
    change is; plain for an indicator with no better way or no comparison (issue 13)."""
    at = AppTest.from_function(_year_ago_cards).run()
    assert not at.exception
    assert [c.value for c in at.caption] == ["同比 :red[-5.0个百分点]", "同比 :red[+6]", "同比 +6", "同比 无可比数据"]


def _partial_cards() -> None:
    from dashboard.kit import kpi

    kpi.card("on_time_rate", 0.9, 0.8, year_ago=0.95, show_year_ago=True)
    kpi.card("on_time_rate", 0.9, 0.8, year_ago=0.95, show_year_ago=True, partial=True)


def test_a_change_of_an_incomplete_period_is_not_coloured() -> None:
    """Part of a period against a whole one is neither better nor worse: the change is shown
    uncoloured (上期 and 同比) and its help says why (issue 13 §2)."""
    at = AppTest.from_function(_partial_cards).run()
    assert not at.exception
    whole, part = at.metric
    assert (whole.delta, part.delta) == ("+10.0个百分点", "+10.0个百分点")
    assert whole.proto.color != part.proto.color
    assert part.proto.color == MetricProto.MetricColor.GRAY
    assert "数据不完整" in part.help and "数据不完整" not in whole.help
    assert [c.value for c in at.caption] == ["同比 :red[-5.0个百分点]", "同比 -5.0个百分点"]


def _drill() -> None:
    import streamlit as st

    from dashboard.kit import url_state

    st.session_state["seen"] = (url_state.get("item", {"A", "B"}), url_state.get("stage", {"审查"}, drop_invalid=True))
    if st.session_state.get("go"):
        url_state.put("item", "B", clear=("stage",))


def test_url_state_reads_writes_and_clears_drill_parameters() -> None:
    at = AppTest.from_function(_drill)
    at.query_params["item"] = "Z"  # not a valid item: ignored, kept in the URL
    at.query_params["stage"] = "受理"  # not a valid stage: ignored and dropped
    at.run()
    assert at.session_state["seen"] == (None, None)
    assert at.query_params["item"] == "Z"
    assert "stage" not in at.query_params
    at.query_params["item"] = "A"
    at.query_params["stage"] = "审查"
    at.run()
    assert at.session_state["seen"] == ("A", "审查")
    at.session_state["go"] = True
    at.run()
    assert at.query_params["item"] == "B"
    assert "stage" not in at.query_params  # the deeper level went with the change


def test_table_downloads_keep_formulas_as_text() -> None:
    """Every table download of the dashboard goes through report.spreadsheet: a progress note
    typed as a formula comes back as text in both files (issue 19)."""
    import csv
    import io

    import openpyxl
    import pandas as pd

    from dashboard.kit import tables

    note = '=HYPERLINK("http://evil.example","点我")'
    frame = pd.DataFrame({"说明": [note, "-1+2", "正常"], "数量": [1, 2, 3]})
    rows = list(csv.reader(io.StringIO(tables._csv(frame).decode("utf-8-sig"))))
    assert rows[1][0] == "'" + note and rows[2][0] == "'-1+2" and rows[3][0] == "正常"
    sheet = openpyxl.load_workbook(io.BytesIO(tables._xlsx(frame, "清单"))).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == note
    assert sheet["B2"].data_type == "n" and sheet["B2"].value == 1


def _figures() -> None:
    import pandas as pd
    import streamlit as st

    from charts.common import department_bars
    from dashboard.kit import plots

    df = pd.DataFrame({"dept_code": ["D1", "D2"], "dept_name": ["甲局", "乙局"], "v": [0.4, 0.9]})
    adjust = plots.Adjust(room=0.2, xaxes={"ticksuffix": "%"}, layout={"height": 222})
    first = plots.kept(department_bars, df, "v", unit="ratio", district=0.5, title="按时办结率", adjust=adjust)
    second = plots.kept(department_bars, df.copy(), "v", unit="ratio", district=0.5, title="按时办结率",
                        adjust=plots.Adjust(room=0.2, xaxes={"ticksuffix": "%"}, layout={"height": 222}))
    plain = plots.kept(department_bars, df, "v", unit="ratio", district=0.5, title="按时办结率")
    other = plots.kept(department_bars, df.assign(v=[0.1, 0.2]), "v", unit="ratio", district=0.5, title="按时办结率")
    st.session_state["out"] = (first, second, plain, other)


def test_a_kept_figure_is_made_once_with_the_pages_adjustments() -> None:
    """plots.kept makes a chart once per process for equal arguments and adjustments; the
    adjustments a page asks for are made to it then (the same chart as built and changed
    directly); other arguments or adjustments give another figure, each drawn as its builder
    draws it."""
    import json

    import numpy as np
    import pandas as pd

    from charts.common import department_bars
    from dashboard.kit import plots

    at = AppTest.from_function(_figures).run()
    assert not at.exception
    first, second, plain, other = at.session_state["out"]
    assert first is second
    assert plain is not first and other is not plain
    df = pd.DataFrame({"dept_code": ["D1", "D2"], "dept_name": ["甲局", "乙局"], "v": [0.4, 0.9]})
    for fig, v in ((plain, df["v"]), (other, [0.1, 0.2])):
        fresh = department_bars(df.assign(v=v), "v", unit="ratio", district=0.5, title="按时办结率")
        assert isinstance(fresh.data[0].x, np.ndarray) and json.loads(fig.to_json()) == json.loads(fresh.to_json())
    assert json.loads(plain.to_json()) != json.loads(other.to_json())
    built = plots.room_for_labels(department_bars(df, "v", unit="ratio", district=0.5, title="按时办结率"), 0.2)
    built.update_xaxes(ticksuffix="%")
    built.update_layout(height=222)
    assert json.loads(first.to_json()) == json.loads(built.to_json())
    assert first.layout.height == 222 and list(first.layout.xaxis.range) == [0, 90.0 * 1.2]
    assert plain.layout.height != 222 and plain.layout.xaxis.range is None


def _drawn_kept() -> None:
    import pandas as pd
    import streamlit as st

    from charts.common import department_bars
    from dashboard.kit import plots

    df = pd.DataFrame({"dept_code": ["D1", "D2"], "dept_name": ["甲局", "乙局"], "v": [0.4, 0.9]})
    shared = plots.kept(department_bars, df, "v", unit="ratio", district=0.5, title="按时办结率")
    before = shared.to_json()
    plots.chart(shared, key="kept_chart", on_select="rerun", selection_mode="points")
    again = plots.kept(department_bars, df, "v", unit="ratio", district=0.5, title="按时办结率")
    st.session_state["out"] = (shared is again, before == again.to_json())


def test_a_kept_figure_is_drawn_as_it_is_and_stays_unchanged() -> None:
    """plots.kept hands out the process's one figure (no copy); drawing it with chart() leaves
    it as it was for the next session."""
    at = AppTest.from_function(_drawn_kept).run()
    assert not at.exception
    assert at.session_state["out"] == (True, True)
    assert len(at.get("plotly_chart")) == 1


def test_sessions_drawing_one_kept_figure_at_once_get_whole_charts() -> None:
    """Sessions run in threads: eight of them reading the same kept figure (a heatmap and a
    scatter, as on 负面清单) at once, as ``st.plotly_chart`` does (``to_dict``), each get the
    chart as built, and the figure stays as it was."""
    import json
    import threading

    from dashboard.kit import plots

    shared = plots.kept(_heatmap_and_scatter, 20)
    before = shared.to_json()
    failures: list[BaseException] = []
    specs: list[str] = []

    def work() -> None:
        for _ in range(60):
            try:
                specs.append(json.dumps(plots.kept(_heatmap_and_scatter, 20).to_dict(), default=list))
            except Exception as err:
                failures.append(err)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert failures == []
    assert len(specs) == 480
    assert len(set(specs)) == 1
    assert [d["type"] for d in json.loads(specs[0])["data"]] == ["heatmap", "scatter"]
    assert shared.to_json() == before


def test_a_kept_figure_makes_its_dict_once_and_a_change_to_it_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """A kept figure gives st.plotly_chart the dict its builder's figure gives, made once (a new
    top-level dict per call over one kept copy); under the suite's check, a figure changed
    after it was kept fails loudly instead of drawing a stale chart."""
    import json

    from dashboard.kit import memo, plots

    monkeypatch.setenv(memo.CHECK_ENV, "1")
    shared = plots.kept(_heatmap_and_scatter, 7)
    assert isinstance(shared, plots.KeptFigure)
    built = _heatmap_and_scatter(7).to_dict()  # type: ignore[attr-defined]
    assert json.dumps(shared.to_dict(), default=list) == json.dumps(built, default=list)
    first, second = shared.to_dict(), shared.to_dict()
    assert first is not second and first["data"] is second["data"]
    first["_grid_str"] = "added by a caller"
    assert "_grid_str" not in shared.to_dict()
    try:
        shared.update_layout(height=123)
        with pytest.raises(memo.SharedResultChanged):
            shared.to_dict()
    finally:
        memo.clear_all()


def _heatmap_and_scatter(n: int) -> object:
    import numpy as np
    import plotly.graph_objects as go

    return go.Figure([go.Heatmap(z=np.arange(n * n).reshape(n, n), y=[f"r{i}" for i in range(n)]),
                      go.Scatter(x=list(range(n)), y=list(range(n)), customdata=list(range(n)))])


def _capped_table() -> None:
    import pandas as pd

    from dashboard.kit import tables

    df = pd.DataFrame({"app_id": [f"A{i}" for i in range(5)], "dept_code": ["D1"] * 5})
    tables.table(tables.capped(df, "办件", key="t", columns=["app_id"]), "办件", key="t_table",
                 columns=["app_id"])


def test_a_long_table_draws_its_first_rows_and_downloads_them_all(monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.kit import cache, tables

    monkeypatch.setattr(tables, "MAX_ROWS", 3)
    monkeypatch.setattr(cache, "code_names", lambda: {"dept": {"D1": "甲局"}, "item": {}})
    at = AppTest.from_function(_capped_table).run()
    assert not at.exception
    assert len(at.dataframe) == 1 and list(at.dataframe[0].value.iloc[:, 0]) == ["A0", "A1", "A2"]
    assert "仅显示前 3 条" in at.caption[0].value and "全部 5 条" in at.caption[0].value
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("下载 CSV") == 2  # the whole table, and the rows shown
    whole = tables._download_frame(pd.DataFrame({"app_id": [f"A{i}" for i in range(5)], "dept_code": ["D1"] * 5}),
                                   None, {"dept": {"D1": "甲局"}})
    assert list(whole.columns) == ["办件编号", "部门名称", "部门编码"]  # the download: names and codes
    assert len(whole) == 5 and list(whole["部门名称"]) == ["甲局"] * 5  # and every row


def test_names_and_missing_text_per_distinct_value() -> None:
    """tables.named and tables.whole look each distinct value up once; the result is the same
    as per cell: missing codes stay missing, an empty department code is the district."""
    import pandas as pd

    from dashboard.kit import tables

    df = pd.DataFrame({"dept_code": pd.array(["D1", None, "", "D9", "D1"], dtype="string"),
                       "note": ["nan", "好", None, "None", "好"]})
    out = tables.named(df, {"dept": {"D1": "甲局"}})
    assert list(out["dept_name"]) == ["甲局", None, "全区", "D9", "甲局"]
    assert [None if pd.isna(v) else v for v in tables.whole(df["note"])] == [None, "好", None, None, "好"]


def _kept_tables() -> None:
    import pandas as pd
    import streamlit as st

    from dashboard.kit import tables

    def frame(v: float) -> pd.DataFrame:
        return pd.DataFrame({"dept_code": ["D01", None], "case_count": [3.0, float("nan")], "flag": [True, False],
                             "score": [81.26, v]})

    tables.table(frame(70.04), "表", key="t1")
    tables.table(frame(70.04), "表", key="t2")  # an equal frame, another object
    tables.table(frame(60.0), "表", key="t3")
    names = tables.names_for(frame(70.04))
    kept = [tables.shown(frame(v)) for v in (70.04, 70.04, 60.0)]
    shown = tables.display(frame(70.04), names=names)
    st.session_state["out"] = (kept[0] is kept[1], kept[0] is kept[2], shown)
    st.session_state["shown"] = shown.to_dict("list")
    from streamlit import dataframe_util

    drawn = [tables.drawn_data(df, headers={"flag": "标志"}) for df in (frame(70.04), frame(70.04))]
    mixed = tables.drawn_data(pd.DataFrame({"note": [1, "甲", None]}))  # Arrow cannot take it as it is
    st.session_state["arrow"] = (
        drawn[0][1] is drawn[1][1], drawn[0][0] is drawn[1][0], list(drawn[0][0].columns),
        [dataframe_util.convert_arrow_table_to_arrow_bytes(data) == dataframe_util.convert_pandas_df_to_arrow_bytes(f)
         for f, data in (drawn[0], mixed)])


def test_a_table_as_shown_is_made_once_per_process_for_equal_frames() -> None:
    """tables.table keeps the shown frame (names, 是/否, rounding, Chinese headers) per
    process for equal inputs; what it draws is exactly display() of the frame."""
    at = AppTest.from_function(_kept_tables).run()
    assert not at.exception
    same, other, expected = at.session_state["out"]
    assert same and not other
    drawn = [df.value for df in at.dataframe]
    assert len(drawn) == 3
    def cells(df: pd.DataFrame) -> list[list[object]]:  # a missing cell as None, whatever its dtype
        return df.astype(object).where(df.notna(), None).to_numpy().tolist()

    assert list(drawn[0].columns) == list(expected.columns)
    assert cells(drawn[0]) == cells(expected) and cells(drawn[1]) == cells(expected)
    assert list(drawn[2].iloc[:, -1]) != list(expected.iloc[:, -1])
    shown = at.session_state["shown"]
    assert shown["得分"] == [81.3, 70.0] and shown["flag"] == ["是", "否"]  # rounded, flags in words
    assert shown["case_count"][0] == 3 and pd.isna(shown["case_count"][1])  # a count, never 3.0
    assert next(iter(shown)) == "部门名称"  # the code named


def test_a_table_is_given_to_streamlit_as_the_arrow_table_it_would_make_once_per_process() -> None:
    """tables.drawn_data converts a kept shown frame to Arrow once: the bytes Streamlit sends
    for it equal those it sends for the frame (also for a column Arrow cannot take as it is)."""
    at = AppTest.from_function(_kept_tables).run()
    assert not at.exception
    same_table, same_frame, columns, equal_bytes = at.session_state["arrow"]
    assert same_table and same_frame
    assert "标志" in columns and "flag" not in columns
    assert equal_bytes == [True, True]


def test_a_frame_has_one_content_key_whatever_its_process_asked_of_its_dtypes() -> None:
    """The shared dtype instances cache properties on themselves once asked (Int64's
    index_class): a frame's key does not change with that, and still tells dtypes apart."""
    from dashboard.kit.content_key import content_key

    df = pd.DataFrame({"n": pd.array([1, None, 3], dtype="Int64"), "s": pd.array(["a", None, "c"], dtype="string")})
    dtype = df["n"].dtype
    dtype.__dict__.pop("_cache", None)  # what other tests asked of it
    before = content_key(df)
    assert dtype.index_class is not None and "index_class" in dtype.__dict__["_cache"]  # cached on the shared instance
    assert content_key(df) == before
    assert content_key(df.astype({"n": "Float64"})) != before
    assert content_key(df.astype({"s": pd.StringDtype(na_value=float("nan"))})) != before
    cats = pd.DataFrame({"c": pd.Categorical(["a", "b"])})
    assert content_key(cats) != content_key(cats.astype(pd.CategoricalDtype(["a", "b", "c"])))
    assert content_key(cats) == content_key(cats.copy())
