"""What import readers are given and return: an uploaded file (:class:`Source`), the caller's
choices (:class:`ReadOptions`) and everything read from one file (:class:`FileRead`).

Kept apart from :mod:`data.readers` so that the streaming readers (:mod:`data.file_stream`,
:mod:`data.xlsx_stream`), which :mod:`data.readers` itself uses for workbooks, can share them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from data.layout import SheetLayout, source_key
from data.mappings import SavedMapping
from data.problems import Problem
from data.sheets import Sheet


@dataclass(frozen=True)
class Source:
    """An uploaded file held in memory (the import page): its name and bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class FileRead:
    """Everything read from one file: its tables, SHA-256, problems, warnings and layouts."""

    file: str
    path: Path
    sha256: str
    sheets: tuple[Sheet, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = field(default=())
    layouts: tuple[SheetLayout, ...] = ()
    encoding: str | None = None
    """A CSV file's encoding (utf-8, utf-8-sig or gb18030); ``None`` for a workbook."""


@dataclass(frozen=True)
class ReadOptions:
    """The caller's choices for reading: tables and mappings per source, and the saved mappings.

    Sources are named ``file`` (a CSV file, or every sheet of a workbook) or ``file:sheet``;
    the mapping source ``*`` means every source.  Saved mappings not chosen by name are
    applied to the sources whose header fingerprint they carry.
    """

    tables: Mapping[str, str] = field(default_factory=dict)
    mapping: Mapping[str, str] = field(default_factory=dict)
    saved: tuple[SavedMapping, ...] = ()

    def table_choice(self, file: str, sheet: str | None) -> str | None:
        return self.tables.get(source_key(file, sheet)) or (self.tables.get(file) if sheet else None)

    def mapping_choice(self, file: str, sheet: str | None) -> str | None:
        key = source_key(file, sheet)
        return self.mapping.get(key) or (self.mapping.get(file) if sheet else None) or self.mapping.get("*")


