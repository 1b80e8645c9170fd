"""Results kept in the process and handed to every session as they are: the cache behind
:mod:`dashboard.kit.cache`.

``st.cache_data`` hashes each argument with Streamlit's hasher (looking up the function's
signature once per positional argument) and unpickles a copy of the result on every call: a
fifth of the server's CPU on a rerun whose numbers are all cached, measured with py-spy
(docs/performance.md).  A :class:`Memo` keys a result by its arguments themselves (they are
hashable: strings, dates, frozen requests) and returns the one object it keeps.

So a result is shared by every session and **never changed** by a page (pages derive new
frames from it, as :mod:`dashboard.kit.tables` and :mod:`dashboard.kit.plots` do already).
With ``MARKET_ACCESS_CHECK_SHARED=1`` (set for the test suite) each hit checks that the kept
result still has the contents it had when it was made (frames by their values, the rest by
its pickle), and fails loudly if a page changed it.

Concurrent misses of one key compute once: the others wait for that result.  The oldest
entries go beyond ``max_entries``; with ``ttl`` an entry is read again after that many
seconds.  :func:`clear_all` forgets everything (what a new process would know).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import numpy as np
import pandas as pd

from dashboard.kit.content_key import content_key

P = ParamSpec("P")
T = TypeVar("T")
CHECK_ENV = "MARKET_ACCESS_CHECK_SHARED"


class SharedResultChanged(AssertionError):
    """A page changed a result that every session shares (see the module docstring)."""


def _feed(h: Any, value: Any) -> None:
    """Feed ``value``'s contents to ``h``: frames by their values (a frame's pickle changes when
    pandas merely reads it, e.g. its ``dtypes``), containers element by element."""
    h.update(type(value).__qualname__.encode() + b"\0")
    if isinstance(value, pd.DataFrame | pd.Series):
        names = list(value.columns) if isinstance(value, pd.DataFrame) else [value.name]
        h.update(repr((names, [str(x) for x in np.atleast_1d(value.dtypes)], list(value.index))).encode())
        h.update(pd.util.hash_pandas_object(value, index=False).to_numpy().tobytes())
    elif isinstance(value, np.ndarray):
        h.update(repr((value.dtype, value.shape)).encode() + np.ascontiguousarray(value).tobytes())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _feed(h, getattr(value, f.name))
    elif isinstance(value, dict):
        for k, v in value.items():
            _feed(h, k)
            _feed(h, v)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in (sorted(value, key=repr) if isinstance(value, set | frozenset) else value):
            _feed(h, v)
    else:
        h.update(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _digest(value: Any) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    _feed(h, value)
    return h.digest()


class Memo:
    """An LRU of results by exact key, safe for the server's session threads."""

    def __init__(self, name: str, max_entries: int, ttl: float | None = None, *, check: bool = True) -> None:
        """``check=False``: never digested, even under the test suite's check (a value whose
        pickle is no measure of its contents, e.g. a Plotly figure, tested on its own)."""
        self.name, self.max_entries, self.ttl, self.check = name, max_entries, ttl, check
        self._values: OrderedDict[Hashable, tuple[Any, float, bytes | None]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def _hit(self, key: Hashable) -> tuple[bool, Any]:
        with self._lock:
            entry = self._values.get(key)
            if entry is None:
                return False, None
            value, made, digest = entry
            if self.ttl is not None and time.monotonic() - made > self.ttl:
                del self._values[key]
                return False, None
            self._values.move_to_end(key)
        if digest is not None and _digest(value) != digest:
            raise SharedResultChanged(f"{self.name}{key!r}: a page changed a result that every session shares")
        return True, value

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The kept result of ``key``, else ``compute()`` once (concurrent callers wait for it)."""
        found, value = self._hit(key)
        if found:
            return value  # type: ignore[no-any-return]
        with self._lock:
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            found, value = self._hit(key)
            if found:
                return value  # type: ignore[no-any-return]
            try:
                value = compute()
                digest = _digest(value) if self.check and os.environ.get(CHECK_ENV) == "1" else None
                with self._lock:
                    self._values[key] = (value, time.monotonic(), digest)
                    while len(self._values) > self.max_entries:
                        self._values.popitem(last=False)
            finally:
                with self._lock:
                    self._computing.pop(key, None)
        return value  # type: ignore[no-any-return]

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


_MEMOS: list[Memo] = []


def kept_memo(name: str, max_entries: int, *, check: bool = True) -> Memo:
    """A :class:`Memo` for values kept by a key the caller makes (forgotten by :func:`clear_all`)."""
    memo = Memo(name, max_entries, check=check)
    _MEMOS.append(memo)
    return memo


def memoized(max_entries: int, ttl: float | None = None, *,
             check: bool = True) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Decorate a function of hashable positional arguments: its results kept in a :class:`Memo`
    (the decorated function gets ``.clear()``)."""
    def wrap(fn: Callable[P, T]) -> Callable[P, T]:
        memo = Memo(f"{fn.__module__}.{fn.__qualname__}", max_entries, ttl, check=check)
        _MEMOS.append(memo)

        @wraps(fn)
        def call(*args: P.args, **kwargs: P.kwargs) -> T:
            assert not kwargs, f"{memo.name} takes positional arguments only"
            key: Hashable = args
            try:
                hash(args)
            except TypeError:  # a list or a frame among the arguments: kept by its bytes
                key = ("content", content_key(*args))
            return memo.get(key, lambda: fn(*args, **kwargs))

        call.clear = memo.clear  # type: ignore[attr-defined]
        call.memo = memo  # type: ignore[attr-defined]
        return call
    return wrap


def clear_all() -> None:
    """Forget every kept result of the process."""
    for memo in _MEMOS:
        memo.clear()


__all__ = ["CHECK_ENV", "Memo", "SharedResultChanged", "clear_all", "kept_memo", "memoized"]
