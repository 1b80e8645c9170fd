"""制度宣传保障 (publicity and guarantee): disclosure, mapping, guides, channels, data quality."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.contract import DISCLOSURE_CHANNELS
from metrics.catalog import PUBLICITY
from metrics.grouping import Grouping, Measure
from metrics.populations import Scope

INDICATORS = PUBLICITY
PUB_FLAGS = 5


def in_current_version(scope: Scope) -> np.ndarray:
    """Items whose nl_code is in the current negative-list version."""
    version = scope.current_version
    items = scope.data.items
    if version is None:
        return np.zeros(len(items.nl_code), dtype=bool)
    codes = scope.data.versions.codes[version]
    return np.fromiter((c in codes for c in items.nl_code), dtype=bool, count=len(items.nl_code))


def guide_updated(scope: Scope) -> np.ndarray:
    """Items with guide_updated ≥ the current version's effective_date."""
    version = scope.current_version
    items = scope.data.items
    if version is None:
        return np.zeros(len(items.nl_code), dtype=bool)
    return items.guide_day >= scope.data.versions.effective[version]


def list_disclosures(scope: Scope) -> pd.DataFrame:
    """Disclosures of content 负面清单 of the current version, published by as_of."""
    d = scope.data.frames.disclosures
    version = scope.current_version
    if version is None:
        return d.iloc[0:0]
    keep = (d["content"] == "负面清单") & (d["version"] == version) & (d["published_date"] <= pd.Timestamp(scope.window.as_of))
    return d[keep.fillna(False)]


def compute(scope: Scope, grouping: Grouping) -> dict[str, Measure]:
    items = scope.data.items
    ri = scope.reducer(grouping, "items")
    out: dict[str, Measure] = {}

    out["disclosure_rate"] = ri.mean(items.pub_count / PUB_FLAGS, items.licensing)
    out["mapping_rate"] = ri.ratio(items.mapped, items.licensing)
    out["guide_update_rate"] = ri.ratio(guide_updated(scope), in_current_version(scope))
    out["channel_coverage"] = channel_coverage(scope, grouping)

    a = scope.data.apps
    complete = a.has_reviewed & a.has_decided & ~np.isnan(a.visits)
    out["data_completeness"] = scope.reducer(grouping, "apps").ratio(complete, scope.completed)

    out["nl_coverage"] = Measure(nl_coverage(scope), None)
    return out


def channel_coverage(scope: Scope, grouping: Grouping) -> Measure:
    """Distinct channels of the current list's publication, ÷ 3 (None without a current version)."""
    if scope.current_version is None:
        return Measure(None, None if not grouping.departments else [None] * grouping.size)
    pub = list_disclosures(scope)
    channels = pub["channel"].isin(DISCLOSURE_CHANNELS)
    n = len(DISCLOSURE_CHANNELS)
    district = pub.loc[channels, "channel"].nunique() / n
    if not grouping.departments:
        return Measure(district, None)
    per = pub[channels].groupby("dept_code", observed=True)["channel"].nunique()
    return Measure(district, [int(per.get(k, 0)) / n for k in grouping.keys])


def nl_coverage(scope: Scope) -> float | None:
    """Share of the current version's 许可准入类 items that some service item maps to."""
    version = scope.current_version
    if version is None:
        return None
    wanted = scope.data.versions.licensing[version]
    if not wanted:
        return None
    mapped = {c for c in scope.data.items.nl_code if c is not None}
    return len(wanted & mapped) / len(wanted)
