"""``market-access import FILE... [--dry-run] [--table FILE=TABLE] [--mapping [FILE=]NAME] [--rejected-dir DIR]``.

Prints, per file or sheet, how it was read (table, header row, saved mapping applied,
rows skipped, merged ranges filled, values rewritten with counts) and, per table, the rows
added, replaced and unchanged.  When any row of the batch is bad, prints every problem
(file, row, column, value, reason) to stderr, stores nothing and exits 1; with
``--rejected-dir`` each file is written back there with its bad rows marked (问题、所在列).
A changed row for a case handled in the product is such a problem unless
``--overwrite-product-steps`` is given (the product wins by default).  ``--dry-run`` validates and counts without writing contract data.  ``--save-mapping NAME``
saves how the (single) file was read as an import mapping, with ``--rewrite`` value forms.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from cli.dbargs import open_database
from cli.errors import CliError


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "import",
        help="导入数据文件（CSV 或 Excel）(import data files)",
        description="按数据合同导入一个或多个 CSV / Excel（.xlsx）文件，作为一个批次整体导入：任何一行有问题，"
        "就列出全部问题并且不写入任何数据。文件名或工作表名不是表名时，按表头识别是哪张表；"
        "表头上方的标题行、表尾的合计行与说明行会被跳过并列出。",
    )
    p.add_argument("files", nargs="+", metavar="文件", help="要导入的 CSV 或 .xlsx 文件（可多个，任意表的组合）")
    p.add_argument("--dry-run", action="store_true", help="只校验并统计新增/替换/未变行数，不写入数据库")
    p.add_argument("--overwrite-product-steps", action="store_true",
                   help="以导入为准覆盖已在系统中办理（转办、核查、办结等）的线索；默认拒绝这些行并逐行说明")
    p.add_argument("--user", metavar="用户名", help="记录在导入批次中的操作人（默认为当前系统用户）")
    p.add_argument("--table", action="append", default=[], metavar="文件=表",
                   help="指定文件（或“文件.xlsx:工作表”）对应的表，如 导出.csv=applications（可多次使用）")
    p.add_argument("--mapping", action="append", default=[], metavar="[文件=]模板名",
                   help="使用已保存的导入模板（不写文件名则用于全部文件）；不指定时按表头自动套用相同表头的模板")
    p.add_argument("--rejected-dir", type=Path, metavar="目录",
                   help="导入被拒绝时，把每个有问题的文件写回该目录，并在问题行加上“问题”“所在列”两列")
    p.add_argument("--save-mapping", metavar="模板名",
                   help="把本文件的读取方式（表、表头行、列对应）保存为导入模板（仅限一个文件或工作表）")
    p.add_argument("--rewrite", action="append", default=[], metavar="列=原值=>目标值",
                   help="与 --save-mapping 一起使用：取值改写，如 status=已办=>已办结（列可用 id 或中文名）")
    p.set_defaults(handler=run)


def _default_user() -> str | None:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return None


def _source_key(text: str) -> str:
    """``path/to/file.xlsx:Sheet1`` → ``file.xlsx:Sheet1`` (sources are named by file name)."""
    if ":" in text and not Path(text).exists():
        path, sheet = text.rsplit(":", 1)
        return f"{Path(path).name}:{sheet}"
    return Path(text).name


def _pairs(values: list[str], option: str, *, bare: str | None = None) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        if "=" not in value:
            if bare is None:
                raise CliError(f"{option} 的格式应为 文件=名称：「{value}」")
            out[bare] = value.strip()
            continue
        key, name = value.rsplit("=", 1)
        if not key.strip() or not name.strip():
            raise CliError(f"{option} 的格式应为 文件=名称：「{value}」")
        out[_source_key(key.strip())] = name.strip()
    return out


def _rewrites(values: list[str], table_id: str) -> list[tuple[str, str, str]]:
    from data.aliases import column_names, normalize_name

    names = column_names(table_id)
    out = []
    for value in values:
        column, sep, rest = value.partition("=")
        source, arrow, target = rest.partition("=>")
        cid = names.get(normalize_name(column))
        if not sep or not arrow or cid is None:
            raise CliError(f"--rewrite 的格式应为 列=原值=>目标值，且列须是该表的列：「{value}」")
        out.append((cid, source, target))
    return out


def run(args: argparse.Namespace) -> int:
    from data.contract import TABLES_BY_ID
    from data.import_service import (
        ImportRequest,
        MappingError,
        mapping_from_layout,
        propose,
        run_import,
    )
    from data.import_service import save_mapping as save

    tables = _pairs(args.table, "--table")
    mappings = _pairs(args.mapping, "--mapping", bare="*")
    if args.rewrite and not args.save_mapping:
        raise CliError("--rewrite 只能与 --save-mapping 一起使用")
    sources = tuple(Path(p) for p in args.files)
    user = args.user or _default_user()

    db = open_database(args)
    try:
        with db.session() as session:
            if args.save_mapping:
                proposed = propose(session, sources, tables=tables, mappings=mappings)
                if len(proposed.proposals) != 1 or proposed.proposals[0].layout.table is None:
                    raise CliError("--save-mapping 需要恰好一个能识别出表的文件或工作表（可用 --table 指定表）")
                layout = proposed.proposals[0].layout
                spec = mapping_from_layout(layout, args.save_mapping, _rewrites(args.rewrite, layout.table or ""))
                try:
                    save(session, spec, user or "系统")
                except MappingError as err:
                    raise CliError("无法保存导入模板：" + "；".join(err.reasons)) from err
                print(f"已保存导入模板「{spec.name}」（{TABLES_BY_ID[spec.table].zh}，表头在第{spec.header_row}行）")
                mappings = {"*": spec.name}
            result = run_import(session, ImportRequest(
                sources, tables=tables, mappings=mappings, dry_run=args.dry_run, user=user,
                overwrite_product_steps=args.overwrite_product_steps))
    except SQLAlchemyError as err:
        raise CliError(f"写入数据库失败，本次导入没有保存任何数据：{err.__class__.__name__}: {err}") from err
    finally:
        db.dispose()
    report = result.report

    for layout in report.layouts:
        notes = layout.notes()
        if layout.table is None or (notes == ["表头在第1行"] and layout.how in ("文件名", "工作表名")):
            continue
        where = f"文件「{layout.file}」" + (f"工作表「{layout.sheet}」" if layout.sheet else "")
        table = TABLES_BY_ID[layout.table]
        print(f"{where}：{table.zh}（按{layout.how}识别）；" + "；".join(notes))
    for warning in report.warnings:
        print(f"警告：{warning.describe()}", file=sys.stderr)
    if not report.ok:
        print(f"导入被拒绝：共发现 {len(report.problems)} 个问题，数据库未作任何更改。", file=sys.stderr)
        for problem in report.problems:
            print(f"  {problem.describe()}", file=sys.stderr)
        if args.rejected_dir is not None and result.rejected:
            args.rejected_dir.mkdir(parents=True, exist_ok=True)
            for rejected in result.rejected:
                (args.rejected_dir / rejected.name).write_bytes(rejected.data)
                print(f"已写回有问题的文件：{args.rejected_dir / rejected.name}（{rejected.rows} 行标出问题）",
                      file=sys.stderr)
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
