"""Case rows written by the product go through the importer (every case the product writes:
public feedback, handling steps, 部门自查 findings, screening signals).

A case created or changed inside the product (a public feedback, a handling step) is
written as a one-row import batch: it is checked by the same contract rules as any
imported row (date order, status and verification, key-case fields), gets the same row
hash, and changes the data version, so every page and the deck see it at once.  Nothing
is committed here: the caller's session owns the transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import contract
from data.importer import ImportReport, import_files, local_now
from data.readers import Source
from data.schema import CONTRACT

CaseRow = dict[str, Any]


class CaseRowError(ValueError):
    """The contract refused a case row; ``str(err)`` lists the Chinese reasons."""


def today_local() -> dt.date:
    """Today in Asia/Shanghai: the date every handling step is recorded with."""
    return local_now().date()


def read_case(session: Session, case_id: str) -> CaseRow | None:
    """The stored contract values of one case, or None."""
    t = CONTRACT["cases"]
    cols = [t.c[c.id] for c in contract.CASES.columns]
    row = session.execute(select(*cols).where(t.c.case_id == case_id)).first()
    return None if row is None else dict(row._mapping)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _csv_bytes(rows: Sequence[Mapping[str, object]]) -> bytes:
    """``rows`` as the contract's ``cases.csv`` (Chinese headers, one line per row)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([c.zh for c in contract.CASES.columns])
    for row in rows:
        w.writerow([_cell(row.get(c.id)) for c in contract.CASES.columns])
    return out.getvalue().encode("utf-8")


def store_cases(session: Session, rows: Sequence[Mapping[str, object]], *, user: str,
                overwrite_product_steps: bool = False) -> ImportReport:
    """Store case rows (contract column id -> value) as one import batch in the caller's
    transaction; the importer's report says whether they were stored and why not.

    ``overwrite_product_steps`` False keeps the importer's rule that a case handled in the
    product is not overwritten (creating a case that must be new); handling steps pass True,
    since they are the product's own record.
    """
    source = Source(f"{contract.CASES.id}.csv", _csv_bytes(rows))
    return import_files(session, [source], user=user, overwrite_product_steps=overwrite_product_steps)


def reasons(report: ImportReport) -> list[str]:
    """The refused rows' reasons, each naming its column once, in order and without repeats."""
    out = []
    for p in report.problems:
        name = p.column.split(" (")[0] if p.column else ""
        out.append(p.reason if not name or p.reason.startswith(name) else f"{name}：{p.reason}")
    return list(dict.fromkeys(out))


def write_case(session: Session, row: CaseRow, *, user: str, protect_product_steps: bool = False) -> int:
    """Store one case row (all contract columns) as an import batch; returns the batch id.
    Raises :class:`CaseRowError` with the contract's reasons when it is refused."""
    report = store_cases(session, [row], user=user, overwrite_product_steps=not protect_product_steps)
    if not report.ok:
        raise CaseRowError("；".join(reasons(report)) + "。")
    assert report.batch_id is not None
    return report.batch_id
