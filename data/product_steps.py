"""Which wins when an import meets a case handled in the product: the product.

Once a case has a handling step recorded in the product (a public feedback received, a
transfer, a verification, ... — any row of ``case_steps``), an import may not change it:
an imported row for that case that differs from the stored row is refused with its reason
(file, row, the columns it would change), so the whole batch stores nothing.  Identical
rows pass.  Only an explicit ``overwrite_product_steps`` (``market-access import
--overwrite-product-steps``) lets the import win; the report then warns, row by row, which
product-recorded cases it overwrote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data import contract
from data.problems import Problem, column_label
from data.schema import CONTRACT, case_steps
from data.validate import Validated

FLAG = "--overwrite-product-steps"


def _handled(session: Session, case_ids: list[str]) -> set[str]:
    out: set[str] = set()
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start:start + 500]
        out |= set(session.execute(select(case_steps.c.case_id).where(case_steps.c.case_id.in_(chunk))).scalars())
    return out


def _plain(value: object) -> object:
    """A stored or typed value in one comparable form (dates as dates, missing as None)."""
    if value is None or (not isinstance(value, str | bytes) and bool(pd.isna(value))):  # type: ignore[call-overload]
        return None
    if isinstance(value, dt.datetime):  # pandas Timestamps included
        return value.date()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _changed_columns(session: Session, validated: Validated, positions: np.ndarray) -> dict[str, list[str]]:
    """For each replaced case, the Chinese names of the contract columns the import would change."""
    t = CONTRACT["cases"]
    ids = [str(validated.frame["case_id"].iloc[i]) for i in positions]
    stored = {r.case_id: r._mapping for r in session.execute(select(t).where(t.c.case_id.in_(ids)))}
    out: dict[str, list[str]] = {}
    for i, case_id in zip(positions, ids, strict=True):
        old = stored.get(case_id)
        names = []
        for col in contract.CASES.columns:
            if _plain(validated.frame[col.id].iloc[i]) != _plain(None if old is None else old[col.id]):
                names.append(col.zh)
        out[case_id] = names
    return out


def conflicts(
    session: Session, validated: Sequence[Validated], replaced: Sequence[np.ndarray], *, overwrite: bool
) -> tuple[list[Problem], list[Problem]]:
    """Problems (refused rows) and warnings (overwritten rows) for imported cases handled in the product."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for v, mask in zip(validated, replaced, strict=True):
        if v.table.id != "cases" or not mask.any():
            continue
        positions = np.flatnonzero(mask)
        ids = v.frame["case_id"].to_numpy(dtype=object)
        handled = _handled(session, [str(ids[i]) for i in positions])
        hit = np.array([i for i in positions if str(ids[i]) in handled], dtype=np.int64)
        if not len(hit):
            continue
        changed = _changed_columns(session, v, hit)
        key = column_label(contract.CASES.column("case_id"))
        for i in hit:
            case_id = str(v.frame["case_id"].iloc[i])
            file, sheet = v.raw.origins[v.raw.origin[i]]
            cols = "、".join(changed.get(case_id) or ["（无）"])
            if overwrite:
                warnings.append(Problem(file=file, sheet=sheet, table="cases", row=int(v.raw.rows[i]), column=key,
                                        value=case_id, reason=f"该线索已在系统中办理，按 {FLAG} 以导入为准覆盖了：{cols}"))
            else:
                problems.append(Problem(
                    file=file, sheet=sheet, table="cases", row=int(v.raw.rows[i]), column=key, value=case_id,
                    reason=f"该线索已在系统中办理（转办、核查、办结等步骤以系统记录为准），导入不能修改其{cols}；"
                           f"如确需以导入为准，请加 {FLAG} 重新导入"))
    return problems, warnings
