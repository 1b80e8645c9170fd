"""Applications (办件): vectorised with numpy, a million rows in a few seconds.

Each application is drawn in stages, every stage for all rows at once: the day it was
submitted (seasonality, working days, festival lulls), its item (per month and day type),
street and accepting department, channel and time of day, approval route, the working
days each stage took, status at the export moment, visits, rating and applicant.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.contract import APP_RESULTS, APP_STATUSES, CHANNELS, ROUTES
from data.demo import planted
from data.demo.catalog import DEPARTMENTS, ENTITY_GROUPS, ROUTE_PROFILES, STREET_SHARE, STREETS
from data.demo.entities import EntityPool
from data.demo.timeline import (
    CUTOFF,
    HOUR,
    MINUTE,
    ORIGIN,
    PERIOD_END,
    PERIOD_START,
    WorkCalendar,
    day_no,
    office_seconds,
    online_seconds,
    to_datetime,
)

APPS_PER_YEAR = 30_000
MONTH_FACTOR = np.array([1.0, 0.82, 1.12, 1.05, 0.98, 1.03, 1.0, 0.95, 1.04, 0.9, 1.03, 1.1])
WEEKDAY_FACTOR = np.array([1.12, 1.05, 1.0, 0.98, 0.9, 0.75, 0.75])  # Sat/Sun: make-up working days
WEEKEND_LEVEL = 0.05  # online submissions on a weekend day, relative to a working day
FESTIVAL_LEVEL = 0.006  # Spring Festival, National Day and the other statutory holidays

DEPT_CODES = [d[0] for d in DEPARTMENTS]
DEPT_INDEX = {c: i for i, c in enumerate(DEPT_CODES)}
R_INSTANT, R_PROMISE, R_COMMIT, R_TOLERANCE, R_PARALLEL = range(5)
assert ROUTES == ("即办件", "承诺件", "告知承诺", "容缺受理", "并联审批")
C_WEB, C_MOBILE, C_WINDOW, C_KIOSK, C_MAIL, C_OTHER = range(6)
assert CHANNELS == ("网上办理", "掌上办理", "窗口办理", "自助终端", "邮寄", "其他")
S_OPEN, S_DONE, S_REJECTED, S_WITHDRAWN = range(4)
assert APP_STATUSES == ("在办", "已办结", "不予受理", "撤回")


def _daily_counts(rng: np.random.Generator, cal: WorkCalendar, scale: float) -> tuple[np.ndarray, np.ndarray]:
    d0, d1 = day_no(PERIOD_START), day_no(PERIOD_END)
    days = np.arange(d0, d1 + 1)
    dates = pd.to_datetime(ORIGIN) + pd.to_timedelta(days, "D")
    month = dates.month.to_numpy() - 1
    weekday = dates.day_of_week.to_numpy()
    years = (days - d0) / 365.25
    work = cal.is_work[days]
    festival = cal.is_festival[days]
    after_festival = cal.is_festival[days - 1] | cal.is_festival[days - 2]
    w = MONTH_FACTOR[month] * (1 + 0.08 * years) * WEEKDAY_FACTOR[weekday]
    w = np.where(work & after_festival, w * 1.35, w)
    w = np.where(work, w, np.where(festival, FESTIVAL_LEVEL, WEEKEND_LEVEL))
    expected = APPS_PER_YEAR * scale * len(days) / 365.25
    counts = rng.poisson(expected * w / w.sum())
    return days, counts


def _pick(rng: np.random.Generator, keys: np.ndarray, n_keys: int, probs: dict[int, np.ndarray]) -> np.ndarray:
    """For each row, a choice among ``len(probs[key])`` options with the key's probabilities."""
    out = np.full(len(keys), -1, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(n_keys + 1))
    for k in range(n_keys):
        rows = order[bounds[k] : bounds[k + 1]]
        if len(rows) and k in probs:
            p = probs[k]
            out[rows] = rng.choice(len(p), size=len(rows), p=p / p.sum())
    return out


def generate_applications(
    rng: np.random.Generator,
    cal: WorkCalendar,
    items: pd.DataFrame,
    params: pd.DataFrame,
    pool: EntityPool,
    scale: float,
    outsiders: EntityPool | None = None,
    rng_out: np.random.Generator | None = None,
) -> pd.DataFrame:
    """The applications; ``outsiders`` (entities registered outside 江门) apply with draws of
    their own generator ``rng_out``, so that every other value is drawn as without them."""
    days, counts = _daily_counts(rng, cal, scale)
    day = np.repeat(days, counts)
    n = len(day)
    d0, d1 = day_no(PERIOD_START), day_no(PERIOD_END)
    t = (day - d0) / (d1 - d0)
    work = cal.is_work[day]

    # --- item: per month and day type (only online items on days the halls are closed) ---
    dates = pd.to_datetime(ORIGIN) + pd.to_timedelta(days, "D")
    month_idx = ((dates.year - PERIOD_START.year) * 12 + dates.month - PERIOD_START.month).to_numpy()
    app_month = np.repeat(month_idx, counts)
    cal_month_of_idx = dict(zip(month_idx.tolist(), (dates.month - 1).tolist(), strict=False))
    volume = params["volume"].to_numpy(dtype=float)
    online_share = params["online_share"].to_numpy(dtype=float)
    season = np.array(params["season"].tolist(), dtype=float)  # (items, 12)
    n_months = int(month_idx.max()) + 1
    probs: dict[int, np.ndarray] = {}
    for m in range(n_months):
        base = volume * season[:, cal_month_of_idx[m]]
        probs[2 * m + 1] = base
        probs[2 * m] = base * (online_share > 0)
    item = _pick(rng, app_month * 2 + work, 2 * n_months, probs)

    item_dept = np.array([DEPT_INDEX[d] for d in params["dept"]])[item]
    promised = params["promised"].to_numpy(dtype=np.int64)[item]
    share_online = online_share[item]
    full_online = params["full_online"].to_numpy(dtype=bool)[item]
    sink = params["sink"].to_numpy(dtype=bool)[item]
    street_set = [DEPT_INDEX[s] for s in STREETS]

    # --- street and accepting department ---
    own_street = np.isin(item_dept, street_set)
    street = np.where(
        rng.random(n) < 0.55, np.array(street_set)[rng.choice(3, size=n, p=STREET_SHARE)], -1
    )
    street = np.where(own_street, item_dept, street)
    dept = np.where(sink & (street >= 0) & (rng.random(n) < 0.7), street, item_dept)
    dept_blank = (dept == item_dept) & (rng.random(n) < 0.06)
    low_online = street == DEPT_INDEX[planted.LOW_ONLINE_STREET]

    # --- channel and submission time ---
    p_online = np.clip(share_online * (0.9 + 0.3 * t), 0, 0.97)
    p_online = np.where(low_online, p_online * 0.22, p_online)
    p_online = np.where(work, p_online, 1.0)
    online = rng.random(n) < p_online
    mobile = rng.random(n) < 0.15 + 0.3 * t
    offline_kind = rng.choice([C_WINDOW, C_KIOSK, C_MAIL, C_OTHER], size=n, p=[0.9, 0.06, 0.025, 0.015])
    channel = np.where(online, np.where(mobile, C_MOBILE, C_WEB), offline_kind)
    sub_sec = np.where(online, online_seconds(rng, n), office_seconds(rng, n))

    # --- acceptance ---
    early = work & (sub_sec < 16 * HOUR)
    base_idx = np.where(early, cal.next_work_index(day), cal.work_index_after(day))
    lag = np.where(
        early,
        rng.choice(3, size=n, p=[0.55, 0.35, 0.10]),
        rng.choice(3, size=n, p=[0.75, 0.20, 0.05]),
    )
    mail = channel == C_MAIL
    lag = np.where(mail, rng.integers(0, 3, n), lag)
    base_idx = np.where(mail, cal.work_index_after(day), base_idx)
    acc_day = cal.workdays[base_idx + lag]
    same_day = acc_day == day
    acc_sec = np.where(
        same_day,
        np.minimum(sub_sec + rng.integers(15 * MINUTE, 150 * MINUTE, n), int(17.75 * HOUR)),
        office_seconds(rng, n),
    )
    at_counter = ~online & ~mail
    acc_day = np.where(at_counter, day, acc_day)
    acc_sec = np.where(at_counter, sub_sec + rng.integers(3 * MINUTE, 40 * MINUTE, n), acc_sec)

    # --- route ---
    profile_names = list(ROUTE_PROFILES)
    profile = np.array([profile_names.index(p) for p in params["profile"]])[item]
    route_probs = {
        i: np.array([ROUTE_PROFILES[name].get(r, 0.0) for r in ROUTES]) for i, name in enumerate(profile_names)
    }
    route = _pick(rng, profile, len(profile_names), route_probs)
    route = np.where(promised == 0, R_INSTANT, route)

    # --- applicants from outside 江门, and the hidden barriers planted for them ---
    out = _Outside.draw(rng_out, item, items, params, outsiders)
    not_instant = route != R_INSTANT

    # --- working days taken: P (processing) plus suspended days (special procedures) ---
    committed = np.isin(route, [R_PROMISE, R_TOLERANCE, R_PARALLEL])
    base_p = 1 + np.floor(np.maximum(promised, 1) * rng.beta(1.7, 2.6, n)).astype(np.int64)
    base_p = np.minimum(base_p, np.maximum(promised, 1))
    base_p = np.where(route == R_TOLERANCE, base_p + (rng.random(n) < 0.3), base_p)
    late = committed & (rng.random(n) < 0.035)
    base_p = np.where(late, promised + rng.geometric(0.45, n), base_p)
    base_p = np.where(route == R_COMMIT, (rng.random(n) < 0.3).astype(np.int64), base_p)
    base_p = np.where(route == R_INSTANT, 0, base_p)
    slow = (item_dept == DEPT_INDEX[planted.SLOW_REVIEW_DEPT]) & (route != R_INSTANT)
    extra = np.where(slow, np.where(rng.random(n) < 0.7, 4 + rng.poisson(6, n), rng.poisson(1, n)), 0)
    extra = extra + np.where(out.on(planted.TIME_ITEM) & not_instant, out.delay, 0)
    proc = base_p + extra
    suspend_share = params["suspend"].to_numpy(dtype=float)[item]
    suspended = np.where(
        committed & (rng.random(n) < suspend_share),
        rng.choice([3, 5, 7, 10, 15, 20], size=n, p=[0.2, 0.3, 0.2, 0.15, 0.1, 0.05]),
        0,
    )
    suspended = np.where(out.on(planted.SUSPENSION_ITEM) & not_instant & (out.u_suspend < 0.5),
                         out.suspend_days, suspended)

    # --- milestones ---
    acc_idx = cal.next_work_index(acc_day)
    # review takes part of the base time (plus the planted delay); special procedures such
    # as expert review or hearings come between review and decision
    r_off = np.floor(base_p * rng.uniform(0.2, 0.55, n)).astype(np.int64) + extra
    c_off = proc + suspended
    d_off = r_off + suspended + np.floor((c_off - r_off - suspended) * rng.uniform(0.3, 0.9, n)).astype(np.int64)
    t_acc = to_datetime(acc_day, acc_sec).astype(np.int64)
    t_rev = to_datetime(cal.workdays[acc_idx + r_off], office_seconds(rng, n)).astype(np.int64)
    t_dec = to_datetime(cal.workdays[acc_idx + d_off], office_seconds(rng, n)).astype(np.int64)
    t_comp = to_datetime(cal.workdays[acc_idx + c_off], office_seconds(rng, n)).astype(np.int64)
    t_rev = np.maximum(t_rev, t_acc + rng.integers(3 * MINUTE, 90 * MINUTE, n))
    t_dec = np.maximum(t_dec, t_rev + rng.integers(2 * MINUTE, 60 * MINUTE, n))
    t_comp = np.maximum(t_comp, t_dec + rng.integers(1 * MINUTE, 120 * MINUTE, n))
    # decided on the spot: the stages follow each other within minutes
    spot = c_off == 0
    t_rev = np.where(spot, t_acc + rng.integers(2 * MINUTE, 30 * MINUTE, n), t_rev)
    t_dec = np.where(spot, t_rev + rng.integers(1 * MINUTE, 15 * MINUTE, n), t_dec)
    t_comp = np.where(spot, t_dec + rng.integers(1 * MINUTE, 20 * MINUTE, n), t_comp)
    t_sub = to_datetime(day, sub_sec).astype(np.int64)

    # --- status at the export moment ---
    cutoff = int(CUTOFF.astype(np.int64))
    keep = t_acc <= cutoff  # not yet accepted at the export: not in the export
    u = rng.random(n)
    status = np.where(t_comp <= cutoff, S_DONE, S_OPEN)
    status = np.where(u < 0.008, S_WITHDRAWN, np.where(u < 0.02, S_REJECTED, status))
    nat = np.iinfo(np.int64).min
    rejected = status == S_REJECTED
    withdrawn = status == S_WITHDRAWN
    t_comp = np.where(rejected, t_acc + rng.integers(0, 30 * MINUTE, n), t_comp)
    t_acc = np.where(rejected | (withdrawn & (rng.random(n) < 0.5)), nat, t_acc)
    t_rev = np.where(rejected | withdrawn | (t_rev > cutoff), nat, t_rev)
    t_dec = np.where(rejected | withdrawn | (t_dec > cutoff), nat, t_dec)
    t_comp = np.where(withdrawn | (status == S_OPEN), nat, t_comp)
    done = status == S_DONE
    refuse = done & (rng.random(n) < np.where(route == R_INSTANT, 0.004, 0.025))
    refuse = refuse | (done & out.on(planted.REJECTION_ITEM) & (out.u_refuse < 0.45))
    result = np.where(done, np.where(refuse, 1, 0), -1)
    over = done & (proc > promised)

    # --- visits, rating, data gaps ---
    visits = np.select(
        [
            online & full_online,
            online,
            channel == C_WINDOW,
            channel == C_MAIL,
        ],
        [
            0,
            (rng.random(n) < 0.65).astype(np.int64),
            np.where(full_online, 1, rng.choice([1, 2, 3], size=n, p=[0.82, 0.15, 0.03])),
            0,
        ],
        default=1,
    )
    incomplete = (dept == DEPT_INDEX[planted.INCOMPLETE_DATA_DEPT]) & (rng.random(n) < 0.85)
    gaps = rng.random(n) < 0.02
    no_visits = incomplete | (rng.random(n) < 0.03)
    no_milestones = done & (incomplete | gaps)
    t_rev = np.where(no_milestones, nat, t_rev)
    t_dec = np.where(no_milestones, nat, t_dec)
    visits = np.where(no_visits, -1, visits)
    visits = np.where(out.on(planted.VISITS_ITEM) & (visits >= 0), visits + out.more_visits, visits)
    rated = done & (rng.random(n) < np.where(online, 0.68, 0.55))
    rating_ok = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.006, 0.01, 0.04, 0.164, 0.78])
    rating_late = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.05, 0.08, 0.17, 0.30, 0.40])
    rating = np.where(rated, np.where(over, rating_late, rating_ok), -1)

    # --- applicant ---
    entity = _applicants(rng, item, params, pool)
    entity = np.where(out.outside, len(pool) + out.entity, entity)
    codes = pool.uscc.tolist() + ([] if outsiders is None else outsiders.uscc.tolist())

    # --- assemble, sorted by submission, with ids numbered per day ---
    order = np.lexsort((t_sub,))
    order = order[keep[order]]
    day_sorted = day[order]
    first_of_day = np.searchsorted(day_sorted, day_sorted)
    seq = np.arange(len(order)) - first_of_day + 1
    ymd_of_day = (dates.year * 10_000 + dates.month * 100 + dates.day).to_numpy(dtype=np.int64)
    number = ymd_of_day[day_sorted - days[0]] * 1_000_000 + seq
    app_id = "JH" + pd.Series(number).astype(str)

    def cat(codes: np.ndarray, labels: tuple[str, ...] | list[str]) -> pd.Categorical:
        return pd.Categorical.from_codes(codes[order], categories=list(labels))

    def stamp(values: np.ndarray) -> np.ndarray:
        return values[order].astype("datetime64[s]")  # the int64 minimum is NaT

    def nullable(values: np.ndarray) -> pd.arrays.IntegerArray:
        v = values[order].astype(np.int64)
        return pd.arrays.IntegerArray(np.maximum(v, 0), v < 0)

    item_codes = items["item_code"].tolist()
    dept_col = np.where(dept_blank, -1, dept)
    frame = pd.DataFrame(
        {
            "app_id": app_id.to_numpy(),
            "item_code": cat(item, item_codes),
            "dept_code": cat(dept_col, DEPT_CODES),
            "street_code": cat(street, DEPT_CODES),
            "channel": cat(channel, CHANNELS),
            "route": cat(route, ROUTES),
            "submitted_at": stamp(t_sub),
            "accepted_at": stamp(t_acc),
            "reviewed_at": stamp(t_rev),
            "decided_at": stamp(t_dec),
            "completed_at": stamp(t_comp),
            "status": cat(status, APP_STATUSES),
            "result": cat(result, APP_RESULTS),
            "suspended_days": np.where(rejected | withdrawn, 0, suspended)[order],
            "visits": nullable(visits),
            "rating": nullable(rating),
            "entity_id": cat(entity, codes),
        }
    )
    return frame


class _Outside:
    """Which applications entities from outside 江门 make, and the draws of the planted barriers
    (all from ``rng_out``, every array drawn in full so that the stream stays deterministic)."""

    def __init__(self, outside: np.ndarray, entity: np.ndarray, item: np.ndarray, items: pd.DataFrame,
                 rng: np.random.Generator | None) -> None:
        n = len(item)
        self.outside = outside
        self.entity = entity
        self._item = item
        self._index = {(str(d), str(name)): i for i, (d, name) in
                       enumerate(zip(items["dept_code"].tolist(), items["item_name"].tolist(), strict=True))}
        if rng is None:
            rng = np.random.default_rng(0)
        self.delay = 3 + rng.poisson(2, n)
        self.u_suspend = rng.random(n)
        self.suspend_days = rng.choice([5, 7, 10, 15], size=n, p=[0.3, 0.3, 0.25, 0.15])
        self.u_refuse = rng.random(n)
        self.more_visits = 1 + (rng.random(n) < 0.5).astype(np.int64)

    @classmethod
    def draw(cls, rng: np.random.Generator | None, item: np.ndarray, items: pd.DataFrame, params: pd.DataFrame,
             pool: EntityPool | None) -> _Outside:
        n = len(item)
        if rng is None or pool is None:
            none = np.zeros(n, dtype=bool)
            return cls(none, np.full(n, -1, dtype=np.int64), item, items, None)
        individual = params["individual"].to_numpy(dtype=bool)[item]
        factor = np.array([np.mean([planted.OUTSIDE_FACTOR[g] for g in groups]) if groups else 0.0
                           for groups in params["entity"].tolist()])
        chosen = (rng.random(n) < planted.OUTSIDE_SHARE * factor[item]) & ~individual
        entity = _applicants(rng, item, params, pool)
        return cls(chosen & (entity >= 0), entity, item, items, rng)

    def on(self, named: tuple[str, str]) -> np.ndarray:
        """Applications by outsiders for the item ``(dept_code, item_name)``."""
        return self.outside & (self._item == self._index[named])


def _applicants(rng: np.random.Generator, item: np.ndarray, params: pd.DataFrame, pool: EntityPool) -> np.ndarray:
    """Index into the pool of each application's applicant, -1 for none (person, new entity)."""
    groups = list(ENTITY_GROUPS)
    n_groups = len(groups)
    entity_groups = params["entity"].tolist()
    individual_item = params["individual"].to_numpy(dtype=bool)
    width = max(1, max(len(g) for g in entity_groups))
    table = np.full((len(entity_groups), width), -1, dtype=np.int64)
    lengths = np.zeros(len(entity_groups), dtype=np.int64)
    for i, gs in enumerate(entity_groups):
        lengths[i] = len(gs)
        for j, g in enumerate(gs):
            table[i, j] = groups.index(g) + (n_groups if individual_item[i] else 0)
    n = len(item)
    pick = np.floor(rng.random(n) * np.maximum(lengths[item], 1)).astype(np.int64)
    key = np.where(lengths[item] > 0, table[item, pick], -1)
    key = np.where(rng.random(n) < 0.02, -1, key)  # applicant code not recorded
    pool_group = np.array([groups.index(g) for g in pool.group])
    out = np.full(n, -1, dtype=np.int64)
    order = np.argsort(key, kind="stable")
    sorted_keys = key[order]
    for k in range(2 * n_groups):
        lo, hi = np.searchsorted(sorted_keys, [k, k + 1])
        if hi == lo:
            continue
        members = np.flatnonzero((pool_group == k % n_groups) & (pool.individual if k >= n_groups else True))
        if len(members) == 0:
            members = np.flatnonzero(pool_group == k % n_groups)
        w = pool.weight[members]
        out[order[lo:hi]] = members[rng.choice(len(members), size=hi - lo, p=w / w.sum())]
    return out
