"""A digest of values by their pickled bytes: the key under which a process keeps what it
made from them (a chart, a table as shown), shared by every session.

Equal bytes are equal values, and pickling a small frame costs a fifth of Streamlit's
per-value hashing of Arrow string columns. A value derived differently may pickle
differently: that is a miss, never a wrong result."""

from __future__ import annotations

import hashlib
import pickle
from typing import Any


def content_key(*args: Any, **kwargs: Any) -> str:
    """The digest of ``args`` and ``kwargs`` (keyword order does not matter)."""
    raw = pickle.dumps((args, sorted(kwargs.items())), protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


__all__ = ["content_key"]
