"""``market-access metrics``: indicators, scores and weak links of a period (indicators.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys

from cli.dbargs import add_engine_argument, open_columnar_engine, open_engine
from cli.errors import CliError

_DATE = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*$")


def parse_date(text: str, label: str) -> dt.date:
    """A date given as 2025-03-31, 2025/3/31 or 2025年3月31日; a Chinese error otherwise."""
    m = _DATE.match(text or "")
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise CliError(f"{label}“{text}”不是有效日期，请使用 YYYY-MM-DD 格式，例如 2025-03-31。", exit_code=2)


def add_period_arguments(p: argparse.ArgumentParser, *, dept_help: str) -> None:
    """--from, --to, --as-of and --dept, as every command over a period takes them."""
    p.add_argument("--from", dest="date_from", required=True, metavar="日期", help="统计期间开始日期（含），YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, metavar="日期", help="统计期间结束日期（含），YYYY-MM-DD")
    p.add_argument("--as-of", dest="as_of", metavar="日期", help="评估基准日（判断在办与逾期的日期），默认为结束日期")
    p.add_argument("--dept", metavar="部门编码", help=dept_help)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "metrics",
        help="计算指标、效能评分与短板 (indicators, scores, weak links)",
        description="按 indicators.md 口径计算统计期间内全区与各部门的指标、效能评分和短板。",
    )
    add_period_arguments(p, dept_help="只输出该部门的指标、评分和短板（全区指标不变）")
    p.add_argument("--format", choices=("json", "table"), default="json", help="输出格式：json（默认）或 table")
    add_engine_argument(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from metrics.output import to_json, to_table
    from metrics.results import MetricsRequest, MetricsRequestError

    date_from = parse_date(args.date_from, "开始日期 --from ")
    date_to = parse_date(args.date_to, "结束日期 --to ")
    as_of = parse_date(args.as_of, "统计时点 --as-of ") if args.as_of else None
    if date_from > date_to:
        raise CliError(f"开始日期 {date_from.isoformat()} 晚于结束日期 {date_to.isoformat()}。", exit_code=2)
    db, engine = open_engine(args) if args.engine == "memory" else open_columnar_engine(args, args.engine)
    db.dispose()
    config = engine.config
    try:
        result = engine.compute(MetricsRequest(date_from, date_to, as_of, args.dept))
    except MetricsRequestError as err:
        raise CliError(str(err)) from err
    if args.format == "table":
        sys.stdout.write(to_table(result, config))
    else:
        sys.stdout.write(to_json(result) + "\n")
        if result.calendar_note:
            print(f"说明：{result.calendar_note}", file=sys.stderr)
    return 0
