"""A digest of values by their pickled bytes: the key under which a process keeps what it
made from them (a chart, a table as shown), shared by every session.

Equal bytes are equal values, and pickling a small frame costs a fifth of Streamlit's
per-value hashing of Arrow string columns. A value derived differently may pickle
differently: that is a miss, never a wrong result.

A pandas extension dtype is digested by its class and defining attributes (its
``_metadata``), not by its pickle: the dtype instances are shared by a whole process and
cache properties on themselves (``Int64Dtype().index_class`` once something asked for it),
so the same frame would otherwise pickle differently in a process that had asked, and the
processes would not find each other's drawings."""

from __future__ import annotations

import hashlib
import io
import pickle
from typing import Any

from pandas.api.extensions import ExtensionDtype


class _KeyPickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, ExtensionDtype):
            return type(obj), tuple(getattr(obj, name) for name in obj._metadata)
        return NotImplemented


def content_key(*args: Any, **kwargs: Any) -> str:
    """The digest of ``args`` and ``kwargs`` (keyword order does not matter)."""
    buffer = io.BytesIO()
    _KeyPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((args, sorted(kwargs.items())))
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).hexdigest()


__all__ = ["content_key"]
