"""Streams of one table's rows from an import file, and the opened file that holds them.

A :class:`SheetStream` yields a CSV file's or a sheet's data rows as
:class:`~data.sheets.Sheet` chunks (:mod:`data.file_stream` for CSV, :mod:`data.xlsx_stream`
for workbooks); an :class:`OpenedFile` is one import file with its SHA-256, its streams and
what was found when opening it.  A file read whole (:mod:`data.readers`) is an opened file
whose every sheet is one chunk (:class:`WholeSheet`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from data.contract import Table
from data.layout import SheetLayout
from data.problems import Problem
from data.sheets import Sheet
from data.sources import FileRead


class SheetStream:
    """One table of a file (a CSV file or a sheet) whose rows come in chunks (:meth:`chunks`, once).

    After the chunks were taken, :attr:`problems`, :attr:`warnings`, :attr:`layout` and
    :attr:`rows` describe the whole file or sheet."""

    def __init__(self, file: str, sheet: str | None, table: Table) -> None:
        self.file, self.sheet, self.table = file, sheet, table
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.layout: SheetLayout | None = None
        self.rows = 0
        self.done = 0.0
        """The share of the file read so far (0–1): how large the file will be, estimated early."""
        self.last = False
        """Whether the chunk just yielded is the last one."""

    def chunks(self) -> Iterator[Sheet]:
        raise NotImplementedError


class WholeSheet(SheetStream):
    """A table read whole (a worksheet): one chunk."""

    def __init__(self, sheet: Sheet) -> None:
        super().__init__(sheet.file, sheet.sheet, sheet.table)
        self._sheet: Sheet | None = sheet
        self.rows = len(sheet.frame)

    def chunks(self) -> Iterator[Sheet]:
        sheet, self._sheet = self._sheet, None
        self.done = 1.0
        self.last = True
        if sheet is not None:
            yield sheet


@dataclass
class OpenedFile:
    """One import file opened for streaming: its SHA-256, tables, and what was found so far."""

    file: str
    path: Path
    sha256: str
    streams: tuple[SheetStream, ...] = ()
    problems: tuple[Problem, ...] = ()
    """Problems found when opening (the file or a sheet cannot be imported)."""
    warnings: tuple[Problem, ...] = ()
    opened_layouts: tuple[SheetLayout | SheetStream, ...] = field(default=())
    """Layouts known when opening (sources whose table was not found or that cannot be read), and
    in their place among them the streams, whose layouts are known once streamed."""
    close: Callable[[], None] | None = None
    """Releases what the streams hold open (a workbook), once the import is done."""

    @classmethod
    def of(cls, read: FileRead) -> OpenedFile:
        """A file read whole (:mod:`data.readers`): each sheet one chunk."""
        return cls(read.file, read.path, read.sha256, tuple(WholeSheet(s) for s in read.sheets),
                   read.problems, read.warnings, read.layouts)

    @property
    def layouts(self) -> tuple[SheetLayout, ...]:
        """How each source was read, in the file's order (sheets in the workbook's order)."""
        out = [x.layout if isinstance(x, SheetStream) else x for x in self.opened_layouts]
        if not any(isinstance(x, SheetStream) for x in self.opened_layouts):
            out += [s.layout for s in self.streams]
        return tuple(x for x in out if x is not None)


