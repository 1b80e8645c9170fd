"""``market-access demo-data OUTDIR [--seed N] [--scale N]``: write the demo import files."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from cli.errors import CliError


def _positive_scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"规模倍数必须是数字：{text}") from None
    if not 0 < value <= 1000:
        raise argparse.ArgumentTypeError(f"规模倍数必须大于 0 且不超过 1000：{text}")
    return value


def _handler(args: argparse.Namespace) -> int:
    from data.contract import TABLES_BY_ID
    from data.demo import write_demo_data

    outdir = Path(args.outdir)
    if outdir.exists() and not outdir.is_dir():
        raise CliError(f"输出位置已存在且不是目录：{outdir}")
    start = time.perf_counter()
    try:
        paths = write_demo_data(outdir, seed=args.seed, scale=args.scale)
    except OSError as err:
        raise CliError(f"无法写入演示数据到 {outdir}：{err.strerror or err}") from err
    elapsed = time.perf_counter() - start
    print(f"已生成江海区演示数据（种子 {args.seed}，规模 {args.scale:g}）：{outdir}")
    for table_id, path in paths.items():
        with path.open("rb") as fh:
            rows = sum(1 for _ in fh) - 1
        print(f"  {TABLES_BY_ID[table_id].zh}（{table_id}）：{rows} 行  {path.name}")
    print(f"用时 {elapsed:.1f} 秒。导入：market-access import {outdir}/*.csv")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "demo-data",
        help="生成江海区演示数据（每表一个 CSV，中文表头） (write the demo dataset as import files)",
        description=(
            "生成江门高新区（江海区）2024-11-01 至 2026-10-31 的演示数据：每个数据表一个 UTF-8 CSV 文件，"
            "中文表头，可直接用 market-access import 导入。相同种子生成完全相同的文件。"
        ),
    )
    parser.add_argument("outdir", metavar="OUTDIR", help="输出目录（不存在则创建） (output directory)")
    parser.add_argument("--seed", type=int, default=2025, help="随机种子，默认 2025 (random seed)")
    parser.add_argument(
        "--scale",
        type=_positive_scale,
        default=1.0,
        help="办件与线索数量倍数，默认 1（约每年 3 万件办件、300 条线索） (multiplies applications and cases)",
    )
    parser.set_defaults(handler=_handler)
