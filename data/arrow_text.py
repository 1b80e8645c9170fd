"""Arrow-backed strings as the parsers and the frame reader need them: one contiguous
Arrow array per column, and the bytes of fixed-width strings as a numpy matrix.

Shared by :mod:`data.values` (vectorised parsing), :mod:`data.uscc`, :mod:`data.date_values`,
:mod:`data.frames` and :mod:`data.snapshots` (columns kept in one piece).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def arrow_strings(text: pd.Series) -> pa.LargeStringArray:
    """A string Series as one Arrow large-string array (zero-copy for pandas' ``str`` dtype)."""
    arr = pa.array(text.array) if isinstance(text.array, pd.arrays.ArrowStringArray) else None
    if arr is None:
        arr = pa.array(text.to_numpy(dtype=object, na_value=None), type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.type != pa.large_string():
        arr = arr.cast(pa.large_string())
    return arr


def fixed_width_bytes(arr: pa.LargeStringArray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the non-null strings exactly ``width`` bytes long, and their bytes as (m, width)."""
    lengths = pc.binary_length(arr)
    mask = pc.fill_null(pc.equal(lengths, width), False)
    idx = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
    if not len(idx):
        return idx, np.zeros((0, width), dtype=np.uint8)
    picked = arr.filter(mask)  # a fresh array: its strings lie back to back
    _, offsets_buf, data_buf = picked.buffers()
    first = int(np.frombuffer(offsets_buf, dtype=np.int64)[picked.offset])
    data = np.frombuffer(data_buf, dtype=np.uint8)[first: first + width * len(idx)]
    return idx, data.reshape(-1, width)


def contiguous(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its Arrow-backed string columns in one piece: a column left in thousands
    of chunks makes every row lookup (``take``) walk the chunks, 80 times slower."""
    out = frame.copy()
    for col in out.columns:
        arr = out[col].array
        if hasattr(arr, "__arrow_array__") and isinstance(out[col].dtype, pd.StringDtype):
            chunked = arr.__arrow_array__()
            if isinstance(chunked, pa.ChunkedArray) and chunked.num_chunks > 1:
                out[col] = pd.array(chunked.combine_chunks(), dtype=out[col].dtype)
    return out
