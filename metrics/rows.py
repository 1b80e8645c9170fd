"""Record rows for drill-down lists: applications, service items and cases of a mask, with
the engine's derived values (processing_wd, limits, overdue flags, open working days, stage
hours, population flags; pub_count; transfer working days).

Used by :mod:`metrics.records` (the records behind a figure) and the page views that list
applications (slowest first, built only for the rows shown).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.catalog import STAGES
from metrics.populations import Scope


def application_rows(scope: Scope, mask: np.ndarray) -> pd.DataFrame:
    """Application rows for ``mask`` with the derived columns."""
    d = scope.data
    a = d.apps
    idx = np.flatnonzero(mask)
    base = a.frame.iloc[idx]
    items = d.items.frame
    pos = a.item_pos[idx]
    item_name = items["item_name"].to_numpy(dtype=object)[np.where(pos >= 0, pos, 0)] if len(items) else None
    done = a.has_acc[idx] & a.has_comp[idx]
    proc = pd.array(np.where(done, a.processing[idx], 0), dtype="Int64")
    proc[~done] = pd.NA
    open_ = scope.open[idx]
    open_wd = pd.array(scope.open_wd[idx], dtype="Int64")
    open_wd[~open_] = pd.NA
    out = pd.DataFrame({
        "app_id": base["app_id"].to_numpy(),
        "item_code": base["item_code"].to_numpy(),
        "item_name": pd.array(np.where(pos >= 0, item_name, None) if item_name is not None else [None] * len(idx),
                              dtype="string"),
        "dept_code": a.dept.iloc[idx].to_numpy(),
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
        "suspended_days": a.suspended[idx],
        "processing_wd": proc,
        "promised_limit_days": a.promised[idx],
        "legal_limit_days": a.legal[idx],
        "overdue": done & (a.processing[idx] > a.promised[idx]),
        "legal_overdue": done & (a.legal[idx] > 0) & (a.processing[idx] > a.legal[idx]),
        "open_wd": open_wd,
        "open_overdue": open_ & (scope.open_wd[idx] > a.promised[idx]),
        "visits": base["visits"].to_numpy(),
        "rating": base["rating"].to_numpy(),
        "entity_id": base["entity_id"].to_numpy(),
        "in_S": scope.submitted[idx],
        "in_C": scope.completed[idx],
        "in_O": open_,
    })
    for stage in STAGES:
        out[f"{stage}_hours"] = a.stage_hours[stage][idx]
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
    out = c.frame[mask].copy()
    out["transfer_wd"] = pd.array(np.where(c.transferred, c.transferred_cum - c.received_cum, 0)[mask], dtype="Int64")
    out.loc[~c.transferred[mask], "transfer_wd"] = pd.NA
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


__all__ = ["application_rows", "case_rows", "item_rows", "slowest"]
