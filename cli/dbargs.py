"""Open the database a command was pointed at (``--db`` or ``MARKET_ACCESS_DB``)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from cli.errors import CliError
from data.db import Database

if TYPE_CHECKING:
    from metrics.config import MetricsConfig
    from metrics.engine import MetricsEngine


def open_database(args: argparse.Namespace) -> Database:
    """The :class:`Database` for the command's ``--db``, schema upgraded; a clear error if unreachable."""
    try:
        return Database(getattr(args, "db", None))
    except SQLAlchemyError as err:
        raise CliError(f"无法连接或升级数据库：{err.__class__.__name__}: {err}") from err


def _checked_config() -> MetricsConfig:
    """The indicator configuration, validated (its Chinese error as the command's)."""
    from metrics.config import ConfigError, load_config

    try:
        return load_config()
    except ConfigError as err:
        raise CliError(str(err)) from err


def open_engine(args: argparse.Namespace) -> tuple[Database, MetricsEngine]:
    """The database and an engine over its data (indicator configuration validated first;
    frames read through the data's columnar snapshot when there is one).  The caller
    disposes of the database."""
    from data.frames import load_frames
    from data.snapshots import default_cache_dir
    from metrics.engine import MetricsEngine

    config = _checked_config()
    db = open_database(args)
    try:
        with db.session() as session:
            frames = load_frames(session, default_cache_dir(db.url))
    except BaseException:
        db.dispose()
        raise
    return db, MetricsEngine(frames, config)


ENGINES = ("memory", "duckdb", "postgresql")
"""Where ``--engine`` computes: in memory (pandas; the dashboard's engine), in an in-process
DuckDB on the data's Parquet snapshot, or in the PostgreSQL database itself (pushed-down SQL)."""


def open_columnar_engine(args: argparse.Namespace, kind: str) -> tuple[Database, MetricsEngine]:
    """The database and a :class:`~metrics.columnar.ColumnarEngine` of ``kind`` (``duckdb`` or
    ``postgresql``) over its data: the same rules, results equal to the in-memory engine's."""
    from data import snapshots
    from data.frames import load_frames, load_tables
    from metrics.columnar import ColumnarEngine, duckdb_source, postgres_source
    from metrics.columnar.engine import SMALL_TABLES

    config = _checked_config()
    db = open_database(args)
    try:
        with db.session() as session:
            if kind == "postgresql":
                if db.dialect != "postgresql":
                    raise CliError("--engine postgresql 需要 PostgreSQL 数据库（请用 --db 或 MARKET_ACCESS_DB 指定）。",
                                   exit_code=2)
                return db, ColumnarEngine(postgres_source(db.url, load_tables(session, SMALL_TABLES)), config)
            cache = snapshots.default_cache_dir(db.url)
            folder = cache / snapshots.fingerprint(session)
            if not snapshots.is_complete(folder):
                load_frames(session, cache)  # writes the snapshot DuckDB reads (once per data version)
            if not snapshots.is_complete(folder):
                raise CliError(f"无法写入列式快照目录 {cache}，--engine duckdb 需要该目录可写。")
        return db, ColumnarEngine(duckdb_source(folder), config)
    except BaseException:
        db.dispose()
        raise


def add_engine_argument(parser: argparse.ArgumentParser) -> None:
    """``--engine`` (one of :data:`ENGINES`, default ``memory``) of the commands that compute."""
    parser.add_argument("--engine", choices=ENGINES, default="memory",
                        help="计算引擎：memory（默认，内存计算）、duckdb（列式快照上的 DuckDB）或 postgresql（在数据库中计算）；"
                             "三者结果相同，后两者用于市级规模数据")
