"""Where the table is inside an exported sheet: header row, rows to skip, merged cells.

Platforms export a title row, a unit line (单位：件) and sometimes a blank row above the
header, and 合计/小计 rows and footnotes (注：…、制表人、导出时间…) below the data; workbooks
merge cells down a column (one department for five rows).  This module finds the header
among the first :data:`HEADER_SCAN_ROWS` rows, marks the total and footnote rows to skip
(each reported with its Excel row and reason, never dropped silently) and fills merged
ranges of the data rows, reporting each range filled.  What was found for one file or
sheet is a :class:`SheetLayout`, which the import report carries.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.aliases import normalize_name
from data.values import cell_text, to_text

HEADER_SCAN_ROWS = 20
"""The header is looked for among this many rows at the top of a sheet."""

TOTAL_WORDS = ("合计", "小计", "总计", "总合计", "全区合计", "累计")
FOOTNOTE_PREFIXES = (
    "说明", "备注", "附注", "注：", "注:", "注1", "注 ", "制表人", "制表单位", "制表日期", "制表时间", "填报单位",
    "填报人", "填表人", "填报日期", "审核人", "导出时间", "导出日期", "导出人", "打印时间", "打印日期", "数据来源",
    "统计时间", "统计日期", "数据截至", "数据截止", "统计截止", "单位：", "单位:", "联系人", "联系电话",
)
REJECT_COLUMNS = ("问题", "所在列")
"""The two columns a rejected-rows file adds (:mod:`data.rejected`); ignored on re-import."""
_TOTAL_FORMS = frozenset(
    form for w in TOTAL_WORDS for form in (w, " ".join(w), "  ".join(w), w + "：", w + ":")
)


@dataclass(frozen=True)
class SkippedRow:
    """A row below the header that is not data: its Excel row number, why, and its text."""

    row: int
    reason: str
    text: str

    def describe(self) -> str:
        return f"第 {self.row} 行（{self.text}）：{self.reason}，已跳过"


@dataclass(frozen=True)
class RewriteCount:
    """A value rewrite of a saved mapping and how many cells it changed in one sheet."""

    column: str
    source: str
    target: str
    count: int

    def describe(self) -> str:
        return f"列「{self.column}」：「{self.source}」→「{self.target}」{self.count} 处"


@dataclass(frozen=True)
class SheetLayout:
    """How one file or sheet was read: table, header, column matches, skipped and filled cells."""

    file: str
    sheet: str | None
    table: str | None
    how: str
    """How the table was chosen: 所选 / 模板 / 文件名 / 工作表名 / 表头 (empty when not chosen)."""
    candidates: tuple[str, ...]
    """Tables whose required columns the headers cover (several = the user must choose)."""
    header_row: int
    headers: tuple[str, ...]
    fingerprint: str
    columns: tuple[tuple[str, str | None], ...] = ()
    """Each non-empty header and the contract column it was matched to (``None`` = ignored)."""
    skipped: tuple[SkippedRow, ...] = ()
    filled: tuple[str, ...] = ()
    rewrites: tuple[RewriteCount, ...] = ()
    mapping: str | None = None

    @property
    def key(self) -> str:
        """How a caller names this source: ``file`` or ``file:sheet``."""
        return source_key(self.file, self.sheet)

    def notes(self) -> list[str]:
        """The report lines in Chinese: header row, template, skipped rows, filled ranges, rewrites."""
        out = [f"表头在第{self.header_row}行"]
        if self.mapping:
            out.append(f"已应用导入模板「{self.mapping}」")
        out += [s.describe() for s in self.skipped]
        out += self.filled
        out += [f"改写 {r.describe()}" for r in self.rewrites]
        return out


def source_key(file: str, sheet: str | None) -> str:
    return file if sheet is None else f"{file}:{sheet}"


def header_texts(row: Sequence[object]) -> list[str]:
    """A header row's cells as trimmed text (empty string for an empty cell), trailing empties dropped."""
    cells = [_text(v) for v in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def fingerprint(headers: Sequence[str]) -> str:
    """SHA-256 of the normalised non-empty header cells in order: the same export has the same one.

    The columns a rejected-rows file adds (问题、所在列) do not count, so a corrected file
    is recognised as the export it came from."""
    ignored = {normalize_name(c) for c in REJECT_COLUMNS}
    text = "\x1f".join(n for h in headers if h and (n := normalize_name(h)) not in ignored)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_header(rows: Sequence[Sequence[object]], names: Collection[str]) -> int | None:
    """Index of the header among ``rows``: the row naming most columns (at least two) in ``names``.

    ``None`` when no row names two known columns (the caller then takes the first non-empty row).
    """
    best, best_score = None, 1
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = len({n for h in header_texts(row) if h and (n := normalize_name(h)) in names})
        if score > best_score:
            best, best_score = i, score
    return best


def first_nonblank(rows: Sequence[Sequence[object]]) -> int:
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if any(header_texts(row)):
            return i
    return 0


def _text(value: object) -> str:
    """One cell as trimmed text ("" for an empty cell, NaN or NaT included)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    text = cell_text(value)
    return "" if text is None else str(text).strip()


def _row_texts(body: pd.DataFrame, i: int) -> list[str]:
    return [t for v in body.iloc[i].tolist() if (t := _text(v))]


def _footnote(texts: list[str]) -> bool:
    return bool(texts) and len(set(texts)) <= 2 and texts[0].startswith(FOOTNOTE_PREFIXES)


def _totals(body: pd.DataFrame) -> np.ndarray:
    mask = np.zeros(len(body), dtype=bool)
    for pos in range(min(2, body.shape[1])):
        text = to_text(body.iloc[:, pos])
        mask |= text.isin(_TOTAL_FORMS).to_numpy()
    return mask


def skip_rows(body: pd.DataFrame, first_row: int, *, tail: bool = True) -> tuple[np.ndarray, tuple[SkippedRow, ...]]:
    """Rows of ``body`` (row ``i`` is Excel row ``first_row + i``) that are totals or trailing footnotes.

    A total row has 合计/小计/总计… in one of its first two cells (anywhere in the sheet);
    footnotes are the rows at the end that start with 注：/说明/制表人/导出时间… (blank rows
    between them are passed over).  Returns the mask and each skipped row, in sheet order.
    ``tail=False``: ``body`` is not the end of the sheet (a chunk), so no row is a footnote.
    """
    n = len(body)
    mask = _totals(body)
    reasons: dict[int, str] = {int(i): "合计/小计行" for i in np.flatnonzero(mask)}
    for i in range(n - 1 if tail else -1, -1, -1):
        texts = _row_texts(body, i)
        if not texts or i in reasons:
            continue
        if not _footnote(texts):
            break
        mask[i] = True
        reasons[i] = "表尾说明行"
    skipped = tuple(
        SkippedRow(first_row + i, reasons[i], "".join(_row_texts(body, i))[:40]) for i in sorted(reasons)
    )
    return mask, skipped


def trailing_start(body: pd.DataFrame) -> int:
    """Where the run of blank, total and footnote-like rows at the end of ``body`` starts (``len(body)``
    when the last row is data): a chunk that is not the sheet's end holds these rows back for the next,
    so that footnotes are recognised only at the real end, as in a whole sheet."""
    totals = _totals(body.iloc[-64:]) if len(body) else np.zeros(0, dtype=bool)
    start = len(body)
    for i in range(len(body) - 1, -1, -1):
        t = i - (len(body) - len(totals))
        if t >= 0 and totals[t]:
            start = i
            continue
        texts = _row_texts(body, i)
        if texts and not _footnote(texts):
            break
        start = i
    return start


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def merged_ranges(sheet_xml: bytes) -> list[str]:
    """The merged ranges (``B5:B9``) declared in a worksheet's XML (read-only openpyxl has no merge info)."""
    return [m.group(1).decode("ascii") for m in _MERGE.finditer(sheet_xml)]


def fill_merged(body: pd.DataFrame, ranges: Sequence[str], header_row: int, skip: np.ndarray,
                carried: dict[str, object] | None = None) -> tuple[str, ...]:
    """Fill each merged range below the header with its top-left value, in place; say which were filled.

    Row ``i`` of ``body`` is Excel row ``header_row + 1 + i``.  Ranges at or above the header
    (titles) and ranges lying only in skipped rows (a merged footnote) are left alone.
    ``body`` may be one chunk of the sheet: ``carried`` then holds the value of each range
    that goes on below the chunk, and fills the range's rows in the next chunks (reported once).
    """
    from openpyxl.utils.cell import range_boundaries

    filled: list[str] = []
    width = body.shape[1]
    for ref in ranges:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        r0, r1 = min_row - header_row - 1, max_row - header_row - 1
        if carried is not None and r0 < 0 <= r1 and ref in carried:  # begun in an earlier chunk
            if len(body) and min_col <= width:
                body.iloc[0:min(r1, len(body) - 1) + 1, min_col - 1:min(max_col, width)] = carried[ref]
            continue
        if r0 < 0 or r0 >= len(body) or min_col > width or skip[r0:r1 + 1].all():
            continue
        value = body.iat[r0, min_col - 1]
        if not _text(value):
            continue
        if carried is not None and r1 >= len(body):
            carried[ref] = value
        r1, c1 = min(r1, len(body) - 1), min(max_col, width)
        body.iloc[r0:r1 + 1, min_col - 1:c1] = value
        if min_col == max_col:
            how = "已向下填充"
        elif min_row == max_row:
            how = "已向右填充"
        else:
            how = "已向下并向右填充"
        filled.append(f"{ref} {how}")
    return tuple(filled)
