"""The upload → validate → commit path of the 数据导入 page (dashboard/screens/data_import/page.py).

Uploaded files are ``(file name, bytes)`` pairs.  They are written to a fresh temporary
directory under their original names (the name says the table: ``applications.csv``,
``办件.csv``) and handed to :func:`data.importer.import_files`, the very code path of
``market-access import``: first as a dry run (the validation report), then for real on the
administrator's confirmation.  A batch is stored whole or not at all; a rejected batch
changes nothing and every problem is shown with its file, row, column, value and reason.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.kit import cache
from data import audit, contract
from data.db import Database
from data.importer import OUTCOME_REJECTED, ImportReport, import_files, local_now
from data.problems import Problem

Upload = tuple[str, bytes]
PENDING = "imp_pending"  # the pending upload's validation result (widget state, by signature)
ROUND = "imp_round"  # bumps the uploader's key after a commit, so it starts empty
SUFFIXES = ("csv", "xlsx")


def signature(files: Sequence[Upload]) -> str:
    """A digest of the names and contents of an upload (to tell a new upload from the last)."""
    h = hashlib.sha256()
    for name, data in files:
        h.update(name.encode("utf-8"))
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def _refused(files: Sequence[Upload], problems: list[Problem], dry_run: bool) -> ImportReport:
    now = local_now()
    return ImportReport(None, OUTCOME_REJECTED, dry_run, now, now, (), tuple(problems), (), ())


def _upload_problems(files: Sequence[Upload]) -> list[Problem]:
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


def run_import(db: Database, files: Sequence[Upload], *, dry_run: bool, user: str | None = None,
               audit_user: str | None = None) -> ImportReport:
    """Validate (``dry_run``) or import ``files`` as one batch, as ``market-access import`` does.

    A real import is recorded in the audit log (as ``audit_user``) in the same transaction.
    """
    problems = _upload_problems(files)
    if problems:
        return _refused(files, problems, dry_run)
    with tempfile.TemporaryDirectory(prefix="market-access-upload-") as tmp:
        paths = []
        for name, data in files:
            path = Path(tmp) / name
            path.write_bytes(data)
            paths.append(path)
        with db.session() as session:
            report = import_files(session, paths, dry_run=dry_run, user=user)
            if not dry_run and audit_user:
                audit.record(session, audit_user, "导入数据", f"批次 {report.batch_id}", outcome=report.outcome,
                             files=[n for n, _ in files], problems=len(report.problems),
                             rows={c.table: c.added + c.replaced for c in report.counts})
    return report


_COLUMN_ID = re.compile(r"\s*\([A-Za-z_]+\)$")  # "受理时间 (accepted_at)" -> "受理时间"
_TABLE_ID = re.compile(r"（[A-Za-z_]+）")  # "政务服务事项（service_items）" -> "政务服务事项"


def chinese_only(text: str | None) -> str | None:
    """A column label or reason without the English ids the command line also prints."""
    if text is None:
        return None
    return _TABLE_ID.sub("", _COLUMN_ID.sub("", str(text)))


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
    rows = [{"imp_table": contract.TABLES_BY_ID[c.table].zh if c.table in contract.TABLES_BY_ID else c.table,
             "imp_added": c.added, "imp_replaced": c.replaced, "imp_unchanged": c.unchanged}
            for c in report.counts]
    return pd.DataFrame(rows, columns=["imp_table", "imp_added", "imp_replaced", "imp_unchanged"])


def files_frame(report: ImportReport) -> pd.DataFrame:
    """The files (sheets) of the batch, the table each holds and its data rows."""
    rows = [{"imp_file": f.file, "imp_sheet": f.sheet,
             "imp_table": contract.TABLES_BY_ID[f.table].zh if f.table in contract.TABLES_BY_ID else "无法识别",
             "imp_rows": f.rows} for f in report.files]
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


def pending(db: Database, files: Sequence[Upload], user: str | None) -> ImportReport:
    """The validation (dry run) of the upload now in the uploader, computed once per upload:
    kept in ``st.session_state`` by its signature (the upload widget's state)."""
    sig = signature(files)
    held = st.session_state.get(PENDING)
    if isinstance(held, dict) and held.get("signature") == sig:
        return held["report"]  # type: ignore[no-any-return]
    report = run_import(db, files, dry_run=True, user=user)
    st.session_state[PENDING] = {"signature": sig, "report": report}
    cache.invalidate()  # the validation is a batch of the history too
    return report


def finish_commit() -> None:
    """After a stored batch: forget the pending validation and start the uploader empty."""
    st.session_state.pop(PENDING, None)
    st.session_state[ROUND] = int(st.session_state.get(ROUND, 0)) + 1
