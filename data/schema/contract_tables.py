"""The contract tables, generated from :mod:`data.contract` (one table per contract table,
its key as the primary key, plus the row hash and the batch that last wrote the row)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeEngine

from data import contract
from data.contract import Kind
from data.schema.base import BATCH_ID, ROW_HASH, metadata


def _sql_type(col: contract.Column) -> TypeEngine[object]:
    kind = col.kind
    if kind in (Kind.TEXT,):
        return Text() if col.id in ("summary", "rectify_tasks", "measures", "url", "name", "item_name") else String(128)  # type: ignore[return-value]
    mapping: dict[Kind, TypeEngine[object]] = {
        Kind.ENUM: String(32),  # type: ignore[dict-item]
        Kind.BOOL: Boolean(),  # type: ignore[dict-item]
        Kind.INT: Integer(),  # type: ignore[dict-item]
        Kind.NUMBER: Float(),  # type: ignore[dict-item]
        Kind.DATE: Date(),  # type: ignore[dict-item]
        Kind.DATETIME: DateTime(),  # type: ignore[dict-item]
        Kind.RATING: SmallInteger(),  # type: ignore[dict-item]
        Kind.USCC: String(18),  # type: ignore[dict-item]
    }
    return mapping[kind]


# Foreign keys the database enforces: single-column references to a single-column key.
_FOREIGN_KEYS = {"departments": "departments.dept_code", "service_items": "service_items.item_code"}


def _contract_table(spec: contract.Table) -> Table:
    cols: list[Column[object]] = []
    for col in spec.columns:
        args: list[object] = []
        if col.ref in _FOREIGN_KEYS:
            args.append(ForeignKey(_FOREIGN_KEYS[col.ref]))
        cols.append(
            Column(
                col.id,
                _sql_type(col),
                *args,  # type: ignore[arg-type]
                primary_key=col.id in spec.key,
                nullable=not (col.id in spec.key or col.required or col.default is not None),
            )
        )
    cols.append(Column(ROW_HASH, BigInteger, nullable=False))
    cols.append(Column(BATCH_ID, Integer, nullable=True))
    return Table(spec.id, metadata, *cols, comment=spec.zh)


CONTRACT: dict[str, Table] = {spec.id: _contract_table(spec) for spec in contract.TABLES}

Index("ix_applications_submitted_at", CONTRACT["applications"].c.submitted_at)
Index("ix_applications_completed_at", CONTRACT["applications"].c.completed_at)
Index("ix_applications_dept_code", CONTRACT["applications"].c.dept_code)
Index("ix_applications_item_code", CONTRACT["applications"].c.item_code)
Index("ix_cases_received_date", CONTRACT["cases"].c.received_date)
Index("ix_cases_dept_code", CONTRACT["cases"].c.dept_code)
Index("ix_service_items_dept_code", CONTRACT["service_items"].c.dept_code)
Index("ix_credit_ratings_dept_code", CONTRACT["credit_ratings"].c.dept_code)
