"""Reminder contacts per department, kept by the administrator.

A contact belongs to one department (or, with no department, to the district leaders) and
has a name and at least one way to reach it: an e-mail address and/or group-robot webhooks
in the formats Chinese offices use (企业微信, 钉钉 with its 加签 secret, 飞书 with its optional
signing secret).  Every change is validated as a whole and audited; the audit entry names
the channels set but never a secret or a webhook's access token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from urllib.parse import urlsplit

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from data import audit
from data.accounts import Principal
from data.schema import CONTRACT, contacts
from data.urgings import local_now

EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")
SECRET = re.compile(r"^[\x21-\x7e]{1,128}$")
CHANNELS = ("email", "wecom", "dingtalk", "feishu")
CHANNEL_NAMES = {"email": "电子邮件", "wecom": "企业微信", "dingtalk": "钉钉", "feishu": "飞书"}


class ContactError(ValueError):
    """A refused contact change; ``str(err)`` is a Chinese message listing every problem."""


@dataclass(frozen=True)
class Contact:
    """A contact as stored (``dept_code`` None: a district leader)."""

    name: str
    dept_code: str | None = None
    email: str | None = None
    wecom_url: str | None = None
    dingtalk_url: str | None = None
    dingtalk_secret: str | None = None
    feishu_url: str | None = None
    feishu_secret: str | None = None
    active: bool = True
    id: int | None = None

    @property
    def channels(self) -> tuple[str, ...]:
        """The channels this contact can be reached on."""
        have = {"email": self.email, "wecom": self.wecom_url, "dingtalk": self.dingtalk_url,
                "feishu": self.feishu_url}
        return tuple(c for c in CHANNELS if have[c])


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _webhook_ok(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("https", "http") and bool(parts.hostname) and not parts.username and " " not in url


def _validate(session: Session, c: Contact) -> Contact:
    c = replace(c, name=(c.name or "").strip(), dept_code=_clean(c.dept_code), email=_clean(c.email),
                wecom_url=_clean(c.wecom_url), dingtalk_url=_clean(c.dingtalk_url),
                dingtalk_secret=_clean(c.dingtalk_secret), feishu_url=_clean(c.feishu_url),
                feishu_secret=_clean(c.feishu_secret))
    problems: list[str] = []
    if not c.name:
        problems.append("联系人姓名不能为空")
    elif len(c.name) > 64:
        problems.append("联系人姓名不超过 64 个字")
    if c.dept_code is not None:
        t = CONTRACT["departments"]
        if session.execute(select(t.c.dept_code).where(t.c.dept_code == c.dept_code)).first() is None:
            problems.append(f"部门编码 {c.dept_code} 不存在")
    if c.email is not None and (len(c.email) > 254 or not EMAIL.match(c.email)):
        problems.append(f"电子邮箱 {c.email} 格式不正确")
    for label, url in (("企业微信", c.wecom_url), ("钉钉", c.dingtalk_url), ("飞书", c.feishu_url)):
        if url is not None and (len(url) > 2000 or not _webhook_ok(url)):
            problems.append(f"{label}群机器人地址应为 https:// 开头的完整地址")
    for label, secret, url in (("钉钉", c.dingtalk_secret, c.dingtalk_url), ("飞书", c.feishu_secret, c.feishu_url)):
        if secret is not None and not SECRET.match(secret):
            problems.append(f"{label}签名密钥只能由可见的英文字符组成（不超过 128 位）")
        if secret is not None and url is None:
            problems.append(f"填写了{label}签名密钥但没有{label}群机器人地址")
    if c.dingtalk_url is not None and c.dingtalk_secret is None:
        problems.append("钉钉群机器人须填写加签密钥（安全设置“加签”）")
    if not c.channels:
        problems.append("至少填写电子邮箱或一个群机器人地址")
    if problems:
        raise ContactError("；".join(problems) + "。")
    return c


def _audit_detail(c: Contact) -> dict[str, object]:
    return {"dept": c.dept_code, "name": c.name, "channels": list(c.channels), "active": c.active}


def _require_admin(actor: Principal) -> None:
    if not actor.is_admin:
        raise ContactError("只有管理员可以维护提醒联系人。")


def add_contact(session: Session, actor: Principal, contact: Contact) -> int:
    """Add a contact (administrator only); returns its id."""
    _require_admin(actor)
    c = _validate(session, contact)
    values = {f.name: getattr(c, f.name) for f in fields(c) if f.name != "id"}
    new_id = session.execute(insert(contacts).values(**values, updated_by=actor.username, updated_at=local_now())
                             .returning(contacts.c.id)).scalar_one()
    audit.record(session, actor.username, "新增提醒联系人", f"联系人{new_id}", **_audit_detail(c))
    return int(new_id)


def update_contact(session: Session, actor: Principal, contact_id: int, contact: Contact) -> None:
    """Replace a contact's fields (administrator only)."""
    _require_admin(actor)
    c = _validate(session, contact)
    values = {f.name: getattr(c, f.name) for f in fields(c) if f.name != "id"}
    res = session.execute(update(contacts).where(contacts.c.id == contact_id)
                          .values(**values, updated_by=actor.username, updated_at=local_now()))
    if res.rowcount == 0:  # type: ignore[attr-defined]
        raise ContactError(f"提醒联系人 {contact_id} 不存在。")
    audit.record(session, actor.username, "修改提醒联系人", f"联系人{contact_id}", **_audit_detail(c))


def delete_contact(session: Session, actor: Principal, contact_id: int) -> None:
    """Delete a contact (administrator only); its delivery history is kept."""
    _require_admin(actor)
    res = session.execute(delete(contacts).where(contacts.c.id == contact_id))
    if res.rowcount == 0:  # type: ignore[attr-defined]
        raise ContactError(f"提醒联系人 {contact_id} 不存在。")
    audit.record(session, actor.username, "删除提醒联系人", f"联系人{contact_id}")


def list_contacts(session: Session, *, active_only: bool = False) -> list[Contact]:
    """Every contact, departments first by code, then the district leaders."""
    c = contacts.c
    stmt = select(contacts).order_by(c.dept_code.is_(None), c.dept_code, c.id)
    if active_only:
        stmt = stmt.where(c.active.is_(True))
    return [Contact(name=r.name, dept_code=r.dept_code, email=r.email, wecom_url=r.wecom_url,
                    dingtalk_url=r.dingtalk_url, dingtalk_secret=r.dingtalk_secret, feishu_url=r.feishu_url,
                    feishu_secret=r.feishu_secret, active=bool(r.active), id=r.id)
            for r in session.execute(stmt)]
