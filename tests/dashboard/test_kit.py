"""The shared page pieces of dashboard.kit on their own (AppTest on small scripts): the
headline card writes its change as the deck does, and the one URL-state API."""

from __future__ import annotations

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
