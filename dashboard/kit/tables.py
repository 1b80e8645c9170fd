"""Tables on a page: Chinese headers (from the catalogue or the data contract), 是/否 for
flags, scores to one decimal, — for missing values, CSV and Excel downloads built on click,
and an explanation instead of an empty space.  They only present what :mod:`metrics`
computed; none of them computes an indicator."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, partial
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.kit import auth
from dashboard.kit import cache as data_cache
from dashboard.kit.content_key import content_key
from dashboard.kit.indicator_text import config, name
from dashboard.kit.memo import kept_memo
from dashboard.labels import has, t
from data import contract
from report import spreadsheet


@cache
def _contract_headers() -> dict[str, str]:
    """Column id → Chinese name from the data contract (a later table's name wins, so
    ``nl_code`` of an item is 负面清单事项编码); ids whose name differs by table (``channel``)
    are named in the catalogue's [columns]."""
    return {c.id: c.zh for table in contract.TABLES for c in table.columns}


def header(column: str) -> str:
    """The Chinese header of a column id (labels catalogue, else the data contract)."""
    if has(f"columns.{column}"):
        return t(f"columns.{column}")
    return _contract_headers().get(column, column)


SCORE_COLUMNS = frozenset({"score", "composite", "deductions", "previous_score", "previous_composite",
                           "composite_change", "办事流程", "服务渠道", "审批途径", "监管手段", "制度宣传保障"})


MAX_ROWS = 2000
"""Rows a table draws at most: the browser gets a page of records, not 50,000 (the downloads
hold them all)."""

CODE_NAMES = {"dept_code": ("dept", "dept_name"), "street_code": ("dept", "street_name"),
              "item_code": ("item", "item_name")}
"""Code columns named for people: column → (kind of code, the name column shown instead)."""

CodeNames = Mapping[str, Mapping[str, str]]

PEOPLE_COLUMNS = ("user_name", "created_by", "submitted_by", "updated_by")
"""Columns holding a username: shown (and downloaded) as the person's name (``user`` names)."""


def _per_value(s: pd.Series, fn: Callable[[Any], Any]) -> pd.Series:
    """``fn`` of each value of ``s`` as objects, called once per distinct value (a record table
    of 20,000 rows has a few dozen department codes); a missing value gives ``fn(None)``."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    out = np.empty(len(uniques) + 1, dtype=object)
    out[:-1] = [fn(u) for u in uniques]
    out[-1] = fn(None)
    return pd.Series(out[codes], index=s.index, dtype=object)


def named(df: pd.DataFrame, names: CodeNames, *, keep_codes: bool = False) -> pd.DataFrame:
    """``df`` with a name beside each department, street or item code: the code column becomes
    its name column (an empty department code is the district); with ``keep_codes`` (the
    downloads) the code stays right after the name.  Where the table already has the name, a
    department or street code is dropped and an item code (an identifier people quote) kept."""
    out = df.copy()
    people = names.get("user", {})
    for col in PEOPLE_COLUMNS:
        if col in out.columns and people:
            out[col] = _per_value(out[col], lambda u: people.get(u, u) if isinstance(u, str) else u)
    for code_col, (kind, name_col) in CODE_NAMES.items():
        if code_col not in out.columns:
            continue
        if name_col in out.columns:
            if not keep_codes and kind == "dept":
                out = out.drop(columns=code_col)
            continue
        lookup = names.get(kind, {})
        blank = t("common.district") if code_col == "dept_code" else None

        def to_name(code: Any, lookup: Mapping[str, str] = lookup, blank: str | None = blank) -> Any:
            if not isinstance(code, str):
                return None if code is None or pd.isna(code) else str(code)
            return lookup.get(code, code) if code else blank

        out.insert(int(out.columns.get_loc(code_col)), name_col, _per_value(out[code_col], to_name))
        if not keep_codes:
            out = out.drop(columns=code_col)
    return out


def names_for(df: pd.DataFrame) -> CodeNames:
    """The names :func:`display` needs for ``df``'s code and username columns (the database's,
    :func:`dashboard.kit.cache.code_names`; empty when ``df`` has none of those columns)."""
    wanted = data_cache.code_names() if any(c in df.columns for c in CODE_NAMES) else {}
    people = auth.display_names() if any(c in df.columns for c in PEOPLE_COLUMNS) else {}
    return {**wanted, "user": people}


def display(df: pd.DataFrame, columns: Sequence[str] | None = None, *, codes: bool = False,
            names: CodeNames | None = None) -> pd.DataFrame:
    """``df`` (optionally only ``columns``) with Chinese headers, names for department, street
    and item codes (the codes too with ``codes``, for downloads), 是/否 for flags and scores
    to one decimal.  ``names`` defaults to :func:`names_for`."""
    out = df if columns is None else df.loc[:, [c for c in columns if c in df.columns]]
    if any(c in out.columns for c in (*CODE_NAMES, *PEOPLE_COLUMNS)):
        out = named(out, names_for(out) if names is None else names, keep_codes=codes)
    out = out.copy()
    for c in out.columns:
        if out[c].dtype == bool:
            out[c] = out[c].map({True: "是", False: "否"})
        elif c in SCORE_COLUMNS:
            out[c] = pd.to_numeric(out[c], errors="coerce").round(1)
        elif not str(c).endswith(("%", "（%）")):  # a percentage keeps its decimal
            out[c] = whole(out[c])
    return out.rename(columns={c: header(c) for c in out.columns})


MISSING_TEXT = frozenset({"nan", "NaN", "None", "NaT", "<NA>"})
"""What ``str()`` of a missing value writes; shown as — like any missing value."""


def whole(s: pd.Series) -> pd.Series:
    """A column as people read it: a float column of whole numbers (counts that picked up a
    missing value) as integers, never ``57.0``; the text of a missing value as missing."""
    if s.dtype.kind == "f":
        known = s.dropna()
        if len(known) and bool((known == known.round()).all()) and bool((known.abs() < 2**53).all()):
            return s.astype("Int64")
        return s
    if s.dtype == object or isinstance(s.dtype, pd.StringDtype):
        return s.mask(_per_value(s, lambda v: isinstance(v, str) and v in MISSING_TEXT).astype(bool))
    return s


def indicator_columns(df: pd.DataFrame, ratios: Iterable[str] = (), values: Iterable[str] = ()) -> pd.DataFrame:
    """``df`` with indicator columns headed by the indicator's Chinese name: ``ratios`` as
    percentages to one decimal (header ``名称（%）``), ``values`` to two decimals, any other
    indicator column (a count) as it is."""
    out = df.copy()
    names: dict[str, str] = {}
    for col in ratios:
        if col in out.columns:
            out[col] = (pd.to_numeric(out[col], errors="coerce") * 100).round(1)
            names[col] = f"{name(col)}（%）"
    for col in values:
        if col in out.columns:
            out[col] = pd.to_numeric(out[col], errors="coerce").round(2)
            names[col] = name(col)
    known = config().indicators
    names.update({c: name(c) for c in out.columns if c in known and c not in names})
    return out.rename(columns=names)


def percent(df: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Fractions as percentages to one decimal (for non-indicator share columns)."""
    out = df.copy()
    for col in columns:
        if col in out.columns:
            out[col] = (pd.to_numeric(out[col], errors="coerce") * 100).round(1)
    return out


def rounded(df: pd.DataFrame, columns: Iterable[str], digits: int = 1) -> pd.DataFrame:
    """The given numeric columns rounded to ``digits`` decimals."""
    out = df.copy()
    for col in columns:
        if col in out.columns:
            out[col] = pd.to_numeric(out[col], errors="coerce").round(digits)
    return out


def score_format(*headers: str) -> dict[str, Any]:
    """``column_config`` showing the given (Chinese-headed) score columns to one decimal."""
    return {h: st.column_config.NumberColumn(h, format="%.1f") for h in headers}


_KINDS = {
    "percent": lambda: st.column_config.NumberColumn(format="percent"),
    "date": lambda: st.column_config.DateColumn(format="YYYY-MM-DD"),
    "time": lambda: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
}


def column_formats(**columns: str) -> dict[str, Any]:
    """``column_config`` by column id: ``percent`` (a fraction shown as %, the download keeps
    the fraction), ``date`` or ``time`` display."""
    return {header(col): _KINDS[kind]() for col, kind in columns.items()}


def excel_formats(column_config: Mapping[str, Any] | None) -> dict[str, str]:
    """Excel number formats for the columns a table's ``column_config`` formats on screen:
    a percent column (a fraction) as ``0.0%``, a ``%.1f`` column as ``0.0``."""
    out: dict[str, str] = {}
    for header_, cfg in (column_config or {}).items():
        fmt = (cfg.get("type_config") or {}).get("format") if isinstance(cfg, Mapping) else None
        if fmt == "percent":
            out[header_] = spreadsheet.PERCENT
        elif isinstance(fmt, str) and fmt.startswith("%.") and fmt.endswith("f") and fmt[2:-1].isdigit():
            out[header_] = "0." + "0" * int(fmt[2:-1]) if int(fmt[2:-1]) else "0"
    return out


def _xlsx(df: pd.DataFrame, sheet: str, formats: Mapping[str, str] | None = None) -> bytes:
    """Every cell by its type (numbers as numbers, rates with a % format); text that a
    spreadsheet would run as a formula stays text."""
    return spreadsheet.to_xlsx_bytes({sheet: df}, {sheet: formats or {}})


def _csv(df: pd.DataFrame) -> bytes:
    return spreadsheet.to_csv_bytes(df)


def _download_frame(df: pd.DataFrame, columns: Sequence[str] | None, names: CodeNames) -> pd.DataFrame:
    return display(df, columns, codes=True, names=names)


def downloads(df: pd.DataFrame | Callable[[], pd.DataFrame], filename: str, *, key: str,
              formats: Mapping[str, str] | None = None) -> None:
    """CSV (UTF-8 with BOM, opens in Excel) and Excel buttons for a table as shown (Excel
    number ``formats`` by header); the files are built only when a button is clicked, and a
    click does not rerun the page.  ``df`` may be a function making the table, which then
    also runs only on a click (it must not need the page run: pass it what it reads)."""
    make = df if callable(df) else (lambda: df)
    row = st.container(horizontal=True)
    row.download_button(t("common.download_csv"), lambda: _csv(make()),
                       f"{filename}.csv", "text/csv", key=f"{key}_csv", icon=":material/download:",
                       on_click="ignore")
    row.download_button(t("common.download_xlsx"), lambda: _xlsx(make(), filename, formats), f"{filename}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"{key}_xlsx", icon=":material/table_view:", on_click="ignore")


def capped(df: pd.DataFrame, filename: str, *, key: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The first :data:`MAX_ROWS` rows of ``df``; above that the page says so and offers the
    whole table (``filename``_全部) for download."""
    if len(df) <= MAX_ROWS:
        return df
    st.caption(t("common.rows_capped", shown=MAX_ROWS, n=len(df)))
    downloads(partial(_download_frame, df, columns, names_for(df)), f"{filename}_全部", key=f"{key}_all")
    return df.head(MAX_ROWS)


_SHOWN = kept_memo("tables.shown", 256)
_ARROW = kept_memo("tables.arrow", 256, check=False)  # an Arrow table is immutable


def _display(df: pd.DataFrame, columns: tuple[str, ...] | None, names: CodeNames,
             headers: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    out = display(df, columns, names=names)
    return out.rename(columns=dict(headers)) if headers else out


def _kept_display(df: pd.DataFrame, columns: tuple[str, ...] | None, names: CodeNames,
                  headers: tuple[tuple[str, str], ...] = ()) -> tuple[str, pd.DataFrame]:
    """(its key, :func:`display` of a table with ``headers`` renamed), made once for all the
    processes (:func:`dashboard.kit.cache.drawing`) for the same frame, columns, names and
    headers (kept by their :func:`~dashboard.kit.content_key.content_key`) and shared by every
    session, which only draws it: naming the codes and formatting each column was a fifth of
    the server's CPU on a rerun whose numbers are all cached."""
    key = content_key(df, columns, names, headers)
    return key, _SHOWN.get(key, lambda: data_cache.drawing(("shown", key), partial(_display, df, columns, names, headers)))


def _arrow_converter() -> Callable[[pd.DataFrame], Any] | None:
    """Streamlit's own conversion of a frame to the Arrow table ``st.dataframe`` draws (with
    its fixes for mixed types); None if this Streamlit has no such function."""
    from streamlit import dataframe_util

    return getattr(dataframe_util, "convert_pandas_df_to_arrow_table", None)


def _to_arrow(frame: pd.DataFrame) -> bytes:
    """The Arrow table of ``frame`` as an Arrow IPC stream: the bytes of the rows it holds.  A
    pickle of a table cut from a longer one (a capped list) holds the whole buffers it was cut
    from: 3.3 MB for 335 KB of 2,000 rows."""
    import pyarrow as pa

    convert = _arrow_converter()
    assert convert is not None
    table = convert(frame)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue())


def _arrow_table(frame: pd.DataFrame, key: str) -> Any:
    """The Arrow table of the kept ``frame`` (kept by its ``key``), made once for all the
    processes; the frame itself if this Streamlit cannot convert it."""
    import pyarrow as pa

    if _arrow_converter() is None:
        return frame
    raw = data_cache.drawing(("arrow", key), partial(_to_arrow, frame))
    return pa.ipc.open_stream(pa.py_buffer(raw)).read_all()


def drawn_data(df: pd.DataFrame, columns: Sequence[str] | None = None,
               headers: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, Any]:
    """(:func:`shown` of ``df`` with ``headers`` renamed, what ``st.dataframe`` is given to
    draw it): the Arrow table of the kept frame, converted once for all the processes.
    Streamlit converts a pandas frame to Arrow on every call (6 % of the server's CPU on reruns whose
    numbers are all cached); a table it is given is only serialised.  The frame is for the
    page's own use (its length, downloads) and, like the table, never changed."""
    key, frame = _kept_display(df, None if columns is None else tuple(columns), names_for(df),
                               tuple((headers or {}).items()))
    return frame, _ARROW.get(key, partial(_arrow_table, frame, key))


def shown(df: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """:func:`display` of ``df`` as the process keeps it for every session: a page draws it or
    derives a new frame from it (``rename``), never changes it."""
    names = names_for(df)
    cols = None if columns is None else tuple(columns)
    return _kept_display(df, cols, names)[1]


def table(df: pd.DataFrame, filename: str, *, key: str, columns: Sequence[str] | None = None,
          height: int | None = None, empty_reason: str | None = None, **kw: Any) -> Any:
    """A table with Chinese headers and its downloads; an explanation when it is empty
    (``empty_reason``, else that the period holds no such records: a page without a period
    gives its own reason).  The download's table (codes beside the names) is made on a click."""
    names = names_for(df)
    drawn, data = drawn_data(df, columns)
    if drawn.empty:
        empty(empty_reason)
        return None
    kw.setdefault("placeholder", "—")  # missing values, never the English "None"
    event = st.dataframe(data, hide_index=True, key=key, height=height or "auto", **kw)
    downloads(partial(_download_frame, df, columns, names), filename, key=f"{key}_dl",
              formats=excel_formats(kw.get("column_config")))
    return event


def empty(reason: str | None = None) -> None:
    """Say why there is nothing to show, never an empty space."""
    st.info(reason or t("common.empty_reason_period"), icon=":material/info:")
