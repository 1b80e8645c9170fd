"""制度宣传保障 (publicity and guarantee): disclosure, mapping, guides, channels, data quality.

``RULES`` declares each indicator once (see :mod:`metrics.rules`); the 负面清单 page
(:mod:`metrics.views.negative_list`) reuses these masks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.contract import DISCLOSURE_CHANNELS
from metrics.catalog import PUBLICITY
from metrics.grouping import Grouping, Measure
from metrics.ops import present
from metrics.populations import Scope, per_scope
from metrics.rules import Rule, evaluate, rule_map

INDICATORS = PUBLICITY
PUB_FLAGS = 5


def licensing(scope: Scope) -> np.ndarray:
    """Service items of type 行政许可."""
    return scope.data.items.licensing


@per_scope
def disclosure_share(scope: Scope) -> np.ndarray:
    """Each item's share of the five pub_* flags that are 是."""
    return scope.data.items.pub_count / PUB_FLAGS


@per_scope
def fully_disclosed(scope: Scope) -> np.ndarray:
    """Items with all five pub_* flags 是 (those that do not fall short of disclosure_rate)."""
    return scope.data.items.pub_count >= PUB_FLAGS


def mapped(scope: Scope) -> np.ndarray:
    """Items with nl_code, power_code and license_code all present."""
    return scope.data.items.mapped


@per_scope
def in_current_version(scope: Scope) -> np.ndarray:
    """Items whose nl_code is in the current negative-list version."""
    version = scope.current_version
    items = scope.data.items
    if version is None:
        return np.zeros(len(items.nl_code), dtype=bool)
    codes = scope.data.versions.codes[version]
    return np.fromiter((c in codes for c in items.nl_code), dtype=bool, count=len(items.nl_code))


@per_scope
def guide_updated(scope: Scope) -> np.ndarray:
    """Items with guide_updated ≥ the current version's effective_date."""
    version = scope.current_version
    items = scope.data.items
    if version is None:
        return np.zeros(len(items.nl_code), dtype=bool)
    return items.guide_day >= scope.data.versions.effective[version]


@per_scope
def list_publications(scope: Scope) -> np.ndarray:
    """Disclosures of content 负面清单 of the current version, published by as_of."""
    d = scope.data.frames.disclosures
    version = scope.current_version
    if version is None:
        return np.zeros(len(d), dtype=bool)
    keep = (d["content"] == "负面清单") & (d["version"] == version) & (d["published_date"] <= pd.Timestamp(scope.window.as_of))
    return keep.fillna(False).to_numpy(dtype=bool)


@per_scope
def on_a_channel(scope: Scope) -> np.ndarray:
    """Disclosures on one of the three publication channels."""
    return scope.data.frames.disclosures["channel"].isin(DISCLOSURE_CHANNELS).to_numpy(dtype=bool)


def list_disclosures(scope: Scope) -> pd.DataFrame:
    """The rows of :func:`list_publications`."""
    return scope.data.frames.disclosures[list_publications(scope)]


@per_scope
def current_licensing_entries(scope: Scope) -> np.ndarray:
    """Negative-list rows of the current version in category 许可准入类."""
    nl = scope.data.frames.negative_list
    version = scope.current_version
    if version is None:
        return np.zeros(len(nl), dtype=bool)
    return ((nl["version"] == version) & (nl["category"] == "许可准入类")).fillna(False).to_numpy(dtype=bool)


@per_scope
def mapped_entry(scope: Scope) -> np.ndarray:
    """Negative-list rows whose nl_code some service item maps to."""
    used = {c for c in scope.data.items.nl_code if c is not None}
    return scope.data.frames.negative_list["nl_code"].isin(used).to_numpy(dtype=bool)


@per_scope
def complete_record(scope: Scope) -> np.ndarray:
    """Applications with reviewed_at, decided_at and visits all present."""
    a = scope.data.apps
    return a.has_reviewed & a.has_decided & present(a.visits)


def completed(scope: Scope) -> np.ndarray:
    return scope.completed


def _version_columns(rows: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    version = scope.current_version
    rows["version"] = version
    rows["effective_date"] = (
        pd.Timestamp("1970-01-01") + pd.Timedelta(days=scope.data.versions.effective[version])
        if version is not None else pd.NaT
    )
    return rows


RULES: dict[str, Rule] = rule_map([
    Rule("disclosure_rate", "items", "mean", licensing, fully_disclosed, values=disclosure_share, behind="short",
         sort="pub_count", ascending=True),
    Rule("mapping_rate", "items", "ratio", licensing, mapped, behind="short"),
    Rule("guide_update_rate", "items", "ratio", in_current_version, guide_updated, behind="short",
         annotate=_version_columns),
    Rule("channel_coverage", "disclosures", "channel_share", list_publications, on_a_channel),
    Rule("data_completeness", "apps", "ratio", completed, complete_record, behind="short"),
    Rule("nl_coverage", "negative_list", "distinct_share", current_licensing_entries, mapped_entry, behind="short"),
])


def compute(scope: Scope, grouping: Grouping) -> dict[str, Measure]:
    out = evaluate(RULES, scope, grouping)
    out["channel_coverage"] = channel_coverage(scope, grouping)
    out["nl_coverage"] = Measure(nl_coverage(scope), None)
    return out


def channel_coverage(scope: Scope, grouping: Grouping) -> Measure:
    """Distinct channels of the current list's publication, ÷ 3 (None without a current version)."""
    if scope.current_version is None:
        return Measure(None, None if not grouping.departments else [None] * grouping.size)
    rule = RULES["channel_coverage"]
    pub = scope.data.frames.disclosures[rule.numerator(scope)]
    n = len(DISCLOSURE_CHANNELS)
    district = pub["channel"].nunique() / n
    if not grouping.departments:
        return Measure(district, None)
    per = pub.groupby("dept_code", observed=True)["channel"].nunique()
    return Measure(district, [int(per.get(k, 0)) / n for k in grouping.keys])


def nl_coverage(scope: Scope) -> float | None:
    """Share of the current version's 许可准入类 items that some service item maps to."""
    rule = RULES["nl_coverage"]
    codes = scope.data.frames.negative_list["nl_code"]
    wanted = set(codes[rule.population(scope)].dropna())
    if not wanted:
        return None
    return len(set(codes[rule.numerator(scope)].dropna())) / len(wanted)
