"""Cases the product creates itself (部门自查 findings, screening signals), written through the
importer: validated by the same contract rules, counted as an import batch (the data
version changes and every page sees the case) and never half-written."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from data import contract
from data.importer import import_files


def store_cases(session: Session, user: str, rows: Sequence[Mapping[str, str]]) -> list[str]:
    """Import ``rows`` (contract column id -> value as a file holds it) into ``cases`` in the
    caller's transaction; the problems' reasons (empty when stored)."""
    spec = contract.CASES
    with tempfile.TemporaryDirectory(prefix="ma-cases-") as tmp:
        path = Path(tmp) / f"{spec.id}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([c.zh for c in spec.columns])
            for values in rows:
                w.writerow([values.get(c.id, "") for c in spec.columns])
        report = import_files(session, [path], user=user)
    return [] if report.ok else [p.reason for p in report.problems]
