"""``market-access report``: the joint meeting's deck (or a department's self-check report)
for a period, as PowerPoint or PDF (shared/spec/cli.md)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from cli.cmd_metrics import add_period_arguments, parse_date
from cli.dbargs import open_engine
from cli.errors import CliError

FORMATS = ("pptx", "pdf")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "report",
        help="生成联席会议汇报材料 PPTX/PDF (joint-meeting deck)",
        description="生成统计期间的联席会议汇报材料（全区），或指定部门的自查报告，格式为 PPTX 或 PDF。",
    )
    add_period_arguments(p, dept_help="生成该部门的自查报告（默认生成全区汇报材料）")
    p.add_argument("--format", dest="fmt", choices=FORMATS, help="输出格式：pptx 或 pdf（默认取输出文件扩展名）")
    p.add_argument("--out", required=True, metavar="文件", help="输出文件路径，例如 汇报.pptx")
    p.add_argument("--score-incomplete", action="store_true",
                   help="时段晚于数据截至日（数据不完整）时仍评分、列短板；默认不评分")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from metrics.results import MetricsRequest, MetricsRequestError
    from report import build_deck, render
    from report.review import database_review
    from report.self_check import database_source as self_check_source
    from report.tasks import database_source, database_urgings

    started = time.perf_counter()
    date_from = parse_date(args.date_from, "开始日期 --from ")
    date_to = parse_date(args.date_to, "结束日期 --to ")
    as_of = parse_date(args.as_of, "评估基准日 --as-of ") if args.as_of else None
    if date_from > date_to:
        raise CliError(f"开始日期 {date_from.isoformat()} 晚于结束日期 {date_to.isoformat()}。", exit_code=2)
    out = Path(args.out)
    fmt = args.fmt or out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise CliError(f"无法确定输出格式：请用 --format pptx 或 --format pdf，或使用 .pptx / .pdf 扩展名（{out}）。",
                       exit_code=2)
    if not out.parent.exists():
        raise CliError(f"输出目录 {out.parent} 不存在。")
    db, engine = open_engine(args)
    try:
        if engine.frames.applications.empty and engine.frames.cases.empty:
            raise CliError("数据库中还没有业务数据，请先导入数据（market-access import）。")
        try:
            request = MetricsRequest(date_from, date_to, as_of, score_incomplete=args.score_incomplete)
            deck = build_deck(engine, request, args.dept, database_source(db),
                              review=database_review(db), urgings=database_urgings(db),
                              self_checks=self_check_source(db))
        except MetricsRequestError as err:
            raise CliError(str(err)) from err
        data = render(deck, fmt)
    finally:
        db.dispose()
    try:
        out.write_bytes(data)
    except OSError as err:
        raise CliError(f"无法写入 {out}：{err.strerror or err}") from err
    scope = deck.dept_name if deck.dept else "全区"
    print(f"已生成{scope}{deck.period_label}汇报材料：{out}（{fmt.upper()}，{len(deck)} 页，"
          f"用时 {time.perf_counter() - started:.1f} 秒）")
    return 0
