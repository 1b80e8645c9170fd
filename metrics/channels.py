"""服务渠道 (service channels): online application, visits, ratings and online items."""

from __future__ import annotations

import numpy as np

from metrics.catalog import CHANNELS
from metrics.grouping import Grouping, Measure
from metrics.populations import Scope
from metrics.prepared import CHANNEL

INDICATORS = CHANNELS
ONLINE = (CHANNEL["网上办理"], CHANNEL["掌上办理"])
MOBILE = CHANNEL["掌上办理"]


def compute(scope: Scope, grouping: Grouping) -> dict[str, Measure]:
    a = scope.data.apps
    r = scope.reducer(grouping, "apps")
    s = scope.submitted
    c = scope.completed
    out: dict[str, Measure] = {}

    out["online_rate"] = r.ratio(np.isin(a.channel, ONLINE), s)
    out["mobile_rate"] = r.ratio(a.channel == MOBILE, s)
    with_visits = scope.with_visits
    out["zero_visit_rate"] = r.ratio(a.visits == 0, with_visits)
    out["one_visit_rate"] = r.ratio(a.visits <= 1, with_visits)
    out["avg_visits"] = r.mean(a.visits, with_visits)
    rated = c & ~np.isnan(a.rating)
    out["good_rating_rate"] = r.ratio(a.rating >= 4, rated)
    out["bad_rating_count"] = r.count(rated & (a.rating <= 2))

    items = scope.data.items
    ri = scope.reducer(grouping, "items")
    every = np.ones(len(items.online), dtype=bool)
    out["online_item_rate"] = ri.ratio(items.online, every)
    out["full_online_item_rate"] = ri.ratio(items.full_online, every)
    return out
