"""``market-access screen``: hidden-barrier screening of a period (screening.md)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from cli.cmd_metrics import add_period_arguments, parse_date
from cli.dbargs import add_engine_argument, open_columnar_engine, open_database
from cli.errors import CliError

if TYPE_CHECKING:
    from metrics.screening.screener import Screener


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "screen",
        help="隐性壁垒线索筛查 (hidden-barrier screening)",
        description="按 screening.md 比较同一事项外地与本地主体的办理情况，并列出国家已放开地方仍审批的事项；结果为待核实线索。",
    )
    add_period_arguments(p, dept_help="只筛查该部门的事项（事项的部门编码）")
    p.add_argument("--format", choices=("json", "table"), default="json", help="输出格式：json（默认）或 table")
    add_engine_argument(p)
    p.set_defaults(handler=run)


def open_screener(args: argparse.Namespace) -> Screener:
    """A screener over the database's data, with the administrator's stored settings applied;
    on ``--engine duckdb|postgresql`` its group statistics are computed by that engine."""
    from data import settings as store
    from data.frames import load_frames
    from data.snapshots import default_cache_dir
    from metrics.config import ConfigError, load_config
    from metrics.engine import MetricsEngine
    from metrics.screening.screener import Screener

    engine = args.engine
    db = open_database(args)
    try:
        with db.session() as session:
            overrides = store.get(session, store.INDICATOR_OVERRIDES) or {}
            try:
                config = load_config(overrides=overrides or None)
            except ConfigError as err:
                raise CliError(str(err)) from err
            if engine == "memory":
                return Screener(MetricsEngine(load_frames(session, default_cache_dir(db.url)), config))
    finally:
        db.dispose()
    from metrics.columnar.screen import ColumnarScreener

    columnar_db, columnar = open_columnar_engine(args, engine)
    columnar_db.dispose()
    return ColumnarScreener(columnar, config.screening)  # type: ignore[arg-type]


def run(args: argparse.Namespace) -> int:
    from metrics.results import MetricsRequestError
    from metrics.screening.model import ScreeningRequest
    from metrics.screening.output import to_json, to_table

    date_from = parse_date(args.date_from, "开始日期 --from ")
    date_to = parse_date(args.date_to, "结束日期 --to ")
    as_of = parse_date(args.as_of, "统计时点 --as-of ") if args.as_of else None
    if date_from > date_to:
        raise CliError(f"开始日期 {date_from.isoformat()} 晚于结束日期 {date_to.isoformat()}。", exit_code=2)
    screener = open_screener(args)
    try:
        result = screener.screen(ScreeningRequest(date_from, date_to, as_of, args.dept))
    except MetricsRequestError as err:
        raise CliError(str(err)) from err
    if args.format == "table":
        sys.stdout.write(to_table(result, screener.rules))
    else:
        sys.stdout.write(to_json(result) + "\n")
    return 0
