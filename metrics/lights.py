"""Early-warning lights (绿/黄/红) judged at today's date by working days, vectorised.

Five kinds of live work get a light (issue 16), each by the rule below; ``wd`` is the
working-day count of ``indicators.md`` (make-up days included) through :mod:`metrics.calendar`:

- ``application`` (办件, status 在办 and accepted by today): ``used = max(0, wd(accepted,
  today) − suspended_days)``; 红 when ``used`` exceeds the promised limit, 黄 when at most
  ``app_warn_days`` working days of it remain;
- ``task`` (整改任务) and ``decision`` (议定事项, a task from a joint meeting): not completed;
  红 when today is past the deadline, 黄 when ``wd(today, deadline) ≤ task_warn_days``;
- ``key_case`` (重点督办案例): the key cases of the overdue-rectification population of
  :func:`metrics.supervision.overdue_rectification` judged at today are 红; the same
  population not yet overdue is 黄 within ``key_case_warn_days`` of ``rectify_deadline``;
- ``transfer`` (待转办线索, status 待转办 without transferred_date): ``waited = wd(received,
  today)``; 红 when ``waited > transfer_limit`` (5, the transfer limit), 黄 from
  ``transfer_yellow_from`` (4).

Lights are about today (Asia/Shanghai), never about a report period's as_of.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from data import clock
from data.meetings import SOURCE_MEETING
from data.tasks import DONE
from metrics.alert_settings import LightRules
from metrics.calendar import MISSING_DAY, cum_index, day_number, day_numbers
from metrics.populations import Scope, Window
from metrics.prepared import STATUS, Prepared
from metrics.supervision import overdue_rectification

LOCAL_TZ = clock.LOCAL_TZ
RED, YELLOW, GREEN = "red", "yellow", "green"
LIGHTS = (RED, YELLOW, GREEN)
LIGHT_NAMES = {RED: "红灯", YELLOW: "黄灯", GREEN: "绿灯"}
APPLICATION, TASK, DECISION, KEY_CASE, TRANSFER = "application", "task", "decision", "key_case", "transfer"
KINDS = (APPLICATION, TASK, DECISION, KEY_CASE, TRANSFER)
KIND_NAMES = {APPLICATION: "办件", TASK: "整改任务", DECISION: "联席会议议定事项", KEY_CASE: "重点督办案例",
              TRANSFER: "待转办线索"}

ITEM_COLUMNS = ("kind", "item_id", "dept_code", "light", "title", "due", "elapsed", "remaining", "detail")
"""Columns of the judged items: ``due`` the deadline (a date, None for applications),
``elapsed`` working days used or waited (applications, clues), ``remaining`` working days
left before the limit or deadline (negative: how far past it), ``detail`` a Chinese line."""

_OPEN = STATUS["在办"]


def today_local() -> dt.date:
    """Today in Asia/Shanghai, the day every light is judged at (:func:`data.clock.today_local`)."""
    return clock.today_local()


def _light(red: np.ndarray, yellow: np.ndarray) -> np.ndarray:
    return np.where(red, RED, np.where(yellow, YELLOW, GREEN))


def _frame(kind: str, ids: object, depts: object, lights: np.ndarray, titles: object, due: object,
           elapsed: object, remaining: object, detail: object) -> pd.DataFrame:
    return pd.DataFrame({
        "kind": kind, "item_id": pd.Series(ids, dtype=object).astype(str).to_numpy(),
        "dept_code": pd.Series(depts, dtype=object).to_numpy(), "light": lights,
        "title": pd.Series(titles, dtype=object).to_numpy(), "due": pd.Series(due, dtype=object).to_numpy(),
        "elapsed": pd.array(elapsed, dtype="Int64"), "remaining": pd.array(remaining, dtype="Int64"),
        "detail": pd.Series(detail, dtype=object).to_numpy(),
    }, columns=list(ITEM_COLUMNS))


def _taken(values: pd.Series, idx: np.ndarray) -> np.ndarray:
    """``values[idx]`` as objects: the rows are taken before converting, not a million strings."""
    return values.iloc[idx].astype(object).to_numpy()


def application_lights(data: Prepared, today: dt.date, rules: LightRules) -> pd.DataFrame:
    """Applications 在办 accepted by ``today``, each with its light."""
    a = data.apps
    t = day_number(today)
    open_ = (a.status == _OPEN) & a.has_acc & (a.acc_day <= t)
    idx = np.flatnonzero(open_)
    used = np.maximum(0, int(cum_index(t)) - a.acc_cum[idx] - a.suspended[idx])
    promised = a.promised[idx]
    remaining = promised - used
    lights = _light(used > promised, remaining <= rules.app_warn_days)
    frame = a.frame
    items = data.items.frame
    pos = a.item_pos[idx]
    names = (items["item_name"].astype(object).to_numpy()[np.where(pos >= 0, pos, 0)]
             if len(items) else np.full(len(idx), None, dtype=object))
    names = np.where(pos >= 0, names, _taken(frame["item_code"], idx))
    detail = [f"已用 {u} 个工作日，承诺时限 {p} 个工作日" for u, p in zip(used.tolist(), promised.tolist(), strict=True)]
    return _frame(APPLICATION, _taken(frame["app_id"], idx), _taken(a.dept, idx), lights,
                  names, [None] * len(idx), used, remaining, detail)


def transfer_lights(data: Prepared, today: dt.date, rules: LightRules) -> pd.DataFrame:
    """Clues 待转办 without a transferred_date, received by ``today``, each with its light."""
    c = data.cases
    frame = c.frame
    t = day_number(today)
    waiting = ((frame["status"] == "待转办").fillna(False).to_numpy(dtype=bool) & ~c.transferred
               & (c.received_day <= t))
    idx = np.flatnonzero(waiting)
    waited = int(cum_index(t)) - c.received_cum[idx]
    lights = _light(waited > rules.transfer_limit, waited >= rules.transfer_yellow_from)
    detail = [f"接收后已 {w} 个工作日未转办（时限 {rules.transfer_limit} 个工作日）" for w in waited.tolist()]
    return _frame(TRANSFER, frame["case_id"].to_numpy()[idx], frame["dept_code"].astype(object).to_numpy()[idx],
                  lights, frame["summary"].astype(object).to_numpy()[idx], [None] * len(idx), waited,
                  rules.transfer_limit - waited, detail)


def key_case_lights(data: Prepared, today: dt.date, rules: LightRules) -> pd.DataFrame:
    """Key cases verified 属实 with a rectify_deadline and not rectified by ``today``."""
    c = data.cases
    frame = c.frame
    t = day_number(today)
    red = overdue_rectification(Scope(data, Window(today, today, today))) & c.key
    rectified = c.has_rectified & (c.rectified_day <= t)
    pending = c.key & c.true & c.has_deadline & ~rectified
    idx = np.flatnonzero(pending)
    left = cum_index(c.deadline_day[idx]) - int(cum_index(t))
    is_red = red[idx]
    lights = _light(is_red, left <= rules.key_case_warn_days)
    due = [dt.date(1970, 1, 1) + dt.timedelta(days=int(d)) for d in c.deadline_day[idx]]
    detail = [f"整改时限 {d.isoformat()}，" + ("已逾期未整改" if r else f"还剩 {n} 个工作日")
              for d, r, n in zip(due, is_red.tolist(), left.tolist(), strict=True)]
    return _frame(KEY_CASE, frame["case_id"].to_numpy()[idx], frame["dept_code"].astype(object).to_numpy()[idx],
                  lights, frame["summary"].astype(object).to_numpy()[idx], due, [None] * len(idx),
                  left, detail)


def task_lights(tasks: pd.DataFrame, today: dt.date, rules: LightRules) -> pd.DataFrame:
    """Rectification tasks and meeting decisions not completed, each with its light.

    ``tasks`` has the columns of :func:`data.tasks.list_tasks` (id, title, dept_code,
    deadline, status, source_kind)."""
    open_ = tasks[tasks["status"] != DONE]
    if open_.empty:
        return _frame(TASK, [], [], np.array([], dtype=object), [], [], [], [], [])
    days = day_numbers(pd.to_datetime(open_["deadline"]))
    t = day_number(today)
    known = days != MISSING_DAY
    left = cum_index(days) - int(cum_index(t))
    red = known & (days < t)
    lights = _light(red, known & (left <= rules.task_warn_days))
    due = [d if isinstance(d, dt.date) else None for d in pd.to_datetime(open_["deadline"]).dt.date]
    detail = [f"完成时限 {d.isoformat() if d else '未定'}，" + ("已逾期未完成" if r else f"还剩 {n} 个工作日")
              for d, r, n in zip(due, red.tolist(), left.tolist(), strict=True)]
    out = _frame(TASK, open_["id"].to_numpy(), open_["dept_code"].to_numpy(), lights, open_["title"].to_numpy(),
                 due, [None] * len(open_), np.where(known, left, 0), detail)
    out["kind"] = np.where((open_["source_kind"] == SOURCE_MEETING).to_numpy(dtype=bool), DECISION, TASK)
    return out


def record_lights(data: Prepared, today: dt.date, rules: LightRules) -> pd.DataFrame:
    """The lights that come from the imported records alone (applications, key cases, clues),
    columns ITEM_COLUMNS + dept_name: a function of the data version and today, so the
    dashboard computes it once per day and data version (tasks and urgings are added fresh)."""
    parts = [application_lights(data, today, rules), key_case_lights(data, today, rules),
             transfer_lights(data, today, rules)]
    return _with_names(_concat(parts), data)


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    kept = [p for p in parts if len(p)]
    return pd.concat(kept, ignore_index=True) if kept else parts[0]


def _with_names(items: pd.DataFrame, data: Prepared) -> pd.DataFrame:
    names = data.dept_names
    return items.assign(dept_name=[names.get(str(c), str(c)) for c in items["dept_code"]])


def _urging_counts(items: pd.DataFrame, counts: Mapping[tuple[str, str], int]) -> np.ndarray:
    """How often each item was urged (0 when never), by (kind, item_id)."""
    if not counts or items.empty:
        return np.zeros(len(items), dtype=np.int64)
    keyed = {f"{k}\x1f{i}": n for (k, i), n in counts.items()}
    keys = items["kind"].astype(str) + "\x1f" + items["item_id"].astype(str)
    return keys.map(keyed).fillna(0).to_numpy(dtype=np.int64)


def judge(data: Prepared, tasks: pd.DataFrame, today: dt.date, rules: LightRules,
          urgings: Mapping[tuple[str, str], int] | None = None,
          records: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every live item of every kind with its light at ``today`` (columns ITEM_COLUMNS + dept_name,
    urgings), red first, then by working days remaining.  ``records``: :func:`record_lights`
    of the same data, today and rules when the caller has it already."""
    if records is None:
        records = record_lights(data, today, rules)
    out = _concat([records, _with_names(task_lights(tasks, today, rules), data)])
    out = out.assign(urgings=_urging_counts(out, urgings or {}))  # never the caller's records frame itself
    rank = out["light"].map({RED: 0, YELLOW: 1, GREEN: 2})
    order = np.lexsort((out["item_id"].to_numpy(dtype=str), out["remaining"].fillna(0).to_numpy(dtype=np.int64),
                        rank.to_numpy()))
    return out.iloc[order].reset_index(drop=True)
