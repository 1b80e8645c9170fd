"""One application whole, for the view a record table opens (every page's record tables
and the 隐性壁垒筛查 records): its fields, the engine's derived values judged at the
request's as_of, its names, and its stage timeline (:mod:`metrics.timeline`).

Engine first, hashable arguments (cached by ``cache.view``).  The row is fetched by the
engine (:meth:`~metrics.engine.MetricsEngine.record_rows`), so the columnar engine reads
only that application from the database.  The engine is the
principal's: a department user's holds only its own applications, so another
department's application is not found — the scoping is the engine's, not this module's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from metrics.populations import Scope, Window
from metrics.results import DatedRequest
from metrics.timeline import Timeline, timeline

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine


def application_record(engine: MetricsEngine, request: DatedRequest, app_id: str) -> dict[str, Any] | None:
    """One application whole (the contract's fields and the derived ones, judged at the
    request's as_of), with its item's, department's and street's names; None if the
    engine does not hold it."""
    scope = Scope(engine.data, Window(request.date_from, request.date_to, request.effective_as_of))
    rows = engine.record_rows(scope, "apps", engine.data.id_mask("apps", app_id))
    if rows.empty:
        return None
    row = rows.iloc[0].to_dict()
    names = engine.data.dept_names
    row["dept_name"] = names.get(str(row.get("dept_code")), None)
    row["street_name"] = names.get(str(row.get("street_code")), None)
    code = row.get("entity_id")
    row["division_code"] = str(code)[2:8] if isinstance(code, str) and len(code) >= 8 else None
    return {k: (None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v)
            for k, v in row.items()}


def application_timeline(engine: MetricsEngine, request: DatedRequest, app_id: str) -> Timeline | None:
    """The stage timeline of one application (judged at the request's as_of); None if the
    engine does not hold it."""
    record = application_record(engine, request, app_id)
    return None if record is None else timeline(record, request.effective_as_of)


__all__ = ["application_record", "application_timeline"]
