"""Case rows written by the product go through the importer.

A case created or changed inside the product (a public feedback, a handling step) is
written as a one-row import batch: it is checked by the same contract rules as any
imported row (date order, status and verification, key-case fields), gets the same row
hash, and changes the data version, so every page and the deck see it at once.  Nothing
is committed here: the caller's session owns the transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import contract
from data.importer import import_files, local_now
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


def write_case(session: Session, row: CaseRow, *, user: str, protect_product_steps: bool = False) -> int:
    """Store one case row (all contract columns) as an import batch; returns the batch id.

    ``protect_product_steps`` keeps the importer's rule that a case handled in the product
    is not overwritten (used when creating a case that must be new); handling steps pass
    False, since they are the product's own record.
    """
    spec = contract.CASES
    with tempfile.TemporaryDirectory(prefix="ma-case-") as tmp:
        path = Path(tmp) / f"{spec.id}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([c.zh for c in spec.columns])
            w.writerow([_cell(row.get(c.id)) for c in spec.columns])
        report = import_files(session, [path], user=user, overwrite_product_steps=not protect_product_steps)
    if not report.ok:
        reasons = []
        for p in report.problems:
            name = p.column.split(" (")[0] if p.column else ""
            reasons.append(p.reason if not name or p.reason.startswith(name) else f"{name}：{p.reason}")
        raise CaseRowError("；".join(dict.fromkeys(reasons)) + "。")
    assert report.batch_id is not None
    return report.batch_id
