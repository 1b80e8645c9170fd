"""The hidden-barrier screen with its group statistics computed where the rows are.

:class:`~metrics.screening.screener.Screener` tests, per kind, each item's 外地 against its
本地 applications.  Everything it tests follows from the applications taking part: each one's
key (item, 外地 or 本地) and its compared value.  Here those come from one query per kind,
``GROUP BY (item, 外地, value)`` with a count, over the same masks (Ibis expressions of the
same :mod:`metrics.routes` / :mod:`metrics.channels` functions).  The compared values are
whole numbers or flags (working days, visits, refused, suspended), so the answer has at
most items × 2 × distinct values rows at any size.  It is expanded back to one value per
application, and the base class's tests (Fisher, Mann–Whitney, Benjamini–Hochberg) run on
it unchanged.  The lifted-item counts and the records behind a signal are queries too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ibis
import numpy as np
import pandas as pd
from ibis import _

from metrics.populations import Scope
from metrics.screening.locality import LOCAL, NO_CODE, NONLOCAL
from metrics.screening.screener import LIFTED, STORED_RECORD_COLUMNS, Comparison, Screener, record_frame

if TYPE_CHECKING:
    from metrics.columnar.engine import ColumnarEngine
    from metrics.screening_rules import ScreeningRules


class ColumnarScreener(Screener):
    """:class:`~metrics.screening.screener.Screener` over a
    :class:`~metrics.columnar.engine.ColumnarEngine` (see the module)."""

    def __init__(self, engine: ColumnarEngine, rules: ScreeningRules | None = None) -> None:
        super().__init__(engine, rules)
        self.columnar = engine
        self._position = {str(code): i for i, code in enumerate(self._item_codes.tolist())}

    def _codes(self, items: np.ndarray) -> list[str]:
        """The item codes of a bool-per-item array."""
        return [str(c) for c in self._item_codes[items].tolist()]

    def _locality_code(self) -> Any:
        """:data:`LOCAL` / :data:`NONLOCAL` / :data:`NO_CODE` per application, as an expression."""
        rel = self.columnar.apps.relation
        local = rel.division.startswith(self.rules.local_prefix)
        return ibis.cases((rel.division.isnull(), NO_CODE), (local, LOCAL), else_=NONLOCAL)

    def _taking_part_of(self, pop: Comparison, dept: str | None) -> Any:
        """In the population, with an entity_id and an item in scope (the base's ``_taking_part``)."""
        rel = self.columnar.apps.relation
        items = self._codes(self._items_in_scope(dept)[:-1])
        return _true(pop.mask) & rel.division.notnull() & rel.item_code.isin(items)

    def compared_rows(self, kind: str, scope: Scope, dept: str | None) -> tuple[Comparison, np.ndarray, np.ndarray]:
        pop = self._population(kind, scope)
        rel = self.columnar.apps.relation
        # PostgreSQL casts no boolean to a float: a flag is 1.0 or 0.0
        compared: Any = ibis.ifelse(pop.values, 1, 0) if pop.share else pop.values
        value = compared.cast("float64")
        query = (rel.filter(self._taking_part_of(pop, dept))
                 .group_by(item=rel.item_code, nonlocal_=self._locality_code() == NONLOCAL, value=value)
                 .aggregate(n=_.count()))
        counted = self.columnar.source.backend.to_pyarrow(query).to_pandas()
        n = counted["n"].to_numpy(dtype=np.int64)
        item = np.array([self._position[str(c)] for c in counted["item"].tolist()], dtype=np.int64)
        key = item * 2 + counted["nonlocal_"].to_numpy(dtype=bool)
        values = counted["value"].to_numpy(dtype=np.float64, na_value=np.nan)
        return pop, np.repeat(key, n), np.repeat(values, n)

    def _lifted_mask(self, scope: Scope, dept: str | None) -> Any:  # type: ignore[override]
        """The base's rule (submitted in the period, on or after the current version's
        effective date, for a lifted item) as an expression."""
        items, effective = self.lifted_items(scope, dept)
        if effective is None or not items.any():
            return ibis.literal(False)
        rel = self.columnar.apps.relation
        return _true(scope.submitted) & (rel.sub_day >= effective) & rel.item_code.isin(self._codes(items))

    def lifted_counts(self, scope: Scope, dept: str | None) -> np.ndarray:
        counts = np.zeros(len(self._item_codes), dtype=np.int64)
        rel = self.columnar.apps.relation
        query = rel.filter(self._lifted_mask(scope, dept)).group_by(item=rel.item_code).aggregate(n=_.count())
        for code, n in self.columnar.source.backend.to_pyarrow(query).to_pandas().itertuples(index=False):
            counts[self._position[str(code)]] = int(n)
        return counts

    def record_rows(self, scope: Scope, dept: str | None, kind: str, item: int) -> pd.DataFrame:
        rel = self.columnar.apps.relation
        code = str(self._item_codes[item])
        if kind == LIFTED:
            mask = self._lifted_mask(scope, dept)
        else:
            mask = self._taking_part_of(self._population(kind, scope), dept)
        derived = rel.filter(mask & (rel.item_code == code)).select(
            "app_id", "dept", "processing", "suspended", "visits_f", locality=self._locality_code(),
            processed=rel.acc_day.notnull() & rel.comp_day.notnull())
        stored = self.columnar.source.applications
        joined = derived.join(stored.select("app_id", *STORED_RECORD_COLUMNS), "app_id")
        rows = self.columnar.source.backend.to_pyarrow(joined).to_pandas()
        times = ("submitted_at", "accepted_at", "completed_at")
        return record_frame(
            rows["locality"].to_numpy(),
            {c: _timestamps(rows[c]) if c in times else rows[c].to_numpy(dtype=object) for c in STORED_RECORD_COLUMNS},
            app_ids=rows["app_id"].to_numpy(dtype=object), depts=rows["dept"].to_numpy(dtype=object),
            processing=rows["processing"].to_numpy(), processed=rows["processed"].to_numpy(dtype=bool),
            suspended=rows["suspended"].to_numpy(dtype=np.int64),
            visits=rows["visits_f"].to_numpy(dtype=np.float64, na_value=np.nan))


def _true(mask: Any) -> Any:
    """A mask expression whose NULL counts as False (a numpy mask holds no NULL)."""
    return mask.fill_null(False)


def _timestamps(column: pd.Series) -> np.ndarray:
    """Stored times as the in-memory frames hold them (naive local datetime64[ns])."""
    return pd.to_datetime(column).dt.tz_localize(None).astype("datetime64[ns]").to_numpy()


__all__ = ["ColumnarScreener"]
