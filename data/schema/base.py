"""The schema's one MetaData (with its naming convention) and the columns every contract
table carries."""

from __future__ import annotations

from sqlalchemy import MetaData

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
