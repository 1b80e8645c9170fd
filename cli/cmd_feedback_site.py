"""``market-access feedback-site [--host] [--port]``: run the public feedback site.

A process of its own (uvicorn) on its own port, for the 区发展改革局 portal to link to;
it shares only the database with the dashboard.  No server banner is sent.  Behind the
portal's reverse proxy, pass ``--forwarded-allow-ips`` with the proxy's address so that
rate limits see the visitor's address rather than the proxy's.
"""

from __future__ import annotations

import argparse

from cli.dbargs import open_database
from cli.errors import CliError
from cli.server import check_port


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    helptext = "运行公众意见反馈网站（市场准入意见反馈渠道）(run the public feedback site)"
    p = subparsers.add_parser("feedback-site", help=helptext, description=helptext)
    p.add_argument("--host", default="127.0.0.1", help="监听地址 (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8502, help="端口 (default 8502)")
    p.add_argument("--forwarded-allow-ips", default="127.0.0.1",
                   help="信任其 X-Forwarded-For 的反向代理地址（逗号分隔，默认 127.0.0.1）")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from feedback.app import create_app
    from feedback.config import SiteConfig

    check_port(args.host, args.port)
    db = open_database(args)
    try:
        config = SiteConfig.default()
    except OSError as err:
        raise CliError(f"无法读取或创建反馈网站密钥：{err}") from err
    print(f"意见反馈网站地址：http://{args.host}:{args.port}", flush=True)
    try:
        uvicorn.run(create_app(db, config), host=args.host, port=args.port, server_header=False,
                    proxy_headers=True, forwarded_allow_ips=args.forwarded_allow_ips, log_level="warning")
    finally:
        db.dispose()
    return 0
