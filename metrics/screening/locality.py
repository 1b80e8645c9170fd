"""本地 / 外地 from the unified social credit code (GB 32100-2015).

Characters 3–8 of ``entity_id`` are the division code of the registering authority; an
applicant is 本地 when that code starts with ``local_prefix``.  The codes are factorised
once per data set, so judging a million applications against a prefix only looks at the
distinct codes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LOCAL = 1
NONLOCAL = 0
NO_CODE = -1


class LocalityIndex:
    """Locality of every application for any prefix, from one factorisation of the codes."""

    def __init__(self, entity_ids: pd.Series) -> None:
        codes, uniques = pd.factorize(entity_ids, use_na_sentinel=True)
        self._codes = codes
        self._divisions = pd.Series(pd.Index(uniques).astype(str), dtype=object).str.slice(2, 8)
        self._cache: dict[str, np.ndarray] = {}

    def of(self, prefix: str) -> np.ndarray:
        """int8 per application: :data:`LOCAL`, :data:`NONLOCAL` or :data:`NO_CODE` (no entity_id)."""
        if prefix not in self._cache:
            local = self._divisions.str.startswith(prefix).to_numpy(dtype=bool)
            table = np.append(np.where(local, LOCAL, NONLOCAL), NO_CODE).astype(np.int8)
            self._cache[prefix] = table[self._codes]  # sentinel -1 takes the table's last entry
        return self._cache[prefix]


def locality(entity_ids: pd.Series, prefix: str) -> np.ndarray:
    """One-off :meth:`LocalityIndex.of` (tests, small frames)."""
    return LocalityIndex(entity_ids).of(prefix)
