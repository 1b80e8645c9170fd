"""``market-access notify``: send each department its digest of red and yellow items, the
leaders the district digest (and, in a new month, the monthly digest with the PDF deck).

Run daily by cron or the systemd timer in ``deploy/systemd``; re-running the same day sends
only what is new, and failed deliveries are retried by the next run.
"""

from __future__ import annotations

import argparse

from cli.cmd_metrics import parse_date
from cli.dbargs import open_engine
from cli.errors import CliError

CHANNEL_NAMES = {"email": "邮件", "wecom": "企业微信", "dingtalk": "钉钉", "feishu": "飞书"}


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "notify",
        help="向各部门和领导推送红黄灯预警提醒 (send early-warning digests)",
        description="按今天（北京时间）的红黄灯，向各部门联系人发送本部门预警提醒，向领导发送全区汇总；"
                    "每月首次运行时向领导邮箱发送上月汇报材料（PDF）。同一天重复运行只发送新增事项，"
                    "失败的发送在下次运行时重试。",
    )
    p.add_argument("--dry-run", action="store_true", help="只显示将要发送的内容，不发送、不记录")
    p.add_argument("--today", metavar="日期", help="按该日期判定红黄灯（默认今天，北京时间），YYYY-MM-DD")
    p.add_argument("--base-url", metavar="地址", help="提醒中链接的看板地址（默认取预警设置 notify.base_url）")
    p.add_argument("--no-monthly", action="store_true", help="不发送月度汇总")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import httpx

    from followup.notify import DRY_RUN, FAILED, SENT, NotifyRequest, report_deck_builder, run_notify
    from followup.senders import ChannelSender, SendError, SmtpSettings
    from metrics.alert_settings import AlertSettingsError, current_settings

    today = parse_date(args.today, "日期 --today ") if args.today else None
    db, engine = open_engine(args)
    try:
        try:
            with db.session() as s:
                settings = current_settings(s).notify
            smtp = SmtpSettings.from_settings(settings)
        except (AlertSettingsError, SendError) as err:
            raise CliError(str(err)) from err
        request = NotifyRequest(today=today, dry_run=args.dry_run, base_url=args.base_url)
        builder = None if args.no_monthly else report_deck_builder(db, engine)
        with httpx.Client(timeout=settings.webhook_timeout_seconds) as http:
            try:
                report = run_notify(db, engine, request, ChannelSender(smtp, http), builder)
            except ValueError as err:
                raise CliError(str(err), exit_code=2) from err
    finally:
        db.dispose()
    for o in report.outcomes:
        r = o.recipient
        who = f"{r.name}（{r.dept_code or '领导'}，{CHANNEL_NAMES.get(r.channel, r.channel)}）"
        if o.status == DRY_RUN:
            print(f"[演练] {who} {o.subject}\n{o.text}\n")
        elif o.status in (SENT, FAILED):
            print(f"{o.status}：{who} {o.subject}" + (f" —— {o.error}" if o.error else ""))
    print(f"{report.today.isoformat()}：已发送 {report.count(SENT)} 份，失败 {report.count(FAILED)} 份，"
          f"无新事项 {sum(o.status == '无新事项' for o in report.outcomes)} 份"
          + ("（演练，未发送）" if args.dry_run else "") + "。")
    return 1 if report.count(FAILED) else 0
