"""The XLSX half of :mod:`data.upload_guard`: refuse zip bombs and oversized workbooks by
streaming, before openpyxl builds anything.

1. The zip's central directory: number of members, total uncompressed size, the
   compression ratio of every member over 1 MiB, the size of ``xl/sharedStrings.xml``.
   :mod:`zipfile` never yields more than a member's declared size (it fails the CRC check
   instead), so the declared sizes bound what any later reader can inflate.
2. ``xl/sharedStrings.xml`` and every worksheet through expat, CHUNK by CHUNK: the
   callbacks count characters without keeping text, so one 1 GB string costs no memory.
   Refused: a string or cell longer than ``cell_chars``, a cell beyond column ``columns``
   (a sheet 16,384 columns wide), more than ``rows`` data rows, a DTD (entity expansion),
   malformed XML or a corrupt member; a workbook whose every sheet is a header at most.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from data.problems import Problem
from data.upload_limits import CHUNK, MB, Limits, Refused, shown_name

RATIO_FLOOR = MB  # members smaller than this may compress as well as they like
SHARED_STRINGS = "xl/sharedstrings.xml"


def column_letters(index: int) -> str:
    """Excel's letters of 1-based column ``index`` (1 → A, 16384 → XFD)."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _column_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            n = n * 26 + ord(ch) - 96
        else:
            break
    return n


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def check_xlsx(path: Path, file: str, limits: Limits) -> None:
    """Raise :class:`Refused` when the workbook at ``path`` breaks a limit; a file that is no
    zip at all is left to the reader (its message says it cannot be opened)."""
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with book:
        infos = book.infolist()
        _check_directory(infos, file, limits)
        names = {i.filename.lower(): i for i in infos}
        shared = names.get(SHARED_STRINGS)
        if shared is not None:
            _stream(book, shared, file, _SharedStrings(file, limits))
        sheets = _sheets(book, names, file)
        data_rows = 0
        for info, title in sheets:
            scan = _Sheet(file, shown_name(title, 31), limits)
            _stream(book, info, file, scan)
            data_rows = max(data_rows, scan.data_rows)
        if sheets and data_rows <= 1:
            raise Refused(Problem(file, "工作簿只有表头，没有数据行" if data_rows else "工作簿为空"))


def _check_directory(infos: list[zipfile.ZipInfo], file: str, limits: Limits) -> None:
    if len(infos) > limits.members:
        raise Refused(Problem(file, f"压缩包内有 {len(infos):,} 个文件，超过上限 {limits.members:,} 个，不是正常的 Excel 文件"))
    total = sum(i.file_size for i in infos)
    if total > limits.inflated_mb * MB:
        raise Refused(Problem(file, f"解压后共 {total / MB:,.1f} MB，超过上限 {limits.inflated_mb:,} MB"
                                    "（可能是压缩炸弹），请拆分后再导入"))
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise Refused(Problem(file, f"压缩比 {ratio:,.0f}:1 超过上限 {limits.ratio}:1（可能是压缩炸弹），"
                                        f"内部文件 {shown_name(info.filename)}"))
        if info.filename.lower() == SHARED_STRINGS and info.file_size > limits.shared_strings_mb * MB:
            raise Refused(Problem(file, f"共享字符串表解压后 {info.file_size / MB:,.1f} MB，超过上限 "
                                        f"{limits.shared_strings_mb} MB"))


class _Scan:
    """Expat callbacks shared by the scans: text length of the current element, no DTD."""

    text_tags: frozenset[str] = frozenset()

    def __init__(self, file: str, limits: Limits) -> None:
        self.file, self.limits = file, limits
        self.counting = False
        self.chars = 0

    def install(self, parser: expat.XMLParserType) -> None:
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = self.doctype

    def doctype(self, *_args: object) -> None:
        raise Refused(Problem(self.file, "Excel 文件内含有 DTD 声明，不是正常的 Excel 文件"))

    def start(self, name: str, attrs: dict[str, str]) -> None:
        raise NotImplementedError

    def end(self, name: str) -> None:
        raise NotImplementedError

    def text(self, data: str) -> None:
        if self.counting:
            self.chars += len(data)
            if self.chars > self.limits.cell_chars:
                self.too_long()

    def too_long(self) -> None:
        raise NotImplementedError


class _SharedStrings(_Scan):
    def __init__(self, file: str, limits: Limits) -> None:
        super().__init__(file, limits)
        self.index = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "si":
            self.chars = 0
        elif tag == "t":
            self.counting = True

    def end(self, name: str) -> None:
        tag = _local(name)
        if tag == "t":
            self.counting = False
        elif tag == "si":
            self.index += 1

    def too_long(self) -> None:
        raise Refused(Problem(self.file, f"共享字符串表第 {self.index + 1:,} 个字符串超过单元格上限 "
                                         f"{self.limits.cell_chars:,} 个字符"))


class _Sheet(_Scan):
    def __init__(self, file: str, title: str, limits: Limits) -> None:
        super().__init__(file, limits)
        self.title = title
        self.row = 0  # the current row's number
        self.col = 0  # the current cell's column (1-based)
        self.row_has_data = False
        self.cell_has_data = False
        self.data_rows = 0

    def _refuse(self, reason: str, column: int | None = None) -> None:
        label = None if column is None else f"{column_letters(column)} 列"
        raise Refused(Problem(self.file, reason, sheet=self.title, row=self.row or None, column=label))

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "row":
            ref = attrs.get("r", "")
            self.row = int(ref) if ref.isdigit() else self.row + 1
            self.col = 0
            self.row_has_data = False
        elif tag == "c":
            cell = attrs.get("r", "")
            self.col = _column_index(cell) if cell else self.col + 1
            self.cell_has_data = False
            if self.col > self.limits.columns:
                self._refuse(f"工作表有单元格位于第 {self.col:,} 列（{column_letters(self.col)}），"
                             f"超过列数上限 {self.limits.columns} 列", self.col)
        elif tag in ("v", "t"):
            self.counting, self.chars = True, 0

    def end(self, name: str) -> None:
        tag = _local(name)
        if tag in ("v", "t"):
            self.counting = False
            self.cell_has_data = self.cell_has_data or self.chars > 0
        elif tag == "c":
            self.row_has_data = self.row_has_data or self.cell_has_data
        elif tag == "row" and self.row_has_data:
            self.data_rows += 1
            if self.data_rows > self.limits.rows + 1:
                self._refuse(f"数据行数超过上限（{self.limits.rows:,} 行），请拆分后再导入")

    def too_long(self) -> None:
        self._refuse(f"单元格内容超过上限 {self.limits.cell_chars:,} 个字符", self.col)


def _stream(book: zipfile.ZipFile, info: zipfile.ZipInfo, file: str, scan: _Scan) -> None:
    parser = expat.ParserCreate()
    scan.install(parser)
    try:
        with book.open(info) as member:
            while chunk := member.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as err:
        raise Refused(Problem(file, f"Excel 文件内部 XML 已损坏（{shown_name(info.filename)}，第 {err.lineno} 行），"
                                    "请在 Excel 中重新保存后再导入")) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
        raise Refused(Problem(file, f"Excel 文件已损坏（{shown_name(info.filename)} 解压校验失败），"
                                    "请在 Excel 中重新保存后再导入")) from None


def _attributes(book: zipfile.ZipFile, info: zipfile.ZipInfo | None, file: str, tag: str) -> list[dict[str, str]]:
    """The attributes of every ``tag`` element of a small XML member (workbook, relationships)."""
    found: list[dict[str, str]] = []
    if info is None:
        return found

    class _Collect(_Scan):
        def start(self, name: str, attrs: dict[str, str]) -> None:
            if _local(name) == tag:
                found.append({_local(k): v for k, v in attrs.items()})

        def end(self, name: str) -> None:
            return None

    _stream(book, info, file, _Collect(file, Limits()))
    return found


def _sheets(book: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], file: str) -> list[tuple[zipfile.ZipInfo, str]]:
    """Each worksheet member with its title (from workbook.xml and its relationships); members
    under xl/worksheets/ the workbook does not name are scanned too, under their file name."""
    targets = {r.get("Id", ""): r.get("Target", "") for r in
               _attributes(book, names.get("xl/_rels/workbook.xml.rels"), file, "Relationship")}
    out: list[tuple[zipfile.ZipInfo, str]] = []
    seen: set[str] = set()
    for sheet in _attributes(book, names.get("xl/workbook.xml"), file, "sheet"):
        target = targets.get(sheet.get("id", ""), "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        info = names.get(member.lower())
        if info is not None and member.lower() not in seen:
            seen.add(member.lower())
            out.append((info, sheet.get("name", member)))
    for lowered, info in names.items():
        if lowered.startswith("xl/worksheets/") and lowered.endswith(".xml") and lowered not in seen:
            out.append((info, posixpath.basename(info.filename)))
    return out
