"""The early-warning facade: today's lights per department and kind, the list behind every
count, 催办 of red items, and the previous joint meeting's decisions with their lights.

Pages, the CLI's ``notify`` and the deck call only this module: a typed request in, a typed
board out (counts and items), so they stay thin and never restate a light's rule
(:mod:`metrics.lights` holds them all).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from data import meetings, tasks, urgings
from data.accounts import Principal
from metrics.alert_settings import LightRules, current_settings
from metrics.lights import GREEN, KINDS, LIGHTS, RED, YELLOW, judge, record_lights, task_lights, today_local
from metrics.prepared import Prepared


@dataclass(frozen=True)
class AlertRequest:
    """Which lights to judge: at ``today`` (default today in Asia/Shanghai), optionally one department."""

    today: dt.date | None = None
    dept: str | None = None

    @property
    def day(self) -> dt.date:
        return self.today or today_local()


@dataclass(frozen=True)
class LightCount:
    dept_code: str
    dept_name: str
    kind: str
    red: int
    yellow: int
    green: int


@dataclass(frozen=True)
class LightItem:
    """One item behind a count (see :data:`metrics.lights.ITEM_COLUMNS`)."""

    kind: str
    item_id: str
    dept_code: str
    dept_name: str
    light: str
    title: str | None
    due: dt.date | None
    elapsed: int | None
    remaining: int | None
    detail: str
    urgings: int

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.item_id}"


def _opt_int(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


@dataclass(frozen=True, eq=False)
class AlertBoard:
    """Every live item the principal may see with its light at ``today``."""

    today: dt.date
    items: pd.DataFrame

    def counts(self) -> tuple[LightCount, ...]:
        """Red, yellow and green counts per (department, kind), by department code then kind order."""
        if self.items.empty:
            return ()
        table = (self.items.groupby(["dept_code", "dept_name", "kind", "light"], observed=True).size()
                 .unstack("light", fill_value=0).reindex(columns=list(LIGHTS), fill_value=0).reset_index())
        table["_k"] = table["kind"].map(KINDS.index)
        table = table.sort_values(["dept_code", "_k"], kind="stable")
        return tuple(LightCount(str(r.dept_code), str(r.dept_name), str(r.kind), int(r.red), int(r.yellow),
                                int(r.green)) for r in table.itertuples(index=False))

    def totals(self, kind: str | None = None, dept: str | None = None) -> dict[str, int]:
        """Counts by light over every department (of one kind, of one department when given)."""
        f = self.items
        keep = np.ones(len(f), dtype=bool)
        if kind is not None:
            keep &= (f["kind"] == kind).to_numpy(dtype=bool)
        if dept is not None:
            keep &= (f["dept_code"] == dept).fillna(False).to_numpy(dtype=bool)
        counts = f["light"][keep].value_counts()
        return {light: int(counts.get(light, 0)) for light in LIGHTS}

    def select(self, *, dept: str | None = None, kind: str | None = None,
               light: str | None = None) -> tuple[LightItem, ...]:
        """The items behind a count, red first, then by working days remaining."""
        f = self.items
        mask = pd.Series(True, index=f.index)
        if dept is not None:
            mask &= f["dept_code"] == dept
        if kind is not None:
            mask &= f["kind"] == kind
        if light is not None:
            mask &= f["light"] == light
        return tuple(
            LightItem(str(r.kind), str(r.item_id), str(r.dept_code), str(r.dept_name), str(r.light),
                      None if r.title is None or pd.isna(r.title) else str(r.title), r.due,
                      _opt_int(r.elapsed), _opt_int(r.remaining), str(r.detail), int(r.urgings))
            for r in f[mask].itertuples(index=False))

    def warnings(self, dept: str | None = None) -> tuple[LightItem, ...]:
        """The red and yellow items (of ``dept`` when given): what a digest reports."""
        return tuple(i for i in self.select(dept=dept) if i.light != GREEN)

    def find(self, kind: str, item_id: str) -> LightItem | None:
        found = self.items[(self.items["kind"] == kind) & (self.items["item_id"] == str(item_id))]
        items = AlertBoard(self.today, found).select()
        return items[0] if items else None


def alert_board(session: Session, data: Prepared, actor: Principal, request: AlertRequest,
                rules: LightRules | None = None, records: pd.DataFrame | None = None) -> AlertBoard:
    """Today's lights over ``data`` (the engine's prepared frames) and the tasks in ``session``,
    restricted to ``actor``'s department for a department user (else to ``request.dept``).
    ``records``: :func:`metrics.lights.record_lights` of ``data`` at ``request.day`` under
    ``rules``, when the caller keeps it (the dashboard, once per day and data version)."""
    rules = rules or current_settings(session).lights
    task_frame = tasks.list_tasks(session, actor, request.day)
    items = judge(data, task_frame, request.day, rules, urgings.counts(session), records)
    dept = actor.dept if actor.is_department else request.dept
    if dept is not None:
        items = items[items["dept_code"] == dept].reset_index(drop=True)
    return AlertBoard(request.day, items)


def alert_totals(session: Session, data: Prepared, actor: Principal, request: AlertRequest,
                 rules: LightRules | None = None, records: pd.DataFrame | None = None,
                 dept: str | None = None) -> dict[str, int]:
    """``alert_board(...).totals(dept=dept)`` without ordering every item: the records' lights
    and the tasks' lights, counted (总览's line of today's lights on every rerun)."""
    rules = rules or current_settings(session).lights
    if records is None:
        records = record_lights(data, request.day, rules)
    task_frame = task_lights(tasks.list_tasks(session, actor, request.day), request.day, rules)
    scope = actor.dept if actor.is_department else request.dept
    counts = dict.fromkeys(LIGHTS, 0)
    for part in (records, task_frame):
        keep = np.ones(len(part), dtype=bool)
        for code in {scope, dept} - {None}:
            keep &= (part["dept_code"] == code).fillna(False).to_numpy(dtype=bool)
        for light, n in part["light"][keep].value_counts().items():
            counts[str(light)] += int(n)
    return counts


def urge(session: Session, actor: Principal, board: AlertBoard, kind: str, item_id: str, note: str) -> int:
    """催办 one red item of ``board`` (leader or administrator); returns the urging's id."""
    item = board.find(kind, item_id)
    if item is None:
        raise urgings.UrgingError(f"事项 {item_id} 不存在或无权查看。")
    if item.light != RED:
        raise urgings.UrgingError("只有红灯事项可以催办。")
    return urgings.add_urging(session, actor, kind=kind, item_id=item.item_id, dept=item.dept_code, note=note)


@dataclass(frozen=True)
class DecisionReview:
    """The previous meeting's decisions, each with its status and (unless done) its light."""

    meeting: meetings.Meeting | None
    decisions: tuple[meetings.DecisionStatus, ...]
    lights: tuple[str | None, ...]  # None for a completed decision

    @property
    def done_count(self) -> int:
        return sum(d.done for d in self.decisions)


def decision_review(session: Session, before: dt.date, today: dt.date | None = None,
                    rules: LightRules | None = None) -> DecisionReview:
    """What the next deck opens with: the decisions of the last meeting held before ``before``."""
    meeting = meetings.previous_meeting(session, before)
    if meeting is None:
        return DecisionReview(None, (), ())
    rows = tuple(meetings.decisions_of(session, meeting.id))
    rules = rules or current_settings(session).lights
    frame = pd.DataFrame({"id": [d.task_id for d in rows], "title": [d.content for d in rows],
                          "dept_code": [d.dept_code for d in rows], "deadline": [d.deadline for d in rows],
                          "status": [d.status for d in rows], "source_kind": meetings.SOURCE_MEETING})
    judged = task_lights(frame, today or today_local(), rules) if rows else frame
    by_task = dict(zip(judged.get("item_id", pd.Series(dtype=str)), judged.get("light", pd.Series(dtype=str)),
                       strict=True))
    lights = tuple(None if d.done else by_task.get(str(d.task_id)) for d in rows)
    return DecisionReview(meeting, rows, lights)


__all__ = ["GREEN", "RED", "YELLOW", "AlertBoard", "AlertRequest", "DecisionReview", "LightCount", "LightItem",
           "alert_board", "alert_totals", "decision_review", "urge"]
