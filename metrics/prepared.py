"""Per-engine derived columns: everything about a record that does not depend on the period.

Built once when a :class:`~metrics.engine.MetricsEngine` is created, so that computing a
period is a handful of vectorised comparisons and ``bincount`` calls over plain numpy
arrays: each application's department (its own ``dept_code``, else its item's), its dates as
day numbers, its working-day index, ``processing_wd``, its item's time limits, enum codes,
stage hours, and sort orders used for quantiles.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data.contract import APP_STATUSES, CHANNELS, ROUTES
from data.frames import Frames
from metrics.calendar import MISSING_DAY, cum_index, day_numbers
from metrics.catalog import STAGES
from metrics.grouping import lookup

# (stage, start column, end column) of stage_hours
STAGE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("受理", "submitted_at", "accepted_at"),
    ("审查", "accepted_at", "reviewed_at"),
    ("决定", "reviewed_at", "decided_at"),
    ("送达", "decided_at", "completed_at"),
)
assert tuple(s for s, _, _ in STAGE_COLUMNS) == STAGES

STATUS = {s: i for i, s in enumerate(APP_STATUSES)}
CHANNEL = {c: i for i, c in enumerate(CHANNELS)}
ROUTE = {r: i for i, r in enumerate(ROUTES)}


def enum_codes(series: pd.Series, values: dict[str, int]) -> np.ndarray:
    """Small-int code of each enum value (-1 when missing or unknown)."""
    return lookup(series, list(values)).astype(np.int8)


def present(series: pd.Series) -> np.ndarray:
    return series.notna().to_numpy(dtype=bool)


def ns(series: pd.Series) -> np.ndarray:
    """A datetime64 Series as int64 nanoseconds (NaT kept as NaT's integer)."""
    return series.to_numpy(dtype="datetime64[ns]", na_value=np.datetime64("NaT")).astype(np.int64)


def float_or_nan(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series).astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)


def text(series: pd.Series) -> np.ndarray:
    """A string Series as an object array with None for missing (cheap membership tests)."""
    return series.astype(object).where(series.notna(), None).to_numpy()


@dataclass(frozen=True)
class PreparedItems:
    """Service items with their derived columns (a small table)."""

    frame: pd.DataFrame
    position: dict[str, int]  # item_code -> row
    dept: pd.Series
    licensing: np.ndarray  # item_type 行政许可
    legal: np.ndarray
    promised: np.ndarray
    online: np.ndarray
    full_online: np.ndarray
    materials: np.ndarray  # float, NaN when missing
    pub_count: np.ndarray  # number of pub_* flags that are 是
    mapped: np.ndarray  # nl_code, power_code and license_code all present
    nl_code: np.ndarray  # object, None when missing
    guide_day: np.ndarray  # day number, MISSING_DAY when missing


def prepare_items(df: pd.DataFrame) -> PreparedItems:
    pubs = ["pub_legal_basis", "pub_standards", "pub_requirements", "pub_procedure", "pub_time_limit"]
    return PreparedItems(
        frame=df,
        position={c: i for i, c in enumerate(df["item_code"].tolist())},
        dept=df["dept_code"],
        licensing=(df["item_type"] == "行政许可").fillna(False).to_numpy(dtype=bool),
        legal=df["legal_limit_days"].to_numpy(dtype=np.int64),
        promised=df["promised_limit_days"].to_numpy(dtype=np.int64),
        online=df["online_available"].to_numpy(dtype=bool),
        full_online=df["full_online"].to_numpy(dtype=bool),
        materials=float_or_nan(df["materials"]),
        pub_count=df[pubs].to_numpy(dtype=bool).sum(axis=1).astype(np.int64),
        mapped=present(df["nl_code"]) & present(df["power_code"]) & present(df["license_code"]),
        nl_code=text(df["nl_code"]),
        guide_day=day_numbers(df["guide_updated"]),
    )


@dataclass(frozen=True)
class PreparedApps:
    """Applications as numpy columns, with the period-independent derived values."""

    frame: pd.DataFrame
    n: int
    dept: pd.Series  # department of the application: dept_code, else the item's (string)
    item_pos: np.ndarray  # row in the items table, -1 if unknown
    sub_day: np.ndarray
    acc_day: np.ndarray
    comp_day: np.ndarray
    has_acc: np.ndarray
    has_comp: np.ndarray
    acc_cum: np.ndarray  # cumulative working-day index at date(accepted_at)
    suspended: np.ndarray
    processing: np.ndarray  # processing_wd where accepted and completed are present, else 0
    promised: np.ndarray
    legal: np.ndarray
    status: np.ndarray  # index into APP_STATUSES, -1 unknown
    result_refused: np.ndarray  # result 不予
    channel: np.ndarray
    route: np.ndarray
    visits: np.ndarray  # float, NaN when missing
    rating: np.ndarray  # float, NaN when missing
    has_reviewed: np.ndarray
    has_decided: np.ndarray
    stage_hours: dict[str, np.ndarray]  # stage -> calendar hours, NaN unless both ends present
    processing_order: np.ndarray  # argsort of processing (for quantiles)
    stage_order: dict[str, np.ndarray]


def prepare_apps(df: pd.DataFrame, items: PreparedItems) -> PreparedApps:
    item_pos = _positions(df["item_code"], items)
    known = item_pos >= 0
    safe = np.where(known, item_pos, 0)
    if len(items.dept):
        taken = items.dept.astype("string").iloc[safe].reset_index(drop=True)
        item_dept = taken.where(known).set_axis(df.index)
    else:
        item_dept = pd.Series(pd.NA, index=df.index, dtype="string")
    dept = df["dept_code"].astype("string").fillna(item_dept)
    promised = np.where(known, items.promised[safe], 0) if len(items.promised) else np.zeros(len(df), np.int64)
    legal = np.where(known, items.legal[safe], 0) if len(items.legal) else np.zeros(len(df), np.int64)

    sub_day = day_numbers(df["submitted_at"])
    acc_day = day_numbers(df["accepted_at"])
    comp_day = day_numbers(df["completed_at"])
    has_acc = acc_day != MISSING_DAY
    has_comp = comp_day != MISSING_DAY
    acc_cum = cum_index(acc_day)
    comp_cum = cum_index(comp_day)
    suspended = df["suspended_days"].to_numpy(dtype=np.int64)
    processing = np.where(has_acc & has_comp, np.maximum(0, comp_cum - acc_cum - suspended), 0)

    stamps = {c: ns(df[c]) for c in ("submitted_at", "accepted_at", "reviewed_at", "decided_at", "completed_at")}
    nat = np.iinfo(np.int64).min
    stage_hours: dict[str, np.ndarray] = {}
    for stage, start, end in STAGE_COLUMNS:
        a, b = stamps[start], stamps[end]
        hours = (b - a) / 3.6e12
        hours[(a == nat) | (b == nat)] = np.nan
        stage_hours[stage] = hours
    # the sorts behind the quantiles are most of the build: numpy releases the GIL while sorting
    with ThreadPoolExecutor(max_workers=2) as pool:
        sorting = {s: pool.submit(np.argsort, h, kind="stable") for s, h in stage_hours.items()}
        processing_order = small_int_argsort(processing)
    stage_order = {s: future.result() for s, future in sorting.items()}

    return PreparedApps(
        frame=df,
        n=len(df),
        dept=dept,
        item_pos=item_pos,
        sub_day=sub_day,
        acc_day=acc_day,
        comp_day=comp_day,
        has_acc=has_acc,
        has_comp=has_comp,
        acc_cum=acc_cum,
        suspended=suspended,
        processing=processing,
        promised=promised,
        legal=legal,
        status=enum_codes(df["status"], STATUS),
        result_refused=(df["result"] == "不予").fillna(False).to_numpy(dtype=bool),
        channel=enum_codes(df["channel"], CHANNEL),
        route=enum_codes(df["route"], ROUTE),
        visits=float_or_nan(df["visits"]),
        rating=float_or_nan(df["rating"]),
        has_reviewed=present(df["reviewed_at"]),
        has_decided=present(df["decided_at"]),
        stage_hours=stage_hours,
        processing_order=processing_order,
        stage_order=stage_order,
    )


def small_int_argsort(values: np.ndarray) -> np.ndarray:
    """argsort of non-negative integers; a radix sort when they fit in 16 bits (fast)."""
    if len(values) and values.min() >= 0 and values.max() < np.iinfo(np.int16).max:
        return np.argsort(values.astype(np.int16), kind="stable")
    return np.argsort(values, kind="stable")


def _positions(codes: pd.Series, items: PreparedItems) -> np.ndarray:
    """Row of each application's item in the items table (-1 when unknown)."""
    return lookup(codes, list(items.position))


@dataclass(frozen=True)
class PreparedCases:
    """Cases (问题线索与案例) as numpy columns."""

    frame: pd.DataFrame
    received_day: np.ndarray
    received_cum: np.ndarray
    transferred: np.ndarray  # has a transferred_date
    transferred_cum: np.ndarray
    true: np.ndarray  # verified 属实
    self_source: np.ndarray  # source 部门自查
    dept_reported: np.ndarray
    key: np.ndarray
    deadline_day: np.ndarray  # MISSING_DAY when none
    has_deadline: np.ndarray
    rectified_day: np.ndarray
    has_rectified: np.ndarray


def prepare_cases(df: pd.DataFrame) -> PreparedCases:
    received = day_numbers(df["received_date"])
    transferred = day_numbers(df["transferred_date"])
    deadline = day_numbers(df["rectify_deadline"])
    rectified = day_numbers(df["rectified_date"])
    return PreparedCases(
        frame=df,
        received_day=received,
        received_cum=cum_index(received),
        transferred=transferred != MISSING_DAY,
        transferred_cum=cum_index(transferred),
        true=(df["verified"] == "属实").fillna(False).to_numpy(dtype=bool),
        self_source=(df["source"] == "部门自查").fillna(False).to_numpy(dtype=bool),
        dept_reported=df["dept_reported"].to_numpy(dtype=bool),
        key=df["key_case"].to_numpy(dtype=bool),
        deadline_day=deadline,
        has_deadline=deadline != MISSING_DAY,
        rectified_day=rectified,
        has_rectified=rectified != MISSING_DAY,
    )


@dataclass(frozen=True)
class Versions:
    """Negative-list versions: effective day of each, and the codes in each by category."""

    effective: dict[str, int]  # version -> effective day number
    codes: dict[str, frozenset[str]]  # version -> every nl_code
    licensing: dict[str, frozenset[str]]  # version -> nl_codes of category 许可准入类

    def current(self, as_of_day: int) -> str | None:
        """The version with the latest effective_date ≤ as_of (ties: the greatest version id)."""
        best: tuple[int, str] | None = None
        for version, day in self.effective.items():
            if day <= as_of_day and (best is None or (day, version) > best):
                best = (day, version)
        return None if best is None else best[1]


def prepare_versions(df: pd.DataFrame) -> Versions:
    effective: dict[str, int] = {}
    codes: dict[str, frozenset[str]] = {}
    licensing: dict[str, frozenset[str]] = {}
    if len(df):
        days = day_numbers(df["effective_date"])
        work = pd.DataFrame({
            "version": df["version"].astype(object), "nl_code": df["nl_code"].astype(object),
            "licensing": (df["category"] == "许可准入类").fillna(False).to_numpy(dtype=bool), "day": days,
        })
        for version, grp in work.groupby("version", sort=True):
            effective[str(version)] = int(grp["day"].max())
            codes[str(version)] = frozenset(grp["nl_code"].tolist())
            licensing[str(version)] = frozenset(grp.loc[grp["licensing"], "nl_code"].tolist())
    return Versions(effective, codes, licensing)


@dataclass(frozen=True)
class Prepared:
    """Everything the indicator families read, derived once from :class:`~data.frames.Frames`."""

    frames: Frames
    dept_keys: tuple[str, ...]  # every department, sorted by code
    dept_names: dict[str, str]
    street_keys: tuple[str, ...]  # departments of type 街道, sorted by code
    items: PreparedItems
    apps: PreparedApps
    cases: PreparedCases
    versions: Versions
    _street_masks: dict[tuple[str, str], np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def street_mask(self, table: str, street: str) -> np.ndarray:
        """Rows of ``table`` (``apps`` or ``cases``) located in ``street``: computed once per street,
        since every period and month of a street view asks for the same mask."""
        key = (table, street)
        if key not in self._street_masks:
            frame = self.apps.frame if table == "apps" else self.cases.frame
            self._street_masks[key] = (frame["street_code"] == street).fillna(False).to_numpy(dtype=bool)
        return self._street_masks[key]

    def id_mask(self, table: str, record_id: str) -> np.ndarray:
        """The row of ``table`` (``apps`` or ``cases``) whose id is ``record_id`` (none if absent)."""
        frame, column = (self.apps.frame, "app_id") if table == "apps" else (self.cases.frame, "case_id")
        return (frame[column].astype("string") == str(record_id)).fillna(False).to_numpy(dtype=bool)

    def dept_mask(self, table: str, dept: str | None) -> np.ndarray:
        """Rows of ``table`` (``apps`` or ``cases``) of department ``dept`` (every row for None):
        an application's own department, else its item's."""
        n = self.apps.n if table == "apps" else len(self.cases.frame)
        if dept is None:
            return np.ones(n, dtype=bool)
        column = self.apps.dept if table == "apps" else self.cases.frame["dept_code"]
        return (column == dept).fillna(False).to_numpy(dtype=bool)


def prepare(frames: Frames) -> Prepared:
    depts = frames.departments.sort_values("dept_code", kind="stable")
    keys = tuple(str(c) for c in depts["dept_code"].tolist())
    names = {str(c): str(n) for c, n in zip(depts["dept_code"].tolist(), depts["dept_name"].tolist(), strict=True)}
    streets = tuple(str(c) for c in depts.loc[(depts["dept_type"] == "街道").fillna(False), "dept_code"].tolist())
    items = prepare_items(frames.service_items.reset_index(drop=True))
    return Prepared(
        frames=frames,
        dept_keys=keys,
        dept_names=names,
        street_keys=streets,
        items=items,
        apps=prepare_apps(frames.applications.reset_index(drop=True), items),
        cases=prepare_cases(frames.cases.reset_index(drop=True)),
        versions=prepare_versions(frames.negative_list),
    )
