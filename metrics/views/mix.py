"""Counts of a categorical column (channel, route...) per group, and the same as long rows
with shares: the "mix" tables of the 服务渠道 and 审批途径 pages."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def mix(codes: np.ndarray, n_groups: int, values: np.ndarray, labels: Sequence[str],
        mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Counts of each value (``values`` index into ``labels``, -1 unknown) per group over
    ``mask``: an array (groups × labels) and the group totals (unknown values included)."""
    k = len(labels)
    keep = mask & (codes < n_groups)
    known = keep & (values >= 0)
    flat = codes[known].astype(np.int64) * k + values[known].astype(np.int64)
    counts = np.bincount(flat, minlength=n_groups * k)[: n_groups * k].reshape(n_groups, k)
    totals = np.bincount(codes[keep], minlength=n_groups + 1)[:n_groups]
    return counts, totals


def long_mix(keys: Sequence[str], names: Sequence[str], labels: Sequence[str], counts: np.ndarray,
             totals: np.ndarray, key_col: str, name_col: str, label_col: str) -> pd.DataFrame:
    """The counts of :func:`mix` as rows (key, name, label, count, share of the key's total);
    keys with no rows at all are left out."""
    rows = []
    for i, (key, name) in enumerate(zip(keys, names, strict=True)):
        if totals[i] == 0:
            continue
        for j, label in enumerate(labels):
            rows.append({key_col: key, name_col: name, label_col: label, "count": int(counts[i, j]),
                         "share": float(counts[i, j]) / float(totals[i])})
    return pd.DataFrame(rows, columns=[key_col, name_col, label_col, "count", "share"])


__all__ = ["long_mix", "mix"]
