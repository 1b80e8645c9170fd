"""Open the database a command was pointed at (``--db`` or ``MARKET_ACCESS_DB``)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from cli.errors import CliError
from data.db import Database

if TYPE_CHECKING:
    from metrics.engine import MetricsEngine


def open_database(args: argparse.Namespace) -> Database:
    """The :class:`Database` for the command's ``--db``, schema upgraded; a clear error if unreachable."""
    try:
        return Database(getattr(args, "db", None))
    except SQLAlchemyError as err:
        raise CliError(f"无法连接或升级数据库：{err.__class__.__name__}: {err}") from err


def open_engine(args: argparse.Namespace) -> tuple[Database, MetricsEngine]:
    """The database and an engine over its data (indicator configuration validated first;
    frames read through the data's columnar snapshot when there is one).  The caller
    disposes of the database."""
    from data.frames import load_frames
    from data.snapshots import default_cache_dir
    from metrics.config import ConfigError, load_config
    from metrics.engine import MetricsEngine

    try:
        config = load_config()
    except ConfigError as err:
        raise CliError(str(err)) from err
    db = open_database(args)
    try:
        with db.session() as session:
            frames = load_frames(session, default_cache_dir(db.url))
    except BaseException:
        db.dispose()
        raise
    return db, MetricsEngine(frames, config)
