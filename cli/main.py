"""``market-access``: the command line of ``shared/spec/cli.md``.

Each subcommand lives in its own module ``cli/cmd_*.py`` exposing ``register(subparsers)``;
this file only assembles them, resolves the database URL and turns expected errors into a
Chinese message on stderr with a non-zero exit.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import cli
from cli.errors import CliError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="market-access",
        description="市场准入效能评估看板命令行 (market access efficiency dashboard)",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="数据库 SQLAlchemy URL（默认取环境变量 MARKET_ACCESS_DB，否则为内嵌 SQLite 文件）",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="命令", required=True)
    for mod in sorted(pkgutil.iter_modules(cli.__path__), key=lambda m: m.name):
        if mod.name.startswith("cmd_"):
            importlib.import_module(f"cli.{mod.name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.handler(args)
    except CliError as err:
        print(f"错误：{err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    return int(code or 0)


if __name__ == "__main__":
    raise SystemExit(main())
