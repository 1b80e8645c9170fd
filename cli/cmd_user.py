"""``market-access user add|list|disable|enable|reset-password``: accounts and roles.

A password is read from standard input (one line; typed twice at a terminal), never from
the command line, so it never shows in the shell history or the process list.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

import pandas as pd

from cli.dbargs import open_database
from cli.errors import CliError
from data import accounts
from data.accounts import ROLES, AccountError


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("密码：")
        if getpass.getpass("再次输入密码：") != first:
            raise CliError("两次输入的密码不一致。")
        return first
    line = sys.stdin.readline()
    if not line:
        raise CliError("请从标准输入提供密码（一行）。")
    return line.rstrip("\r\n")


def _text(value: object) -> str:
    """A cell of the text listing: — for a missing value (never "nan" or "None")."""
    return "—" if value is None or pd.isna(value) or value == "" else str(value)  # type: ignore[call-overload]


def _run(args: argparse.Namespace) -> int:
    db = open_database(args)
    try:
        with db.session() as session:
            if args.action == "add":
                accounts.add_user(session, args.username, _read_password(), args.role,
                                  display_name=args.name, dept=args.dept, actor="命令行")
                print(f"已创建用户 {args.username}（{args.role}）。")
            elif args.action == "list":
                df = accounts.list_users(session)
                if args.format == "json":
                    print(json.dumps(df.astype(object).where(df.notna(), None).to_dict("records"),
                                     ensure_ascii=False, default=str, indent=2))
                else:
                    print("用户名\t显示名称\t角色\t部门编码\t状态")
                    for r in df.itertuples():
                        state = "启用" if r.active else "停用"
                        print(f"{r.username}\t{r.display_name}\t{r.role}\t{_text(r.dept_code)}\t{state}")
            elif args.action in ("disable", "enable"):
                accounts.set_active(session, args.username, args.action == "enable", actor="命令行")
                print(f"已{'启用' if args.action == 'enable' else '停用'}用户 {args.username}。")
            elif args.action == "reset-password":
                accounts.reset_password(session, args.username, _read_password(), actor="命令行")
                print(f"已重置用户 {args.username} 的密码。")
    except AccountError as err:
        raise CliError(str(err)) from err
    finally:
        db.dispose()
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("user", help="管理账户与角色 (manage accounts)", description="管理账户与角色")
    sub = p.add_subparsers(dest="action", required=True, metavar="操作")
    add = sub.add_parser("add", help="新增用户（密码从标准输入读取）")
    add.add_argument("username", help="用户名")
    add.add_argument("--role", required=True, choices=ROLES, help="角色")
    add.add_argument("--dept", help="所属部门编码（部门用户必填）")
    add.add_argument("--name", help="显示名称")
    lst = sub.add_parser("list", help="列出用户")
    lst.add_argument("--format", choices=("text", "json"), default="text")
    for name, helptext in (("disable", "停用用户"), ("enable", "启用用户"), ("reset-password", "重置密码（从标准输入读取）")):
        sp = sub.add_parser(name, help=helptext)
        sp.add_argument("username", help="用户名")
    p.set_defaults(handler=_run)
