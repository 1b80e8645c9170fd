"""The import facade: what the import page and the CLI call, with typed requests and results.

The page is a thin renderer over these functions:

- :func:`propose` reads uploaded files without validating or recording anything and
  returns, per file or sheet, a :class:`Proposal`: the table (or the tables to choose
  from), the header row, each header's contract column, the skipped rows and filled
  merged ranges, and a :class:`~data.mappings.MappingSpec` ready to be confirmed and saved;
- :func:`run_import` validates (dry run) or stores a batch and returns the report with,
  for a refused batch, each file back with its bad rows marked (:mod:`data.rejected`);
- :func:`save_mapping`, :func:`list_mappings`, :func:`update_mapping`,
  :func:`delete_mapping` manage the saved mappings (导入模板), audited.

Sessions are passed in; nothing is committed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from data import contract, upload_guard
from data.file_stream import read_through
from data.importer import ImportReport, import_files
from data.layout import SheetLayout, source_key
from data.mappings import (
    MappingError,
    MappingSpec,
    SavedMapping,
    delete_mapping,
    get_mapping,
    list_mappings,
    save_mapping,
    update_mapping,
)
from data.problems import Problem, column_label
from data.readers import ReadOptions, Source
from data.rejected import RejectedFile, rejected_file

__all__ = [
    "ImportRequest",
    "ImportResult",
    "MappingError",
    "MappingSpec",
    "Proposal",
    "Proposed",
    "SavedMapping",
    "Source",
    "ValueForm",
    "delete_mapping",
    "get_mapping",
    "list_mappings",
    "mapping_from_layout",
    "propose",
    "run_import",
    "save_mapping",
    "update_mapping",
    "value_forms",
]


@dataclass(frozen=True)
class Proposal:
    """How one file or sheet would be read, for the administrator to confirm or correct."""

    layout: SheetLayout
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    choices: tuple[str, ...]
    """Tables the user may choose for this source (the fitting ones, or every table when none fits)."""
    spec: MappingSpec | None
    """The mapping to save for this source (``None`` until a table is chosen)."""

    @property
    def needs_choice(self) -> bool:
        """Whether the table could not be decided and the user must choose it."""
        return self.layout.table is None


@dataclass(frozen=True)
class ImportRequest:
    """One batch: the uploaded files and the choices per source (``file`` or ``file:sheet``)."""

    sources: tuple[Source | Path, ...]
    """Uploaded files (the page) or paths (the CLI)."""
    tables: Mapping[str, str] = field(default_factory=dict)
    mappings: Mapping[str, str] = field(default_factory=dict)
    dry_run: bool = True
    user: str | None = None
    now: dt.datetime | None = None
    overwrite_product_steps: bool = False
    """Let imported case rows replace steps recorded in the product (:mod:`data.product_steps`)."""


@dataclass(frozen=True)
class ImportResult:
    """The batch report and, when it was refused, the files back with their bad rows marked."""

    report: ImportReport
    rejected: tuple[RejectedFile, ...] = ()

    @property
    def layouts(self) -> tuple[SheetLayout, ...]:
        return self.report.layouts


@dataclass(frozen=True)
class ValueForm:
    """A value the contract refuses in one column of one source, and how often: a rewrite candidate."""

    key: str
    """The source (``file`` or ``file:sheet``)."""
    table: str
    column: str
    """Contract column id."""
    value: str
    rows: int
    allowed: tuple[str, ...]
    """The column's allowed values when it is an enumeration (the choices for a rewrite target)."""


def value_forms(report: ImportReport) -> tuple[ValueForm, ...]:
    """The refused cell values of a (dry-run) report grouped per source and column, most frequent first.

    The import page offers each as a rewrite of the mapping being confirmed (目标值 from ``allowed``)."""
    labels = {(t.id, column_label(c)): c for t in contract.TABLES for c in t.columns}
    found: dict[tuple[str, str, str, str], int] = {}
    for p in report.problems:
        if p.value is None or p.column is None or p.table is None or p.row is None:
            continue
        col = labels.get((p.table, p.column))
        if col is None:
            continue
        key = (source_key(p.file, p.sheet), p.table, col.id, p.value)
        found[key] = found.get(key, 0) + 1
    out = [
        ValueForm(k, t, c, v, n, contract.TABLES_BY_ID[t].column(c).values)
        for (k, t, c, v), n in found.items()
    ]
    return tuple(sorted(out, key=lambda f: (f.key, f.table, f.column, -f.rows, f.value)))


def mapping_from_layout(
    layout: SheetLayout, name: str, rewrites: Sequence[tuple[str, str, str]] = (),
    columns: Mapping[str, str | None] | None = None,
) -> MappingSpec:
    """The mapping a source's layout proposes (``columns`` overrides the matched column per header)."""
    chosen = dict(layout.columns)
    if columns:
        chosen.update(columns)
    return MappingSpec(
        name=name, table=layout.table or "", header_row=layout.header_row, headers=layout.headers,
        columns=tuple((h, chosen.get(h)) for h in layout.headers if h), rewrites=tuple(rewrites),
    )


def _default_name(layout: SheetLayout) -> str:
    table = contract.TABLES_BY_ID[layout.table or ""]
    stem = layout.file.rsplit(".", 1)[0]
    return f"{table.zh}-{stem}" + (f"-{layout.sheet}" if layout.sheet else "")


@dataclass(frozen=True)
class Proposed:
    """Proposals per file or sheet, and the problems of files that could not be read at all."""

    proposals: tuple[Proposal, ...]
    problems: tuple[Problem, ...]


def propose(
    session: Session, sources: Sequence[Source | Path], *, tables: Mapping[str, str] | None = None,
    mappings: Mapping[str, str] | None = None,
) -> Proposed:
    """Read ``sources`` (nothing validated, nothing recorded) and propose how each is imported."""
    saved = list_mappings(session)
    options = ReadOptions(dict(tables or {}), dict(mappings or {}), saved)
    out: list[Proposal] = []
    unread: list[Problem] = []
    for source in sources:
        # hostile files refused unread; the others read to the end in chunks, keeping only the layouts
        read = upload_guard.check_any(source) or read_through(source, options)
        if not read.layouts:
            unread += read.problems
            continue
        for layout in read.layouts:
            mine = tuple(p for p in read.problems if p.sheet == layout.sheet)
            warns = tuple(w for w in read.warnings if w.sheet == layout.sheet)
            if layout.table is None:
                choices = layout.candidates or tuple(t.id for t in contract.TABLES)
                out.append(Proposal(layout, mine, warns, choices, None))
                continue
            if layout.mapping is not None:
                spec = next(m.spec() for m in saved if m.name == layout.mapping)
            else:
                spec = mapping_from_layout(layout, _default_name(layout))
            out.append(Proposal(layout, mine, warns, layout.candidates or (layout.table,), spec))
    return Proposed(tuple(out), tuple(unread))


def run_import(session: Session, request: ImportRequest) -> ImportResult:
    """Validate and (unless a dry run or refused) store the batch; a refused one returns the marked files."""
    report = import_files(
        session, list(request.sources), dry_run=request.dry_run, user=request.user, now=request.now,
        tables=request.tables, mappings=request.mappings,
        overwrite_product_steps=request.overwrite_product_steps,
    )
    if report.ok:
        return ImportResult(report)
    rejected = tuple(
        r for s in request.sources
        if (src := _in_memory(s)) is not None and (r := rejected_file(src, report.problems, report.layouts)) is not None
    )
    return ImportResult(report, rejected)


def _in_memory(source: Source | Path) -> Source | None:
    if isinstance(source, Source):
        return source
    try:
        return Source(source.name, source.read_bytes())
    except OSError:
        return None
