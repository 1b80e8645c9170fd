"""The few column operations a rule's mask needs beyond ``& | ~ == < <=``, for either engine.

An indicator's masks (:mod:`metrics.rules`) are written once, as functions of a scope.  The
in-memory engine hands them numpy arrays; the columnar engine (:mod:`metrics.columnar`)
hands them Ibis column expressions over the database's tables, so that the very same
function compiles to SQL.  Operators work on both; the handful of numpy functions a mask
used (``isnan``, ``isin``, ``maximum``) are written here once for both, so no mask has to
know which engine runs it.

Missing values: numpy columns hold NaN, SQL columns NULL.  :func:`present` is the only
test for them a mask should use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def _is_array(x: Any) -> bool:
    return isinstance(x, np.ndarray | np.generic | int | float | bool)


def present(values: Any) -> Any:
    """True where a value is recorded (not NaN / not NULL)."""
    if _is_array(values):
        return ~np.isnan(values)
    return values.notnull()


def isin(values: Any, choices: Sequence[Any]) -> Any:
    """True where the value is one of ``choices``."""
    if _is_array(values):
        return np.isin(values, choices)
    return values.isin(list(choices))


def at_least(values: Any, floor: int) -> Any:
    """``max(floor, value)`` element-wise; a missing value stays missing (SQL's ``GREATEST``
    would skip a NULL and give ``floor``, numpy's ``maximum`` keeps NaN)."""
    if _is_array(values):
        return np.maximum(floor, values)
    import ibis  # only the columnar engine gets here

    return ibis.ifelse(values < floor, floor, values)  # NULL < floor is NULL: the value, NULL


__all__ = ["at_least", "isin", "present"]
