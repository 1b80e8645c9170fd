"""Copy a Parquet snapshot into a fresh PostgreSQL database, for the columnar benchmark.

The rows go in with ``COPY … FROM STDIN`` (CSV written by Arrow), into the schema Alembic
makes, with the indexes the columnar queries use; then ``ANALYZE``.  This measures what the
pushed-down SQL costs over ten million stored rows; what the import costs is
``benchmarks.bench_import``'s figure, not this one's (no validation, no row hashes).
"""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from benchmarks.run import fresh_database as _fresh
from data import contract, snapshots

BATCH_ROWS = 500_000


def fresh_database(admin_url: str) -> str:
    """A new, empty database on the server at ``admin_url``; its URL."""
    return _fresh("postgresql", admin_url, Path("/tmp"))


def copy_snapshot(folder: Path, url: str) -> int:
    """Every table of the snapshot in ``folder`` into the database at ``url``; rows copied."""
    import psycopg
    from sqlalchemy.engine import make_url

    from data.db import Database

    Database(url).dispose()  # Alembic makes the schema
    u = make_url(url)
    rows = 0
    with psycopg.connect(host=u.host, port=u.port, user=u.username, dbname=u.database) as conn:
        for spec in contract.TABLES:  # referenced tables first (the contract's order)
            columns = ", ".join(f'"{c}"' for c in spec.column_ids)
            parquet = pq.ParquetFile(snapshots.table_file(folder, spec.id))
            with conn.cursor() as cur, cur.copy(
                f'COPY "{spec.id}" ({columns}, row_hash) FROM STDIN (FORMAT CSV, NULL \'\')'
            ) as copy:
                for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=list(spec.column_ids)):
                    table = pa.Table.from_batches([batch])
                    table = table.append_column("row_hash", pa.array([0] * table.num_rows, pa.int64()))
                    buf = io.BytesIO()
                    pa_csv.write_csv(table, buf, pa_csv.WriteOptions(include_header=False))
                    copy.write(buf.getvalue())
                    rows += table.num_rows
            conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE")
    return rows


__all__ = ["copy_snapshot", "fresh_database"]
