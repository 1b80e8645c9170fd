"""负面清单落实 (negative list): the current list version, its publication on the three
channels, the mapping of licensing items, the five disclosure elements and stale guides.

Every function takes the engine first and hashable arguments, judges "current version" as
indicators.md does (latest effective_date ≤ as_of) and reuses the publicity family's own
masks, so a table here always agrees with disclosure_rate, mapping_rate, guide_update_rate
and channel_coverage of the same as_of.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from data.contract import DISCLOSURE_CHANNELS
from metrics import publicity
from metrics.calendar import wd
from metrics.populations import Scope, Window
from metrics.records import records_behind
from metrics.results import MetricsRequest

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine

LICENSING = "许可准入类"
PROHIBITED = "禁止准入类"
LIST_CONTENT = "负面清单"
GUIDE_CONTENT = "许可事项办事指南"
LICENSING_ITEM = "行政许可"
SEP = "、"
NOT_PUBLISHED = "未公开"

# the five elements of mechanism 2, in the policy's order: (service_items column, name)
ELEMENTS: tuple[tuple[str, str], ...] = (
    ("pub_legal_basis", "法律法规依据"),
    ("pub_standards", "技术标准"),
    ("pub_requirements", "许可要求"),
    ("pub_procedure", "办理流程"),
    ("pub_time_limit", "办理时限"),
)
CODES: tuple[tuple[str, str], ...] = (
    ("nl_code", "负面清单事项编码"),
    ("power_code", "行政权力清单编码"),
    ("license_code", "行政许可事项编码"),
)


def _scope(engine: MetricsEngine, as_of: dt.date) -> Scope:
    return Scope(engine.data, Window(as_of, as_of, as_of))


def _date(day: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(day))


def _dates(values: pd.Series) -> list[dt.date | None]:
    """Timestamps as dates (None for missing), as tables show them."""
    return [None if pd.isna(v) else pd.Timestamp(v).date() for v in values]


def _dept_name(engine: MetricsEngine, codes: pd.Series) -> list[str]:
    names = engine.data.dept_names
    return [names.get(str(c), str(c)) if pd.notna(c) else "" for c in codes]


def current_version(engine: MetricsEngine, as_of: dt.date) -> dict[str, object]:
    """The current version at ``as_of``: id, effective date and its item counts (None id if none)."""
    version = _scope(engine, as_of).current_version
    versions = engine.data.versions
    if version is None:
        return {"version": None, "effective_date": None, "nl_licensing": 0, "nl_prohibited": 0}
    licensing = len(versions.licensing[version])
    return {
        "version": version,
        "effective_date": _date(versions.effective[version]),
        "nl_licensing": licensing,
        "nl_prohibited": len(versions.codes[version]) - licensing,
    }


def version_table(engine: MetricsEngine, as_of: dt.date) -> pd.DataFrame:
    """Every list version: effective date, item counts by category, whether current at ``as_of``."""
    versions = engine.data.versions
    current = _scope(engine, as_of).current_version
    rows = [
        {
            "nl_version": v,
            "effective_date": _date(day),
            "nl_prohibited": len(versions.codes[v]) - len(versions.licensing[v]),
            "nl_licensing": len(versions.licensing[v]),
            "nl_items": len(versions.codes[v]),
            "nl_current": v == current,
        }
        for v, day in sorted(versions.effective.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
    ]
    return pd.DataFrame(rows, columns=["nl_version", "effective_date", "nl_prohibited", "nl_licensing",
                                       "nl_items", "nl_current"])


# --------------------------------------------------------------------------- channels

def publication(engine: MetricsEngine, as_of: dt.date) -> pd.DataFrame:
    """One row per department and channel: was the current list (content 负面清单) published
    there by ``as_of``, when, and how many working days after it took effect.

    ``publish_wd`` is wd(effective_date, published_date) of indicators.md (negative when
    published before the list took effect); missing when not published.
    """
    scope = _scope(engine, as_of)
    version = scope.current_version
    pub = publicity.list_disclosures(scope)
    effective = engine.data.versions.effective[version] if version is not None else None
    first = (pub.sort_values("published_date", kind="stable")
             .drop_duplicates(["dept_code", "channel"], keep="first")
             .set_index(["dept_code", "channel"]))
    rows = []
    for code in engine.data.dept_keys:
        for channel in DISCLOSURE_CHANNELS:
            key = (code, channel)
            hit = key in first.index
            date = first.at[key, "published_date"] if hit else pd.NaT
            rows.append({
                "dept_code": code,
                "dept_name": engine.data.dept_names.get(code, code),
                "nl_channel": channel,
                "nl_version": version,
                "nl_published": bool(hit),
                "published_date": date.date() if hit else None,
                "nl_publish_wd": wd(_date(effective), date.date()) if hit and effective is not None else None,
                "url": first.at[key, "url"] if hit else None,
            })
    out = pd.DataFrame(rows, columns=["dept_code", "dept_name", "nl_channel", "nl_version", "nl_published",
                                      "published_date", "nl_publish_wd", "url"])
    out["nl_publish_wd"] = out["nl_publish_wd"].astype("Int64")
    return out


def publication_summary(engine: MetricsEngine, as_of: dt.date) -> pd.DataFrame:
    """One row per department: channels used, channels missing, the slowest publication and
    channel_coverage; departments with a gap first."""
    pub = publication(engine, as_of)
    rows = []
    n = len(DISCLOSURE_CHANNELS)
    for code, grp in pub.groupby("dept_code", sort=True):
        done = grp[grp["nl_published"]]
        missing = [c for c in DISCLOSURE_CHANNELS if c not in set(done["nl_channel"])]
        rows.append({
            "dept_code": code,
            "dept_name": grp["dept_name"].iloc[0],
            "nl_channels": len(done),
            "nl_missing_channels": SEP.join(missing),
            "nl_first_published": min(done["published_date"]) if len(done) else None,
            "nl_max_publish_wd": int(done["nl_publish_wd"].max()) if len(done) else None,
            "nl_channel_share": len(done) / n if pub["nl_version"].notna().any() else None,
        })
    out = pd.DataFrame(rows, columns=["dept_code", "dept_name", "nl_channels", "nl_missing_channels",
                                      "nl_first_published", "nl_max_publish_wd", "nl_channel_share"])
    out["nl_max_publish_wd"] = out["nl_max_publish_wd"].astype("Int64")
    return out.sort_values(["nl_channels", "dept_code"], kind="stable").reset_index(drop=True)


def channel_completeness(engine: MetricsEngine, as_of: dt.date) -> dict[str, int]:
    """How many departments published the current list on all three channels, of how many:
    the figure a leader asks, beside the district's channel_coverage, which pools every
    department's records (a channel counts once any department used it).  Counted on
    :func:`publication_summary`, so it agrees with the gaps table drawn from it."""
    summary = publication_summary(engine, as_of)
    full = int((summary["nl_channels"] == len(DISCLOSURE_CHANNELS)).sum())
    return {"all_channels": full, "departments": len(summary), "gaps": len(summary) - full}


# --------------------------------------------------------------------------- mapping

def _licensing_items(engine: MetricsEngine, dept: str | None) -> tuple[pd.DataFrame, np.ndarray]:
    items = engine.data.items
    mask = items.licensing.copy()
    if dept is not None:
        mask &= (items.dept == dept).fillna(False).to_numpy(dtype=bool)
    return items.frame[mask].reset_index(drop=True), mask


def mapping_gaps(engine: MetricsEngine, as_of: dt.date, dept: str | None = None) -> pd.DataFrame:
    """Licensing items (type 行政许可) lacking a code of the one-to-one mapping, or whose nl_code
    is not a 许可准入类 item of the current version; ``issues`` says what is wrong."""
    frame, _ = _licensing_items(engine, dept)
    version = _scope(engine, as_of).current_version
    versions = engine.data.versions
    in_version = versions.codes.get(version, frozenset()) if version else frozenset()
    licensing = versions.licensing.get(version, frozenset()) if version else frozenset()
    issues: list[str] = []
    for row in frame.itertuples(index=False):
        found = [f"缺{name}" for col, name in CODES if pd.isna(getattr(row, col))]
        code = row.nl_code
        if pd.notna(code) and version is not None:
            if code not in in_version:
                found.append("负面清单事项编码不在现行版本")
            elif code not in licensing:
                found.append("对应清单事项不属许可准入类")
        issues.append("；".join(found))
    mapped = frame[[c for c, _ in CODES]].notna().all(axis=1)
    out = frame.assign(dept_name=_dept_name(engine, frame["dept_code"]), nl_issues=issues,
                       nl_codes_complete=mapped)
    out = out[out["nl_issues"] != ""]
    out = out.rename(columns={"nl_code": "nl_list_code"})
    return out.loc[:, ["item_code", "item_name", "dept_code", "dept_name", "nl_list_code", "power_code",
                       "license_code", "nl_codes_complete", "nl_issues"]].reset_index(drop=True)


def unmapped_list_items(engine: MetricsEngine, as_of: dt.date) -> pd.DataFrame:
    """The current version's 许可准入类 items that no service item maps to (nl_coverage's gaps)."""
    rec = records_behind(engine, MetricsRequest(as_of, as_of), None, "nl_coverage")
    rec = rec.rename(columns={"version": "nl_version"}).assign(effective_date=_dates(rec["effective_date"]))
    rec = rec.rename(columns={"nl_code": "nl_list_code"})
    cols = ["nl_version", "nl_list_code", "item_no", "name", "authority", "measures", "effective_date"]
    return rec.loc[:, cols].sort_values(["item_no", "nl_list_code"], kind="stable",
                                        na_position="last").reset_index(drop=True)


# --------------------------------------------------------------------------- disclosure elements

def element_matrix(engine: MetricsEngine) -> pd.DataFrame:
    """Per department with licensing items and per element: items, items publishing it, share."""
    frame, _ = _licensing_items(engine, None)
    rows = []
    for code, grp in frame.groupby("dept_code", sort=True):
        for col, name in ELEMENTS:
            done = int(grp[col].sum())
            rows.append({"dept_code": code, "dept_name": engine.data.dept_names.get(code, code),
                         "element": name, "items": len(grp), "published_items": done,
                         "share": done / len(grp)})
    return pd.DataFrame(rows, columns=["dept_code", "dept_name", "element", "items", "published_items", "share"])


def disclosure_gaps(engine: MetricsEngine, dept: str | None = None) -> pd.DataFrame:
    """Licensing items that do not publish all five elements, fewest published first."""
    frame, _ = _licensing_items(engine, dept)
    flags = frame[[c for c, _ in ELEMENTS]].to_numpy(dtype=bool)
    count = flags.sum(axis=1)
    missing = [SEP.join(name for (_, name), ok in zip(ELEMENTS, row, strict=True) if not ok) for row in flags]
    out = frame.loc[:, ["item_code", "item_name", "dept_code", *[c for c, _ in ELEMENTS]]].assign(
        dept_name=_dept_name(engine, frame["dept_code"]), nl_pub_count=count, nl_missing_elements=missing,
    )
    out = out[out["nl_pub_count"] < len(ELEMENTS)]
    return out.sort_values(["nl_pub_count", "dept_code", "item_code"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- guides

def guide_status(engine: MetricsEngine, as_of: dt.date) -> pd.DataFrame:
    """Per department with items in the current version: items, stale guides, guide_update_rate,
    the newest guide_updated, and the channels where it published the version's 许可事项办事指南."""
    scope = _scope(engine, as_of)
    version = scope.current_version
    cols = ["dept_code", "dept_name", "nl_version_items", "nl_stale_items", "nl_guide_share",
            "nl_latest_guide", "nl_guide_channels"]
    if version is None:
        return pd.DataFrame(columns=cols)
    items = engine.data.items
    in_version = publicity.in_current_version(scope)
    updated = publicity.guide_updated(scope)
    work = pd.DataFrame({"dept_code": items.dept.to_numpy(), "in_version": in_version,
                         "updated": updated & in_version, "guide": items.frame["guide_updated"].to_numpy()})
    work = work[work["in_version"] & work["dept_code"].notna()]
    d = engine.data.frames.disclosures
    guides = d[((d["content"] == GUIDE_CONTENT) & (d["version"] == version)
                & (d["published_date"] <= pd.Timestamp(as_of))).fillna(False)]
    rows = []
    for code, grp in work.groupby("dept_code", sort=True):
        n, ok = len(grp), int(grp["updated"].sum())
        chans = set(guides.loc[guides["dept_code"] == code, "channel"])
        rows.append({
            "dept_code": code, "dept_name": engine.data.dept_names.get(code, code),
            "nl_version_items": n, "nl_stale_items": n - ok, "nl_guide_share": ok / n,
            "nl_latest_guide": _dates(pd.Series([grp["guide"].max()]))[0],
            "nl_guide_channels": SEP.join(c for c in DISCLOSURE_CHANNELS if c in chans) or NOT_PUBLISHED,
        })
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["nl_guide_share", "dept_code"], kind="stable").reset_index(drop=True)


def stale_guides(engine: MetricsEngine, as_of: dt.date, dept: str | None = None) -> pd.DataFrame:
    """Items in the current version whose guide was not updated since it took effect (the
    records behind guide_update_rate), oldest guide first."""
    rec = records_behind(engine, MetricsRequest(as_of, as_of), dept, "guide_update_rate")
    rec = rec.sort_values(["guide_updated", "item_code"], kind="stable", na_position="first")
    rec = rec.rename(columns={"version": "nl_version"}).assign(
        dept_name=_dept_name(engine, rec["dept_code"]), guide_updated=_dates(rec["guide_updated"]),
        effective_date=_dates(rec["effective_date"]))
    rec = rec.rename(columns={"nl_code": "nl_list_code"})
    cols = ["item_code", "item_name", "dept_code", "dept_name", "nl_list_code", "guide_updated", "nl_version",
            "effective_date"]
    return rec.loc[:, cols].reset_index(drop=True)
