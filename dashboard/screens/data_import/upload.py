"""The upload → propose → validate → commit path of the 数据导入 page, on :mod:`data.import_service`.

Uploaded files are ``(file name, bytes)`` pairs handed to the import facade as in-memory
:class:`~data.import_service.Source` objects — the code path of ``market-access import``:
:func:`propose` says how each file or sheet would be read, a dry run gives the validation
report, and a real import stores the batch on the administrator's confirmation.  A batch is
stored whole or not at all; a refused batch changes nothing, names every problem with its
file, row, column, value and reason, and hands the files back with their bad rows marked.
The dry run and the proposals are computed once per upload, table choice and saved
mappings (kept in ``st.session_state``), since each reads every file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.kit import cache
from data import audit, contract
from data.db import Database
from data.import_service import (
    ImportRequest,
    ImportResult,
    Proposed,
    Source,
    list_mappings,
    propose,
    run_import,
)
from data.importer import OUTCOME_REJECTED, ImportReport, local_now
from data.problems import Problem

Upload = tuple[str, bytes]
PENDING = "imp_pending"  # the pending upload's proposals and dry run (widget state, by signature)
DONE = "imp_done"  # the report of the batch just stored (shown once, after the rerun)
FIRST = "imp_first"  # the upload's proposals before any table is chosen
ROUND = "imp_round"  # bumps the uploader's key after a commit, so it starts empty
SUFFIXES = ("csv", "xlsx")


def signature(files: Sequence[Upload]) -> str:
    """A digest of the names and contents of an upload (to tell a new upload from the last)."""
    h = hashlib.sha256()
    for name, data in files:
        h.update(name.encode("utf-8"))
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def _refused(problems: list[Problem], dry_run: bool) -> ImportResult:
    now = local_now()
    return ImportResult(ImportReport(None, OUTCOME_REJECTED, dry_run, now, now, (), tuple(problems), (), ()))


def upload_problems(files: Sequence[Upload]) -> list[Problem]:
    """Problems of the upload itself: no file, a name that is no plain file name, a name twice."""
    if not files:
        return [Problem(file="", reason="没有要导入的文件")]
    problems: list[Problem] = []
    seen: set[str] = set()
    for name, _ in files:
        plain = Path(name).name
        if not plain or plain != name or plain in (".", ".."):
            problems.append(Problem(file=name, reason="文件名无效，请使用不含路径的文件名"))
        elif plain in seen:
            problems.append(Problem(file=name, reason="同一批次中有两个同名文件，请只保留一个或重命名后再上传"))
        seen.add(plain)
    return problems


def sources(files: Sequence[Upload]) -> tuple[Source, ...]:
    return tuple(Source(name, data) for name, data in files)


def run(db: Database, files: Sequence[Upload], *, dry_run: bool, tables: Mapping[str, str] | None = None,
        mappings: Mapping[str, str] | None = None, user: str | None = None,
        audit_user: str | None = None) -> ImportResult:
    """Validate (``dry_run``) or import ``files`` as one batch, as ``market-access import`` does.

    ``tables`` and ``mappings`` hold the user's table and template choice per source (``file``
    or ``file:sheet``).  A real import is recorded in the audit log (as ``audit_user``) in the
    same transaction.
    """
    problems = upload_problems(files)
    if problems:
        return _refused(problems, dry_run)
    request = ImportRequest(sources(files), tables=dict(tables or {}), mappings=dict(mappings or {}),
                            dry_run=dry_run, user=user)
    with db.session() as session:
        result = run_import(session, request)
        report = result.report
        if not dry_run and audit_user:
            audit.record(session, audit_user, "导入数据", f"批次 {report.batch_id}", outcome=report.outcome,
                         files=[n for n, _ in files], problems=len(report.problems),
                         rows={c.table: c.added + c.replaced for c in report.counts})
    return result


@dataclass(frozen=True)
class Pending:
    """What the page shows for the upload in the uploader: the proposals and the dry run."""

    proposed: Proposed
    result: ImportResult


def mappings_stamp(db: Database) -> tuple[object, ...]:
    """What the saved mappings are now (a change re-reads the upload: a mapping may now apply)."""
    with db.session() as session:
        return tuple((m.id, m.name, m.fingerprint, m.columns, m.rewrites, m.header_row) for m in list_mappings(session))


def proposals(db: Database, files: Sequence[Upload], tables: Mapping[str, str] | None = None,
              mappings: Mapping[str, str] | None = None) -> Proposed:
    """How each file or sheet would be read (nothing validated or recorded)."""
    if upload_problems(files):
        return Proposed((), ())
    with db.session() as session:
        return propose(session, sources(files), tables=dict(tables or {}), mappings=dict(mappings or {}))


def first_proposals(db: Database, files: Sequence[Upload]) -> Proposed:
    """The proposals before any table is chosen (what the page asks about), computed once per
    upload and saved mappings."""
    key = (signature(files), mappings_stamp(db))
    held = st.session_state.get(FIRST)
    if isinstance(held, dict) and held.get("key") == key:
        return held["proposed"]  # type: ignore[no-any-return]
    found = proposals(db, files)
    st.session_state[FIRST] = {"key": key, "proposed": found}
    return found


def pending(db: Database, files: Sequence[Upload], tables: Mapping[str, str], mappings: Mapping[str, str],
            user: str | None) -> Pending:
    """The proposals and validation (dry run) of the upload now in the uploader for the chosen
    tables and templates and the saved mappings, computed once: kept in ``st.session_state``."""
    key = (signature(files), tuple(sorted(tables.items())), tuple(sorted(mappings.items())), mappings_stamp(db))
    held = st.session_state.get(PENDING)
    if isinstance(held, dict) and held.get("key") == key:
        return held["pending"]  # type: ignore[no-any-return]
    found = Pending(proposals(db, files, tables, mappings),
                    run(db, files, dry_run=True, tables=tables, mappings=mappings, user=user))
    st.session_state[PENDING] = {"key": key, "pending": found}
    cache.invalidate()  # the validation is a batch of the history too
    return found


def finish_commit(report: ImportReport) -> None:
    """After a stored batch: forget the pending validation, start the uploader empty and keep
    the outcome to show once after the rerun."""
    st.session_state[DONE] = report
    st.session_state.pop(PENDING, None)
    st.session_state.pop(FIRST, None)
    st.session_state[ROUND] = int(st.session_state.get(ROUND, 0)) + 1


_IDS = "|".join(sorted({c.id for tb in contract.TABLES for c in tb.columns}, key=len, reverse=True))
_COLUMN_ID = re.compile(rf"\s*\((?:{_IDS})\)")  # "受理时间 (accepted_at)" -> "受理时间"
_TABLE_ID = re.compile(r"（[A-Za-z_]+）")  # "政务服务事项（service_items）" -> "政务服务事项"


def chinese_only(text: str | None) -> str | None:
    """A column label or reason without the English ids the command line also prints."""
    if text is None:
        return None
    return _TABLE_ID.sub("", _COLUMN_ID.sub("", str(text)))


def table_name(table_id: str | None) -> str:
    """A table's Chinese name (无法识别 when no table was decided)."""
    if table_id in contract.TABLES_BY_ID:
        return contract.TABLES_BY_ID[table_id].zh
    return "无法识别"


def problems_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """Every problem (or warning) as a row: file, sheet, row, column, value, reason."""
    rows = [{"imp_file": p.file, "imp_sheet": p.sheet, "imp_row": p.row, "imp_column": chinese_only(p.column),
             "imp_value": p.value, "reason": chinese_only(p.reason)} for p in problems]
    out = pd.DataFrame(rows, columns=["imp_file", "imp_sheet", "imp_row", "imp_column", "imp_value", "reason"])
    out["imp_row"] = out["imp_row"].astype("Int64")
    return out


def problem_columns(problems: pd.DataFrame) -> list[str]:
    """The columns of a problem table worth showing: the sheet only when some problem has one."""
    cols = list(problems.columns)
    return cols if problems["imp_sheet"].notna().any() else [c for c in cols if c != "imp_sheet"]


def counts_frame(report: ImportReport) -> pd.DataFrame:
    """Per table of the batch: rows added, replaced and unchanged."""
    rows = [{"imp_table": table_name(c.table), "imp_added": c.added, "imp_replaced": c.replaced,
             "imp_unchanged": c.unchanged} for c in report.counts]
    return pd.DataFrame(rows, columns=["imp_table", "imp_added", "imp_replaced", "imp_unchanged"])


def files_frame(report: ImportReport) -> pd.DataFrame:
    """The files (sheets) of the batch, the table each holds and its data rows."""
    rows = [{"imp_file": f.file, "imp_sheet": f.sheet, "imp_table": table_name(f.table), "imp_rows": f.rows}
            for f in report.files]
    return pd.DataFrame(rows, columns=["imp_file", "imp_sheet", "imp_table", "imp_rows"])


def contract_frame() -> pd.DataFrame:
    """The tables that can be imported: how to name the file, the key, the required columns."""
    rows = []
    for table in contract.TABLES:
        rows.append({
            "imp_table": table.zh,
            "imp_names": f"{table.id}.csv、{table.zh}.csv 或 Excel 工作表“{table.id}”“{table.zh}”",
            "imp_key": "、".join(c.zh for c in table.columns if c.id in table.key),
            "imp_required": "、".join(c.zh for c in table.columns if c.required),
        })
    return pd.DataFrame(rows, columns=["imp_table", "imp_names", "imp_key", "imp_required"])


def committed() -> ImportReport | None:
    """The batch stored on the previous run, once (then forgotten)."""
    done = st.session_state.pop(DONE, None)
    return done if isinstance(done, ImportReport) else None
