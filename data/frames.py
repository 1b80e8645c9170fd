"""Read the contract tables into pandas for the indicator engine.

:func:`load_frames` returns a :class:`Frames` with one DataFrame per contract table, columns
named by contract id and typed by kind:

- text, enum, USCC: pandas strings, missing = NA (test with ``isna()``);
- bool: ``bool`` (the importer stores defaults, so never missing);
- int, rating: ``Int64`` (nullable), except ``suspended_days``, ``legal_limit_days``,
  ``promised_limit_days`` which are never missing and come as ``int64``;
- number: ``float64``;
- date, datetime: ``datetime64[ns]`` (dates at midnight), missing = NaT.

The engine works on these frames only; it never sees a session or SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data import contract
from data.contract import Kind
from data.schema import CONTRACT

_NEVER_MISSING_INTS = {"suspended_days", "legal_limit_days", "promised_limit_days"}


@dataclass(frozen=True)
class Frames:
    """All contract tables as typed DataFrames (see the module docstring for dtypes)."""

    departments: pd.DataFrame
    negative_list: pd.DataFrame
    service_items: pd.DataFrame
    applications: pd.DataFrame
    cases: pd.DataFrame
    disclosures: pd.DataFrame
    credit_ratings: pd.DataFrame
    provincial_scores: pd.DataFrame

    def table(self, table_id: str) -> pd.DataFrame:
        return getattr(self, table_id)  # type: ignore[no-any-return]


def typed_frame(spec: contract.Table, df: pd.DataFrame) -> pd.DataFrame:
    """Coerce ``df`` (contract column ids, any dtypes) to the dtypes documented above."""
    out: dict[str, pd.Series] = {}
    for col in spec.columns:
        s = df[col.id] if col.id in df.columns else pd.Series([None] * len(df), index=df.index)
        if col.kind in (Kind.TEXT, Kind.ENUM, Kind.USCC):
            out[col.id] = s.astype("string")
        elif col.kind is Kind.BOOL:
            out[col.id] = s.fillna(bool(col.default)).astype(bool)
        elif col.kind in (Kind.INT, Kind.RATING):
            if col.id in _NEVER_MISSING_INTS:
                out[col.id] = pd.to_numeric(s).fillna(0).astype("int64")
            else:
                out[col.id] = pd.to_numeric(s).astype("Int64")
        elif col.kind is Kind.NUMBER:
            out[col.id] = pd.to_numeric(s).astype("float64")
        elif col.kind is Kind.DATE:
            out[col.id] = pd.to_datetime(s, format="mixed").dt.normalize().astype("datetime64[ns]")
        elif col.kind is Kind.DATETIME:
            out[col.id] = pd.to_datetime(s, format="mixed").astype("datetime64[ns]")
    return pd.DataFrame(out, index=df.index)


def empty_frames() -> Frames:
    """Frames with every table empty but correctly typed."""
    return Frames(**{t.id: typed_frame(t, pd.DataFrame(columns=t.column_ids)) for t in contract.TABLES})


def frames_from(tables: dict[str, pd.DataFrame]) -> Frames:
    """Frames from hand-built DataFrames (tests, fixtures); missing tables are empty."""
    base = empty_frames()
    data = {f.name: getattr(base, f.name) for f in fields(Frames)}
    for table_id, df in tables.items():
        data[table_id] = typed_frame(contract.TABLES_BY_ID[table_id], df.reset_index(drop=True))
    return Frames(**data)


def load_frames(session: Session) -> Frames:
    """Every contract table read through ``session`` into typed frames."""
    data: dict[str, pd.DataFrame] = {}
    conn = session.connection()
    for spec in contract.TABLES:
        table = CONTRACT[spec.id]
        stmt = select(*[table.c[c] for c in spec.column_ids])
        rows = conn.execute(stmt).all()
        raw = pd.DataFrame.from_records(rows, columns=spec.column_ids)
        data[spec.id] = typed_frame(spec, raw)
    return Frames(**data)
