"""Rendering helpers of 短板清单: each weak link explaining itself, the formatted list, and
the meeting's Excel export (a titled, formatted sheet for the joint meeting)."""

from __future__ import annotations

import io

import pandas as pd

from dashboard.kit import indicator_text, tables
from dashboard.labels import t
from metrics.config import Deductions
from report import spreadsheet

LIST_COLUMNS = ["severity", "dept_name", "dimension", "indicator_name", "value", "score", "district_value",
                "previous_value", "reason"]


def _score(v: object) -> str:
    return "—" if v is None or pd.isna(v) else f"{float(v):.1f}"  # type: ignore[arg-type]


def explain(row: pd.Series, deductions: Deductions | None = None) -> str:
    """One weak link in a sentence: value, score, district value, previous value, reason."""
    ind = str(row["indicator"])
    if row["score"] is None or pd.isna(row["score"]):
        d = deductions or Deductions()
        points = d.per_unreported if ind == "unreported_count" else d.per_key_overdue
        return t("weak_links.explain_count", dept=row["dept_name"], value=indicator_text.fmt(ind, row["value"]),
                 indicator=row["indicator_name"], district=indicator_text.fmt(ind, row["district_value"]),
                 previous=indicator_text.fmt(ind, row["previous_value"]), reason=row["reason"], points=points, cap=d.cap)
    return t("weak_links.explain_scored", dept=row["dept_name"], indicator=row["indicator_name"],
             value=indicator_text.fmt(ind, row["value"]), score=_score(row["score"]), district=indicator_text.fmt(ind, row["district_value"]),
             previous=indicator_text.fmt(ind, row["previous_value"]), previous_score=_score(row["previous_score"]),
             reason=row["reason"])


def formatted(links: pd.DataFrame, deductions: Deductions | None = None) -> pd.DataFrame:
    """The weak links with values formatted for people (ratios as %, 无数据 for null) and the
    explanation sentence; column ids kept (headers come from the catalogue)."""
    out = links.copy()
    for col in ("value", "district_value", "previous_value"):
        out[col] = [indicator_text.fmt(i, v) for i, v in zip(links["indicator"], links[col], strict=True)]
    out["score"] = pd.array(pd.to_numeric(links["score"], errors="coerce"), dtype="Float64").round(1)
    out["explanation"] = [explain(r, deductions) for _, r in links.iterrows()]
    return out


def list_frame(links: pd.DataFrame, deductions: Deductions | None = None) -> pd.DataFrame:
    """The table shown on the page (Chinese headers)."""
    shown = tables.shown(formatted(links, deductions), [*LIST_COLUMNS, "explanation"])
    return shown.rename(columns={tables.header("explanation"): t("weak_links.col_explanation")})


def meeting_workbook(links: pd.DataFrame, *, period: str, as_of: str, deductions: Deductions | None = None) -> bytes:
    """The 会议导出 workbook: a title, the period, the list with a 说明 column, 严重 rows in red.
    Written through :func:`report.spreadsheet.excel_writer`: text is never turned into a formula."""
    table = list_frame(links, deductions)
    buf = io.BytesIO()
    with spreadsheet.excel_writer(buf) as xw:
        sheet = t("weak_links.meeting_sheet")
        table.to_excel(xw, index=False, sheet_name=sheet, startrow=3)
        book, ws = xw.book, xw.sheets[sheet]
        title = book.add_format({"bold": True, "font_size": 16, "font_name": "宋体"})
        note = book.add_format({"font_size": 10, "font_color": "#555555", "font_name": "宋体"})
        head = book.add_format({"bold": True, "bg_color": "#1d4f91", "font_color": "#ffffff", "border": 1,
                                "text_wrap": True, "valign": "vcenter", "font_name": "宋体"})
        cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top", "font_name": "宋体"})
        serious = book.add_format({"border": 1, "text_wrap": True, "valign": "top", "font_color": "#c8161d",
                                   "bold": True, "font_name": "宋体"})
        ws.write(0, 0, t("weak_links.meeting_title"), title)
        ws.write(1, 0, t("weak_links.meeting_period", period=period, as_of=as_of, n=len(table)), note)
        ws.write(2, 0, t("weak_links.meeting_note"), note)
        widths = [8, 20, 12, 22, 11, 8, 11, 11, 16, 60]
        for c, name in enumerate(table.columns):
            ws.write(3, c, name, head)
            ws.set_column(c, c, widths[c] if c < len(widths) else 14)
        for r, values in enumerate(table.itertuples(index=False), start=4):
            fmt = serious if values[0] == "严重" else cell
            for c, v in enumerate(values):
                ws.write(r, c, "" if v is None or (not isinstance(v, str) and pd.isna(v)) else v, fmt)
        ws.freeze_panes(4, 0)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(3)
    return buf.getvalue()
