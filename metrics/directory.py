"""What the data covers: departments, streets and the span of dates, for filter bars and labels.

Pure functions over :class:`data.frames.Frames`, so the dashboard, CLI and deck name
departments and offer periods the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from data.frames import Frames

STREET_TYPE = "街道"


@dataclass(frozen=True)
class Unit:
    """A department or street: code, name and type (部门类型)."""

    code: str
    name: str
    type: str
    joint_meeting: bool = False
    convener: bool = False


@dataclass(frozen=True)
class Directory:
    """Departments and streets of the database, and the dates its activity spans."""

    units: tuple[Unit, ...]
    first_day: date | None
    last_day: date | None

    @property
    def departments(self) -> tuple[Unit, ...]:
        """Every unit that can be evaluated, streets included (they are departments too)."""
        return self.units

    @property
    def streets(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.type == STREET_TYPE)

    def name(self, code: str | None) -> str:
        """The unit's name, or its code if unknown."""
        for u in self.units:
            if u.code == code:
                return u.name
        return code or ""

    def names(self) -> dict[str, str]:
        return {u.code: u.name for u in self.units}

    @property
    def empty(self) -> bool:
        return self.first_day is None


def _bounds(series: list[pd.Series]) -> tuple[date | None, date | None]:
    lows = [s.min() for s in series if len(s) and s.notna().any()]
    highs = [s.max() for s in series if len(s) and s.notna().any()]
    if not lows:
        return None, None
    return min(lows).date(), max(highs).date()


def directory(frames: Frames) -> Directory:
    """The :class:`Directory` of ``frames``: units sorted by type (区直 first) and code."""
    d = frames.departments.sort_values(["dept_code"])
    units = tuple(
        Unit(str(r.dept_code), str(r.dept_name), str(r.dept_type), bool(r.joint_meeting), bool(r.convener))
        for r in d.itertuples(index=False)
    )
    first, last = _bounds(
        [
            frames.applications["submitted_at"],
            frames.applications["completed_at"],
            frames.cases["received_date"],
        ]
    )
    return Directory(units, first, last)
