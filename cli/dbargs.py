"""Open the database a command was pointed at (``--db`` or ``MARKET_ACCESS_DB``)."""

from __future__ import annotations

import argparse

from sqlalchemy.exc import SQLAlchemyError

from cli.errors import CliError
from data.db import Database


def open_database(args: argparse.Namespace) -> Database:
    """The :class:`Database` for the command's ``--db``, schema upgraded; a clear error if unreachable."""
    try:
        return Database(getattr(args, "db", None))
    except SQLAlchemyError as err:
        raise CliError(f"无法连接或升级数据库：{err.__class__.__name__}: {err}") from err
