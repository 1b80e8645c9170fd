"""``market-access import FILE... [--dry-run]``: import files per the data contract.

Prints, per table, the rows added, replaced and unchanged.  When any row of the batch is
bad, prints every problem (file, row, column, value, reason) to stderr, stores nothing
and exits 1.  A changed row for a case handled in the product is such a problem unless
``--overwrite-product-steps`` is given (the product wins by default).  ``--dry-run`` validates and counts without writing contract data.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy.exc import SQLAlchemyError

from cli.dbargs import open_database
from cli.errors import CliError


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "import",
        help="导入数据文件（CSV 或 Excel）(import data files)",
        description="按数据合同导入一个或多个 CSV / Excel（.xlsx）文件，作为一个批次整体导入：任何一行有问题，"
        "就列出全部问题并且不写入任何数据。",
    )
    p.add_argument("files", nargs="+", metavar="文件", help="要导入的 CSV 或 .xlsx 文件（可多个，任意表的组合）")
    p.add_argument("--dry-run", action="store_true", help="只校验并统计新增/替换/未变行数，不写入数据库")
    p.add_argument("--overwrite-product-steps", action="store_true",
                   help="以导入为准覆盖已在系统中办理（转办、核查、办结等）的线索；默认拒绝这些行并逐行说明")
    p.add_argument("--user", metavar="用户名", help="记录在导入批次中的操作人（默认为当前系统用户）")
    p.set_defaults(handler=run)


def _default_user() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return None


def run(args: argparse.Namespace) -> int:
    from data.contract import TABLES_BY_ID
    from data.importer import import_files

    db = open_database(args)
    try:
        with db.session() as session:
            report = import_files(session, args.files, dry_run=args.dry_run, user=args.user or _default_user(),
                                  overwrite_product_steps=args.overwrite_product_steps)
    except SQLAlchemyError as err:
        raise CliError(f"写入数据库失败，本次导入没有保存任何数据：{err.__class__.__name__}: {err}") from err
    finally:
        db.dispose()

    for warning in report.warnings:
        print(f"警告：{warning.describe()}", file=sys.stderr)
    if not report.ok:
        print(f"导入被拒绝：共发现 {len(report.problems)} 个问题，数据库未作任何更改。", file=sys.stderr)
        for problem in report.problems:
            print(f"  {problem.describe()}", file=sys.stderr)
        return 1

    for counts in report.counts:
        table = TABLES_BY_ID[counts.table]
        print(f"{table.zh} ({table.id})：新增 {counts.added} 行，替换 {counts.replaced} 行，未变 {counts.unchanged} 行")
    if report.dry_run:
        print("仅校验：全部通过，未写入数据库。")
    else:
        total = sum(c.added + c.replaced for c in report.counts)
        print(f"导入成功（批次 {report.batch_id}）：共写入 {total} 行。")
    return 0
