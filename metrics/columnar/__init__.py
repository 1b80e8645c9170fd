"""The indicator engine on a columnar or server database (issue 18: compute where the data is).

``ColumnarEngine(duckdb_source(snapshot_folder)).compute(request)`` answers exactly what
``MetricsEngine(frames).compute(request)`` answers, through the same rules, with the
applications and cases left in DuckDB or PostgreSQL.  See :mod:`metrics.columnar.engine`.
"""

from metrics.columnar.engine import (
    ColumnarEngine,
    ColumnarSource,
    duckdb_source,
    frames_source,
    postgres_source,
)

__all__ = ["ColumnarEngine", "ColumnarSource", "duckdb_source", "frames_source", "postgres_source"]
