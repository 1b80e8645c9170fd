"""Record rows for drill-down lists: applications, service items and cases of a mask, with
the engine's derived values (processing_wd, limits, overdue flags, open working days, stage
hours, population flags; pub_count; transfer working days).

Used by :mod:`metrics.records` (the records behind a figure) and the page views that list
applications (slowest first, built only for the rows shown).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from metrics.catalog import STAGES
from metrics.populations import Scope


def application_rows(scope: Scope, mask: np.ndarray) -> pd.DataFrame:
    """Application rows for ``mask`` with the derived columns."""
    d = scope.data
    a = d.apps
    idx = np.flatnonzero(mask)
    items = d.items.frame
    pos = a.item_pos[idx]
    item_name = items["item_name"].to_numpy(dtype=object)[np.where(pos >= 0, pos, 0)] if len(items) else None
    names = np.where(pos >= 0, item_name, None) if item_name is not None else [None] * len(idx)
    return application_columns(
        a.frame.iloc[idx], item_name=names, dept=a.dept.iloc[idx].to_numpy(), suspended=a.suspended[idx],
        done=a.has_acc[idx] & a.has_comp[idx], processing=a.processing[idx], promised=a.promised[idx],
        legal=a.legal[idx], open_wd=scope.open_wd[idx], in_s=scope.submitted[idx], in_c=scope.completed[idx],
        in_o=scope.open[idx], stage_hours={stage: a.stage_hours[stage][idx] for stage in STAGES},
    )


def application_columns(base: pd.DataFrame, *, item_name: Any, dept: np.ndarray, suspended: np.ndarray,
                        done: np.ndarray, processing: np.ndarray, promised: np.ndarray, legal: np.ndarray,
                        open_wd: np.ndarray, in_s: np.ndarray, in_c: np.ndarray, in_o: np.ndarray,
                        stage_hours: dict[str, np.ndarray]) -> pd.DataFrame:
    """The drill-down columns of applications, from their stored rows ``base`` and their
    derived values (one array per value, row for row): the one place the list's overdue
    flags and working days are written, whichever engine derived the values."""
    proc = pd.array(np.where(done, processing, 0), dtype="Int64")
    proc[~done] = pd.NA
    open_days = pd.array(open_wd, dtype="Int64")
    open_days[~in_o] = pd.NA
    out = pd.DataFrame({
        "app_id": base["app_id"].to_numpy(),
        "item_code": base["item_code"].to_numpy(),
        "item_name": pd.array(item_name, dtype="string"),
        "dept_code": dept,
        "street_code": base["street_code"].to_numpy(),
        "channel": base["channel"].to_numpy(),
        "route": base["route"].to_numpy(),
        "status": base["status"].to_numpy(),
        "result": base["result"].to_numpy(),
        "submitted_at": base["submitted_at"].to_numpy(),
        "accepted_at": base["accepted_at"].to_numpy(),
        "reviewed_at": base["reviewed_at"].to_numpy(),
        "decided_at": base["decided_at"].to_numpy(),
        "completed_at": base["completed_at"].to_numpy(),
        "suspended_days": suspended,
        "processing_wd": proc,
        "promised_limit_days": promised,
        "legal_limit_days": legal,
        "overdue": done & (processing > promised),
        "legal_overdue": done & (legal > 0) & (processing > legal),
        "open_wd": open_days,
        "open_overdue": in_o & (open_wd > promised),
        "visits": base["visits"].to_numpy(),
        "rating": base["rating"].to_numpy(),
        "entity_id": base["entity_id"].to_numpy(),
        "in_S": in_s,
        "in_C": in_c,
        "in_O": in_o,
    })
    for stage in STAGES:
        out[f"{stage}_hours"] = stage_hours[stage]
    return out


def item_rows(scope: Scope, mask: np.ndarray) -> pd.DataFrame:
    """Service-item rows for ``mask`` with their pub_count."""
    items = scope.data.items
    out = items.frame[mask].copy()
    out["pub_count"] = items.pub_count[mask]
    return out.reset_index(drop=True)


def case_rows(scope: Scope, mask: np.ndarray) -> pd.DataFrame:
    """Case rows for ``mask`` with transfer_wd (working days to transfer; NA when not transferred)."""
    c = scope.data.cases
    return case_columns(c.frame[mask], transferred=c.transferred[mask],
                        transfer_days=(c.transferred_cum - c.received_cum)[mask])


def case_columns(base: pd.DataFrame, *, transferred: np.ndarray, transfer_days: np.ndarray) -> pd.DataFrame:
    """The drill-down columns of cases: their stored rows ``base`` and transfer_wd (the
    working days from receipt to transfer, NA when not transferred), whichever engine
    derived the days."""
    out = base.copy()
    out["transfer_wd"] = pd.array(np.where(transferred, transfer_days, 0), dtype="Int64")
    out.loc[~np.asarray(transferred, dtype=bool), "transfer_wd"] = pd.NA
    return out.reset_index(drop=True)


def slowest(scope: Scope, mask: np.ndarray, key: np.ndarray, limit: int | None) -> tuple[pd.DataFrame, int]:
    """Application rows of ``mask`` in descending order of ``key`` (ties in table order), at
    most ``limit`` of them, built only for the rows shown; and how many there are in all."""
    n = len(mask)
    idx = np.flatnonzero(mask)
    order = idx[np.argsort(-key[idx], kind="stable")]
    if limit is not None:
        order = order[:limit]
    top = np.zeros(n, dtype=bool)
    top[order] = True
    frame = application_rows(scope, top)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(len(order))
    frame = frame.iloc[np.argsort(rank[np.flatnonzero(top)], kind="stable")].reset_index(drop=True)
    return frame, len(idx)


__all__ = ["application_columns", "application_rows", "case_columns", "case_rows", "item_rows", "slowest"]
