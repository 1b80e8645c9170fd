"""``notify``: push today's red and yellow items to the people who must act on them.

Each department's contacts get one digest of that department's red and yellow items; the
district leaders' contacts (no department) get the district digest; in a new month the
leaders' e-mail also gets the monthly digest with the previous month's PDF deck.

Idempotent per day and item: every attempt is recorded (:mod:`data.deliveries`) under a
digest key (``daily:<date>``, ``monthly:<YYYY-MM>``); an item already delivered to a
recipient under today's key is not sent to it again, so a re-run sends only what is new,
and a failed attempt leaves its items unsent, so the next run retries them.  Each attempt
is committed on its own and every error is caught per recipient: one failing recipient
never stops the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from data import deliveries
from data.accounts import LEADER, Principal
from data.contacts import Contact, list_contacts
from data.db import Database
from followup.digest import department_digest, district_digest, monthly_digest
from followup.senders import Attachment, Message, Recipient
from metrics.alert_settings import current_settings, valid_base_url
from metrics.alerts import AlertBoard, AlertRequest, alert_board
from metrics.engine import MetricsEngine
from metrics.lights import today_local

NOTIFIER = Principal("notify", "预警提醒", LEADER)  # reads every department, changes nothing but deliveries
SENT, FAILED, NOTHING_NEW, DRY_RUN = "已发送", "发送失败", "无新事项", "演练"
MONTHLY_ITEM = "monthly"


class Sender(Protocol):
    def send(self, recipient: Recipient, message: Message) -> None: ...


DeckBuilder = Callable[[dt.date, dt.date], bytes]
"""``(first, last) -> PDF bytes`` of the deck for a month."""


@dataclass(frozen=True)
class NotifyRequest:
    today: dt.date | None = None  # default: today in Asia/Shanghai
    dry_run: bool = False
    base_url: str | None = None  # default: the notify.base_url setting

    @property
    def day(self) -> dt.date:
        return self.today or today_local()


@dataclass(frozen=True)
class Outcome:
    recipient: Recipient
    digest_key: str
    status: str  # SENT | FAILED | NOTHING_NEW | DRY_RUN
    item_count: int
    subject: str = ""
    error: str | None = None
    text: str = ""


@dataclass(frozen=True)
class NotifyReport:
    today: dt.date
    outcomes: tuple[Outcome, ...]

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)


def recipients(contacts: Sequence[Contact]) -> list[Recipient]:
    """Each active contact on each of its channels."""
    out: list[Recipient] = []
    for c in contacts:
        if not c.active:
            continue
        for channel, address, secret in (("email", c.email, None), ("wecom", c.wecom_url, None),
                                         ("dingtalk", c.dingtalk_url, c.dingtalk_secret),
                                         ("feishu", c.feishu_url, c.feishu_secret)):
            if address:
                digest = hashlib.sha256(address.encode()).hexdigest()[:12]
                out.append(Recipient(f"c{c.id}:{channel}:{digest}", c.id, c.name, c.dept_code, channel, address,
                                     secret))
    return out


def previous_month(day: dt.date) -> tuple[dt.date, dt.date]:
    last = day.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


class _Run:
    """One run's state: the database, the board, the sender and the outcomes so far."""

    def __init__(self, db: Database, sender: Sender, request: NotifyRequest) -> None:
        self.db, self.sender, self.request = db, sender, request
        self.outcomes: list[Outcome] = []

    def deliver(self, r: Recipient, digest_key: str, keys: list[str], message: Message) -> None:
        if self.request.dry_run:
            self.outcomes.append(Outcome(r, digest_key, DRY_RUN, len(keys), message.subject, text=message.markdown))
            return
        error: str | None = None
        try:
            self.sender.send(r, message)
        except Exception as err:  # one failing recipient never stops the others
            error = str(err) or err.__class__.__name__
        with self.db.session() as s:
            deliveries.record(s, digest_key=digest_key, recipient_key=r.key, contact_id=r.contact_id,
                              dept_code=r.dept_code, channel=r.channel, item_keys=keys, ok=error is None,
                              error=error)
        self.outcomes.append(Outcome(r, digest_key, SENT if error is None else FAILED, len(keys), message.subject,
                                     error, message.markdown))

    def unsent(self, r: Recipient, digest_key: str, keys: Sequence[str]) -> list[str]:
        with self.db.session() as s:
            done = deliveries.sent_items(s, digest_key, r.key)
        return [k for k in keys if k not in done]


def run_notify(db: Database, engine: MetricsEngine, request: NotifyRequest, sender: Sender,
               deck_builder: DeckBuilder | None = None) -> NotifyReport:
    """Send today's digests (and the monthly one when due); see the module docstring."""
    today = request.day
    with db.session() as s:
        settings = current_settings(s).notify
        board: AlertBoard = alert_board(s, engine.data, NOTIFIER, AlertRequest(today))
        contacts = list_contacts(s, active_only=True)
    base_url = (request.base_url or settings.base_url).rstrip("/")
    if not valid_base_url(base_url):
        raise ValueError(f"看板地址 {base_url!r} 应为 http:// 或 https:// 开头的完整地址。")
    run = _Run(db, sender, request)
    daily = f"daily:{today.isoformat()}"
    names = engine.data.dept_names
    targets = recipients(contacts)
    for r in targets:
        items = board.warnings(r.dept_code)
        fresh = set(run.unsent(r, daily, [i.key for i in items]))
        new = [i for i in items if i.key in fresh]
        if not new:
            run.outcomes.append(Outcome(r, daily, NOTHING_NEW, 0))
            continue
        if r.dept_code is None:
            message = district_digest(board, new, base_url, settings.max_listed)
        else:
            message = department_digest(r.dept_code, names.get(r.dept_code, r.dept_code), new, today, base_url,
                                        settings.max_listed)
        run.deliver(r, daily, [i.key for i in new], message)

    if today.day >= settings.monthly_day and deck_builder is not None:
        first, last = previous_month(today)
        month = first.strftime("%Y-%m")
        key = f"monthly:{month}"
        due = [r for r in targets if r.dept_code is None and r.channel == "email"
               and run.unsent(r, key, [MONTHLY_ITEM])]
        if due:
            deck: Attachment | None = None
            problem: str | None = None
            if not request.dry_run:
                try:
                    deck = Attachment(f"市场准入效能评估汇报材料_{month}.pdf", deck_builder(first, last))
                except Exception as err:  # recorded below and retried next run
                    problem = f"生成汇报材料失败：{err}"
            message = monthly_digest(month, board, base_url, deck)
            for r in due:
                if problem is None:
                    run.deliver(r, key, [MONTHLY_ITEM], message)
                    continue
                with db.session() as s:
                    deliveries.record(s, digest_key=key, recipient_key=r.key, contact_id=r.contact_id,
                                      dept_code=None, channel=r.channel, item_keys=[MONTHLY_ITEM], ok=False,
                                      error=problem)
                run.outcomes.append(Outcome(r, key, FAILED, 1, message.subject, problem))
    return NotifyReport(today, tuple(run.outcomes))


def report_deck_builder(db: Database, engine: MetricsEngine) -> DeckBuilder:
    """The month's district deck as PDF, through the report package's public export."""

    def build(first: dt.date, last: dt.date) -> bytes:
        from metrics.results import MetricsRequest
        from report.export import export_deck
        from report.tasks import database_source

        return export_deck(engine, MetricsRequest(first, last), None, "pdf", tasks=database_source(db))

    return build
