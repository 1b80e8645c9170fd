"""No "None", "nan", "NaT" or "<NA>" anywhere the browser shows (issue 19): every page of the
navigation on the demo data, as a leader and as a department user — the page's texts and
widget options, every table cell as the browser draws it (a missing value drawn without a
placeholder is Streamlit's English "None"; a styled table's formatted text), every chart's
strings (hover texts, labels, ticks, annotations) and every CSV and Excel download."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import openpyxl
import pyarrow as pa
import pytest
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from dashboard.navigation import available
from tests.fixtures.apptest import as_role, assert_clean, open_page

TOKEN = re.compile(r"(?<![A-Za-z])(None|nan|NaN|NaT|<NA>)(?![A-Za-z])")
TEXT_KINDS = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "error",
              "text", "metric", "expander", "tab", "button", "selectbox", "multiselect", "radio", "toggle",
              "checkbox", "text_input", "text_area", "date_input", "number_input", "segmented_control", "pills")
DEPT = "JH009"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def _element_texts(el: Any) -> Iterator[str]:
    proto = getattr(el, "proto", None)
    for attr in ("value", "label", "body", "delta", "options", "help", "placeholder"):
        try:
            v = getattr(el, attr, None)
        except Exception:  # a widget without a current value
            continue
        if isinstance(v, str | list | tuple):
            yield from _strings(list(v) if isinstance(v, tuple) else v)
    if proto is not None and hasattr(proto, "label") and isinstance(proto.label, str):
        yield proto.label


def _table(table: pa.Table) -> list[list[Any]]:
    return [list(row.values()) for row in table.to_pylist()]


def _frame_problems(el: Any, where: str) -> list[str]:
    """A table's cells as the browser draws them: a null in a shown column without a
    placeholder is drawn as "None"; text cells and a styled table's formatted values as sent."""
    proto = el.proto
    raw = proto.arrow_data.data or (proto.lazy_data.initial_chunk.data if proto.HasField("lazy_data") else b"")
    found: list[str] = []
    if raw:
        data = pa.ipc.open_stream(raw).read_all()
        shown = [c for c in data.column_names if not c.startswith("__index")
                 and (not proto.column_order or c in proto.column_order)]
        nulls = [c for c in shown if data[c].null_count]
        if nulls and not proto.placeholder:
            found.append(f"{where}: missing values drawn as None in {nulls[:5]}")
        for row in _table(data.select(shown)):
            found += [f"{where}: cell {v!r}" for v in row if isinstance(v, str) and TOKEN.fullmatch(v.strip())]
        if proto.arrow_data.HasField("styler") and proto.arrow_data.styler.display_values:
            # a styled cell shows its formatted text, a null cell the placeholder (checked above)
            styled = pa.ipc.open_stream(proto.arrow_data.styler.display_values).read_all()
            for c in (c for c in shown if c in styled.column_names):
                found += [f"{where}: styled cell {c} {text!r}"
                          for value, text in zip(data[c].to_pylist(), styled[c].to_pylist(), strict=True)
                          if value is not None and isinstance(text, str) and TOKEN.search(text)]
    return found


def _chart_problems(el: Any, where: str) -> list[str]:
    spec = json.loads(el.proto.spec)
    texts = list(_strings([{k: v for k, v in trace.items() if k not in ("type", "mode", "hoverinfo")}
                           for trace in spec.get("data", [])]))
    layout = spec.get("layout", {})
    texts += list(_strings([layout.get("title"), layout.get("annotations"),
                            [v for k, v in layout.items() if k.startswith(("xaxis", "yaxis"))]]))
    return [f"{where}: chart text {s[:80]!r}" for s in texts if TOKEN.search(s)]


def _file_problems(name: str, data: bytes, where: str) -> list[str]:
    cells: list[str] = []
    if name.endswith(".csv"):
        cells = [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]
    elif name.endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                 for c in row if isinstance(c, str)]
    return [f"{where}: {name} cell {c[:60]!r}" for c in cells if TOKEN.search(c)]


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bytes]]:
    """Every CSV and Excel file a download button on the page would send (deferred ones built)."""
    got: list[tuple[str, bytes]] = []
    original: Callable[..., Any] = DeltaGenerator.download_button

    def capture(self: DeltaGenerator, label: str, data: Any, file_name: str | None = None, *a: Any, **kw: Any) -> Any:
        name = file_name or ""
        if name.endswith((".csv", ".xlsx")):
            body = data() if callable(data) else data
            got.append((name, body.encode() if isinstance(body, str) else bytes(body)))
        return original(self, label, data, file_name, *a, **kw)

    monkeypatch.setattr(DeltaGenerator, "download_button", capture)
    return got


def _sweep(app: AppTest, role: str, downloads: list[tuple[str, bytes]], **query: str) -> tuple[list[str], Counter[str]]:
    problems: list[str] = []
    pages = available(role=role)
    seen: Counter[str] = Counter()
    for spec in pages:
        downloads.clear()
        open_page(app, spec.page, **query)
        where = f"{role} {spec.page} {query}"
        assert_clean(app)
        for kind in TEXT_KINDS:
            for el in app.get(kind):
                texts = list(_element_texts(el))
                seen["texts"] += len(texts)
                problems += [f"{where}: {kind} {s[:80]!r}" for s in texts if TOKEN.search(s)]
        for el in app.get("dataframe"):
            problems += _frame_problems(el, where)
            seen["tables"] += 1
        for el in app.get("plotly_chart"):
            problems += _chart_problems(el, where)
            seen["charts"] += 1
        for name, data in downloads:
            problems += _file_problems(name, data, where)
        seen["files"] += len(downloads)
        seen["pages"] += 1
    return problems, seen


@pytest.mark.parametrize(("role", "dept", "period"), [
    ("领导", None, ""), ("部门用户", DEPT, ""),
    ("领导", None, "2026-11"),  # the month in progress: indicators without a full month, few records
])
def test_no_page_shows_missing_value_words(app: AppTest, downloads: list[tuple[str, bytes]], role: str,
                                           dept: str | None, period: str) -> None:
    as_role(app, role, dept)
    problems, seen = _sweep(app, role, downloads, **({"period": period} if period else {}))
    print(role, dict(seen))
    assert seen["pages"] >= 10 and seen["tables"] >= 10 and seen["charts"] >= 5 and seen["files"] >= 20, seen
    assert problems == [], "\n".join(problems[:40])


def test_the_scanner_finds_the_words() -> None:
    """The checks above can fail: each kind of leak is found."""
    assert _file_problems("a.csv", "名称,值\n甲,None\n乙,nan%\n".encode(), "x") == [
        "x: a.csv cell 'None'", "x: a.csv cell 'nan%'"]
    assert not _file_problems("a.csv", "名称\nNanjing\nFinance\n".encode(), "x")
    buf = io.BytesIO()
    pa_table = pa.table({"a": ["甲", None], "b": ["NaT", "乙"]})
    with pa.ipc.new_stream(buf, pa_table.schema) as w:
        w.write_table(pa_table)

    from streamlit.proto.Dataframe_pb2 import Dataframe as DataframeProto

    class El:
        proto = DataframeProto()

    El.proto.arrow_data.data = buf.getvalue()
    assert _frame_problems(El(), "x") == ["x: missing values drawn as None in ['a']", "x: cell 'NaT'"]
