"""The populations a page run shares, and the application masks of a department or item.

:func:`shared_scope` keeps the last few :class:`~metrics.populations.Scope` objects of each
engine, so that the views of one page run (and the records behind its figures) derive the
period's populations and the rules' masks once; :func:`dept_mask` and :func:`item_mask`
select the applications of a department (as the department's figures count them) or of a
service item.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from metrics.populations import Scope, Window, window_of
from metrics.results import MetricsRequest, MetricsRequestError

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine

_SCOPES: weakref.WeakKeyDictionary[MetricsEngine, dict[tuple[Window, str | None], Scope]] = (
    weakref.WeakKeyDictionary())
_SCOPES_KEPT = 4


def shared_scope(engine: MetricsEngine, window: Window, street: str | None) -> Scope:
    """The populations of ``window`` (S, C, O masks, open working days, the street mask),
    shared by the views of one page run instead of being derived again by each of them; a
    few per engine, forgotten with it."""
    kept = _SCOPES.setdefault(engine, {})
    key = (window, street)
    scope = kept.pop(key, None) or Scope(engine.data, window, street)
    kept[key] = scope  # most recently used last
    while len(kept) > _SCOPES_KEPT:
        kept.pop(next(iter(kept)))
    return scope


def request_scope(engine: MetricsEngine, request: MetricsRequest) -> Scope:
    """The shared populations of a request (after checking its codes)."""
    engine.check(request)
    return shared_scope(engine, window_of(request), request.street)


def dept_mask(engine: MetricsEngine, dept: str | None) -> np.ndarray | bool:
    """Applications of ``dept`` (its own dept_code, else its item's); True for the district."""
    if dept is None:
        return True
    g = engine.department_grouping
    if dept not in g.keys:
        raise MetricsRequestError(f"部门编码 {dept} 不存在。")
    assert g.apps is not None
    return g.apps == g.keys.index(dept)


def item_mask(engine: MetricsEngine, item: str | None) -> np.ndarray | bool:
    """Applications of service item ``item``; True when no item is given."""
    if item is None:
        return True
    pos = engine.data.items.position.get(item)
    if pos is None:
        raise MetricsRequestError(f"事项编码 {item} 不存在。")
    return engine.data.apps.item_pos == pos


def item_department(engine: MetricsEngine, item: str) -> str | None:
    """The department that implements ``item`` (None if the item is unknown)."""
    pos = engine.data.items.position.get(item)
    if pos is None:
        return None
    code = engine.data.items.dept.iloc[pos]
    return None if pd.isna(code) else str(code)


__all__ = ["dept_mask", "item_department", "item_mask", "request_scope", "shared_scope"]
