"""审批途径 (approval routes): route shares, rejections, time-limit compression, materials."""

from __future__ import annotations

import numpy as np

from metrics.catalog import ROUTES
from metrics.grouping import Grouping, Measure
from metrics.populations import Scope
from metrics.prepared import ROUTE

INDICATORS = ROUTES


def compute(scope: Scope, grouping: Grouping) -> dict[str, Measure]:
    a = scope.data.apps
    r = scope.reducer(grouping, "apps")
    s = scope.submitted
    out: dict[str, Measure] = {}

    out["instant_rate"] = r.ratio(a.route == ROUTE["即办件"], s)
    out["commitment_rate"] = r.ratio(a.route == ROUTE["告知承诺"], s)
    out["tolerance_rate"] = r.ratio(a.route == ROUTE["容缺受理"], s)
    out["parallel_rate"] = r.ratio(a.route == ROUTE["并联审批"], s)
    out["streamlined_rate"] = r.ratio(a.route != ROUTE["承诺件"], s)
    out["rejection_rate"] = r.ratio(scope.rejected, scope.not_withdrawn)

    items = scope.data.items
    ri = scope.reducer(grouping, "items")
    has_legal = items.legal > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        compression = np.where(has_legal, (items.legal - items.promised) / np.where(has_legal, items.legal, 1), 0.0)
    out["compression_rate"] = ri.mean(compression, has_legal)
    out["avg_materials"] = ri.mean(items.materials, ~np.isnan(items.materials))
    return out
