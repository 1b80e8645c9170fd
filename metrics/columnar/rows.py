"""Record rows for drill-down lists, fetched from where the rows are (DuckDB or PostgreSQL).

The in-memory engine lists the records behind a figure from its frames
(:mod:`metrics.rows`).  Here the same rule's mask is an Ibis expression over the derived
relation (:mod:`metrics.columnar.relations`), so the database filters the rows and computes
the mask-dependent flags (in S, C, O; open working days at as_of) in the same pass.  An
application's stored columns are kept in the derived table itself (a join back to ten
million stored rows cost more than the read); a case's are joined back by id.  What the
list shows is then assembled by the
same functions as in memory (:func:`metrics.rows.application_columns`,
:func:`metrics.rows.case_columns`), so both engines give the same frame, dtypes included.

Rows come ordered by their id, the tie order of every sorted list (see :mod:`metrics.records`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from ibis.expr.types import Table

from data.contract import TABLES_BY_ID
from data.frames import arrow_columns
from metrics.catalog import STAGES
from metrics.columnar.reducer import as_expression
from metrics.columnar.relations import STORED_FOR_RECORDS, ColumnarApps, ColumnarCases
from metrics.grouping import lookup
from metrics.populations import Scope
from metrics.prepared import STAGE_COLUMNS, PreparedItems
from metrics.rows import application_columns, case_columns

_STAGE_INDEX = {stage: i for i, (stage, _start, _end) in enumerate(STAGE_COLUMNS)}


def _ints(table: pa.Table, column: str) -> np.ndarray:
    return pc.fill_null(table.column(column), 0).to_numpy().astype(np.int64, copy=False)


def _flags(table: pa.Table, column: str) -> np.ndarray:
    return pc.fill_null(table.column(column), False).to_numpy(zero_copy_only=False).astype(bool, copy=False)


def _floats(table: pa.Table, column: str) -> np.ndarray:
    return pc.cast(table.column(column), pa.float64()).to_numpy(zero_copy_only=False)


def application_rows(apps: ColumnarApps, items: PreparedItems, scope: Scope, mask: Any) -> pd.DataFrame:
    """The drill-down rows of the applications of ``mask`` (an expression over
    ``apps.relation``), as :func:`metrics.rows.application_rows` gives them: one filtered read
    of the derived table, which keeps the stored columns a row shows
    (:data:`~metrics.columnar.relations.STORED_FOR_RECORDS`)."""
    rel = apps.relation
    spec = TABLES_BY_ID["applications"]
    fetched = rel.filter(as_expression(mask)).select(
        "app_id", "item_code", "street_code", *STORED_FOR_RECORDS, "dept", "suspended", "processing", "promised",
        "legal", *(f"hours_{i}" for i in range(len(STAGE_COLUMNS))),
        m_done=apps.has_acc & apps.has_comp,
        m_open_wd=as_expression(scope.open_wd).coalesce(0),
        m_in_s=as_expression(scope.submitted).coalesce(False),
        m_in_c=as_expression(scope.completed).coalesce(False),
        m_in_o=as_expression(scope.open).coalesce(False),
    ).order_by("app_id").to_pyarrow()
    base = arrow_columns(spec, fetched)
    pos = lookup(base["item_code"], list(items.position))
    names = items.frame["item_name"].to_numpy(dtype=object)
    item_name = np.where(pos >= 0, names[np.where(pos >= 0, pos, 0)], None) if len(names) else [None] * len(base)
    dept = pc.cast(fetched.column("dept"), pa.string()).to_numpy(zero_copy_only=False)
    return application_columns(
        base, item_name=item_name, dept=dept,
        suspended=_ints(fetched, "suspended"), done=_flags(fetched, "m_done"), processing=_ints(fetched, "processing"),
        promised=_ints(fetched, "promised"), legal=_ints(fetched, "legal"), open_wd=_ints(fetched, "m_open_wd"),
        in_s=_flags(fetched, "m_in_s"), in_c=_flags(fetched, "m_in_c"), in_o=_flags(fetched, "m_in_o"),
        stage_hours={stage: _floats(fetched, f"hours_{_STAGE_INDEX[stage]}") for stage in STAGES},
    )


def case_rows(cases: ColumnarCases, stored: Table, mask: Any) -> pd.DataFrame:
    """The drill-down rows of the cases of ``mask`` (an expression over ``cases.relation``),
    as :func:`metrics.rows.case_rows` gives them (their stored rows joined back by id: cases
    are few beside applications)."""
    spec = TABLES_BY_ID["cases"]
    picked = cases.relation.filter(as_expression(mask)).select(
        "case_id",
        m_transferred=cases.transferred,
        m_days=(cases.transferred_cum - cases.received_cum).coalesce(0),
    )
    own = [c.id for c in spec.columns if c.id != "case_id"]
    fetched = picked.inner_join(stored.select("case_id", *own), "case_id").order_by("case_id").to_pyarrow()
    return case_columns(arrow_columns(spec, fetched), transferred=_flags(fetched, "m_transferred"),
                        transfer_days=_ints(fetched, "m_days"))


__all__ = ["application_rows", "case_rows"]
