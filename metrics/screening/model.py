"""The screen's request and result types (frozen dataclasses).

A caller states the period, its ``as_of`` and optionally one department in a
:class:`ScreeningRequest` and receives a :class:`ScreeningResult`: how many items each kind
tested (the m of Benjamini–Hochberg) and the flagged :class:`Signal` s in the spec's order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from metrics.results import DatedRequest, Period

LOCAL_LABEL = "本地"
NONLOCAL_LABEL = "外地"


@dataclass(frozen=True)
class ScreeningRequest(DatedRequest):
    """Screen the period ``[date_from, date_to]`` judged at ``as_of`` (default ``date_to``);
    ``dept`` keeps only that department's items (the item's ``dept_code``)."""

    dept: str | None = None


@dataclass(frozen=True)
class Group:
    """One side of a comparison: its applications in the population and their value."""

    n: int
    value: float | None

    def to_json(self) -> dict[str, float | int | None]:
        return {"n": self.n, "value": self.value}


@dataclass(frozen=True)
class Signal:
    """A flagged lead: ``local``/``nonlocal_`` groups, p and q are None for lifted_still_approved,
    whose effect is the number of applications on or after the current list's effective date."""

    kind: str
    dept_code: str
    item_code: str
    local: Group | None
    nonlocal_: Group | None
    effect: float
    p_value: float | None
    q_value: float | None
    records: int
    item_name: str = ""
    dept_name: str = ""
    flagged: bool = True  # False only for the unflagged comparisons of Screener.comparisons

    def to_json(self) -> dict[str, object]:
        """The signal as ``market-access screen`` prints it (screening.md)."""
        return {
            "kind": self.kind,
            "dept_code": self.dept_code,
            "item_code": self.item_code,
            "local": None if self.local is None else self.local.to_json(),
            "nonlocal": None if self.nonlocal_ is None else self.nonlocal_.to_json(),
            "effect": self.effect,
            "p_value": self.p_value,
            "q_value": self.q_value,
            "records": self.records,
        }


@dataclass(frozen=True)
class ScreeningResult:
    """Every flagged signal of a request, ordered by kind, q, department and item."""

    request: ScreeningRequest
    period: Period
    local_prefix: str
    tested: Mapping[str, int]
    signals: tuple[Signal, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "period": self.period.to_json(),
            "locality": {"local_prefix": self.local_prefix},
            "tested": dict(self.tested),
            "signals": [s.to_json() for s in self.signals],
        }
