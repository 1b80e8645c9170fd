"""The one URL-state API: a page's drill-down state kept in query parameters, so that every
drilled view is a link.

A page's own drill level (``item``, ``stage``, ``dim``, ``case`` …) is a query parameter:
:func:`get` reads it, :func:`put` writes or removes it (with the deeper levels it makes
stale), :func:`select` is a selectbox mirroring one, :func:`on_pick` is a chart callback
writing one, :func:`back_button` leaves one level.  A department or street picked in a
chart sets the global filter instead (the filter bar's widgets ``f_dept`` / ``f_street``,
which keep ``dept`` / ``street`` in the URL).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

import streamlit as st

from dashboard.kit.filters import UNIT_WIDGETS
from dashboard.kit.plots import picked

__all__ = ["UNIT_WIDGETS", "back_button", "clear", "get", "on_pick", "put", "select"]


def get(name: str, valid: Collection[str] | None = None, *, drop_invalid: bool = False) -> str | None:
    """The query parameter ``name`` if present and one of ``valid`` (any value when None);
    with ``drop_invalid`` an invalid value is also removed from the URL."""
    value = st.query_params.get(name)
    if not value:
        return None
    if valid is not None and value not in valid:
        if drop_invalid:
            del st.query_params[name]
        return None
    return str(value)


def put(name: str, value: str | None, *, clear: Iterable[str] = ()) -> None:
    """Set (or, for None, remove) the query parameter ``name``, removing the deeper levels ``clear``."""
    for k in clear:
        if k in st.query_params:
            del st.query_params[k]
    if not value:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def clear(*names: str) -> None:
    """Remove the query parameters ``names``."""
    for name in names:
        put(name, None)


def select(label: str, options: Sequence[str], *, key: str, param: str, placeholder: str,
           format_func: Callable[[Any], str] = str, clears: Sequence[str] = (), **kw: Any) -> str | None:
    """A selectbox that mirrors the query parameter ``param`` (None = nothing selected):
    the URL seeds it, a change writes the URL and clears the deeper ``clears`` parameters."""
    current = get(param, options)
    if st.session_state.get(key) != current:
        st.session_state[key] = current

    def changed() -> None:
        put(param, st.session_state.get(key), clear=clears)

    return st.selectbox(label, list(options), key=key, index=None, placeholder=placeholder,
                        format_func=format_func, on_change=changed, **kw)


def on_pick(chart_key: str, target: str, *, clear: Sequence[str] = ()) -> None:
    """Callback of a chart whose points carry a code as customdata: ``target`` is a drill
    parameter, or ``dept`` / ``street`` for the global filter."""
    points = picked(chart_key)
    if not points:
        return
    code = str(points[0])
    if target in UNIT_WIDGETS:
        st.session_state[UNIT_WIDGETS[target]] = code
        for k in clear:
            if k in st.query_params:
                del st.query_params[k]
    else:
        put(target, code, clear=clear)


def back_button(label: str, name: str, *, clear: Sequence[str] = (), key: str) -> None:
    """A button that leaves one drill level (removes ``name`` and the deeper ``clear``)."""
    st.button(label, key=key, icon=":material/arrow_back:", on_click=put, args=(name, None),
              kwargs={"clear": clear})
