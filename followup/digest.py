"""The texts of the reminders: a department's digest, the leaders' district digest and the
leaders' monthly digest, in markdown every channel renders (e-mail gets the same text).

Every figure comes from an :class:`metrics.alerts.AlertBoard`; nothing here judges a light.
Links point at the dashboard's 预警中心 page (``<base_url>/alerts``) filtered to the
department, kind and item, so a reader lands on the record.  Text that comes from imported
data (titles, names) is escaped so it cannot forge a link.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from urllib.parse import urlencode

from followup.senders import Attachment, Message
from metrics.alerts import AlertBoard, LightItem
from metrics.lights import KIND_NAMES, RED, YELLOW

ALERTS_PATH = "alerts"
"""URL path of the 预警中心 page (dashboard/navigation.py must give the page this url_path)."""

_MD = re.compile(r"([\\`*_{}\[\]()#+!|<>])")


def md(text: object) -> str:
    """``text`` with markdown metacharacters escaped and line breaks flattened."""
    return _MD.sub(r"\\\1", " ".join(str(text).split()))


def alerts_link(base_url: str, **params: str) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{base_url.rstrip('/')}/{ALERTS_PATH}" + (f"?{query}" if query else "")


def _item_line(item: LightItem, base_url: str) -> str:
    name = f"{KIND_NAMES[item.kind]} {item.item_id}" + (f" {item.title}" if item.title else "")
    link = alerts_link(base_url, dept=item.dept_code, kind=item.kind, id=item.item_id)
    urged = f"（已催办 {item.urgings} 次）" if item.urgings else ""
    return f"- [{md(name)}]({link})：{md(item.detail)}{urged}"


def _listing(items: Sequence[LightItem], base_url: str, max_listed: int, with_dept: bool = False) -> list[str]:
    lines: list[str] = []
    for light, label in ((RED, "红灯（已超时限）"), (YELLOW, "黄灯（临近时限）")):
        group = [i for i in items if i.light == light]
        if not group:
            continue
        lines.append(f"**{label} {len(group)} 项**")
        for item in group[:max_listed]:
            line = _item_line(item, base_url)
            lines.append(line.replace("- ", f"- {md(item.dept_name)}：", 1) if with_dept else line)
        if len(group) > max_listed:
            lines.append(f"- ……另有 {len(group) - max_listed} 项，请在预警中心查看")
        lines.append("")
    return lines


def department_digest(dept_code: str, dept_name: str, items: Sequence[LightItem], today: dt.date,
                      base_url: str, max_listed: int) -> Message:
    """One department's red and yellow items (those not yet sent today)."""
    red = sum(i.light == RED for i in items)
    yellow = sum(i.light == YELLOW for i in items)
    lines = [f"### {md(dept_name)}预警提醒（{today.isoformat()}）",
             f"红灯 **{red}** 项，黄灯 **{yellow}** 项（按工作日判定，含调休）。", ""]
    lines += _listing(items, base_url, max_listed)
    lines.append(f"[打开预警中心查看全部]({alerts_link(base_url, dept=dept_code)})")
    return Message(f"【预警提醒】{dept_name} {today.isoformat()}：红灯 {red} 项、黄灯 {yellow} 项", "\n".join(lines))


def district_digest(board: AlertBoard, items: Sequence[LightItem], base_url: str, max_listed: int) -> Message:
    """The leaders' digest: red and yellow counts per department, and the new red items."""
    totals = board.totals()
    lines = [f"### 全区预警汇总（{board.today.isoformat()}）",
             f"全区红灯 **{totals[RED]}** 项，黄灯 **{totals[YELLOW]}** 项。", ""]
    per_dept: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for c in board.counts():
        row = per_dept.setdefault(c.dept_code, [0, 0])
        row[0] += c.red
        row[1] += c.yellow
        names[c.dept_code] = c.dept_name
    ranked = sorted((d for d, (r, y) in per_dept.items() if r or y), key=lambda d: (-per_dept[d][0], d))
    for code in ranked:
        r, y = per_dept[code]
        lines.append(f"- [{md(names[code])}]({alerts_link(base_url, dept=code)})：红灯 {r} 项，黄灯 {y} 项")
    lines.append("")
    lines += _listing([i for i in items if i.light == RED], base_url, max_listed, with_dept=True)
    lines.append(f"[打开预警中心]({alerts_link(base_url)})")
    return Message(f"【全区预警汇总】{board.today.isoformat()}：红灯 {totals[RED]} 项、黄灯 {totals[YELLOW]} 项",
                   "\n".join(lines))


def monthly_digest(month: str, board: AlertBoard, base_url: str, deck: Attachment | None) -> Message:
    """The leaders' monthly digest for ``month`` (YYYY-MM), with the period's PDF deck attached."""
    totals = board.totals()
    lines = [f"### {month} 月度汇总", f"截至 {board.today.isoformat()}，全区红灯 **{totals[RED]}** 项，"
             f"黄灯 **{totals[YELLOW]}** 项。"]
    for kind, name in KIND_NAMES.items():
        t = board.totals(kind)
        if t[RED] or t[YELLOW]:
            lines.append(f"- {name}：红灯 {t[RED]} 项，黄灯 {t[YELLOW]} 项")
    lines.append("")
    lines.append(f"附件为 {month} 的汇报材料（PDF）。" if deck else "汇报材料请在看板“汇报材料”页生成。")
    lines.append(f"[打开预警中心]({alerts_link(base_url)})")
    return Message(f"【月度汇总】{month} 市场准入效能评估", "\n".join(lines), (deck,) if deck else ())
