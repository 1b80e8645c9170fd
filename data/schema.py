"""The database schema: contract tables generated from :mod:`data.contract`, plus the
tables the product keeps itself.

Alembic owns the schema in a database (``data/migrations``); this metadata is what
migrations are generated from and what queries are written against.
"""

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
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeEngine

from data import contract
from data.contract import Kind

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

ROW_HASH = "row_hash"
"""Extra column on every contract table: a hash of the row's contract values, so that an
import can tell added, replaced and unchanged rows without reading whole rows back."""
BATCH_ID = "batch_id"
"""Extra column on every contract table: the import batch that last wrote the row."""


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

import_batches = Table(
    "import_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=True),
    Column("user_name", String(64), nullable=True),
    Column("outcome", String(16), nullable=False),  # 成功 | 已拒绝 | 仅校验
    Column("problem_count", Integer, nullable=False, default=0),
    Column("message", Text, nullable=True),
    comment="导入批次",
)

import_files = Table(
    "import_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("import_batches.id", ondelete="CASCADE"), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("table_id", String(32), nullable=True),
    Column("sheet", String(64), nullable=True),
    Column("row_count", Integer, nullable=False, default=0),
    comment="导入文件",
)

import_counts = Table(
    "import_counts",
    metadata,
    Column("batch_id", Integer, ForeignKey("import_batches.id", ondelete="CASCADE"), primary_key=True),
    Column("table_id", String(32), primary_key=True),
    Column("added", Integer, nullable=False, default=0),
    Column("replaced", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    comment="导入批次各表行数",
)
