"""The public feedback form (市场准入意见反馈) as data: problem types and field checks.

NDRC's three problem types; 违规设置隐性壁垒 needs one of its sub-types.  :func:`check`
turns the raw fields into a :class:`Submission` or a Chinese message per field, so the web
site and any other entry point refuse the same things the same way.  The unified social
credit code is checked with the project's GB 32100 validator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from data.values import is_valid_uscc

PROHIBITED, LICENSED, HIDDEN = "违规审批禁止准入事项", "违规审批许可准入事项", "违规设置隐性壁垒"
PROBLEM_TYPES = (PROHIBITED, LICENSED, HIDDEN)
HIDDEN_SUB_TYPES = ("国家已放开地方仍审批", "另设条件", "监管能力不足不敢批", "审批互为前置", "跨区域重复审批", "其他")
FIELDS = ("reporter", "uscc", "phone", "problem_type", "sub_type", "dept_code", "item_concerned", "description")
LABELS = {
    "reporter": "企业或个人名称", "uscc": "统一社会信用代码", "phone": "联系电话", "problem_type": "问题类型",
    "sub_type": "隐性壁垒具体情形", "dept_code": "涉及部门", "item_concerned": "涉及事项", "description": "问题描述",
}
MAX_LEN = {"reporter": 100, "item_concerned": 200, "description": 2000}
MIN_DESCRIPTION = 10
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")


@dataclass(frozen=True)
class Submission:
    """A checked feedback: every field valid (optional ones None when empty)."""

    reporter: str
    uscc: str | None
    phone: str
    problem_type: str
    sub_type: str | None
    dept_code: str | None
    item_concerned: str | None
    description: str


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value).replace("+86", "", 1)


def check(raw: Mapping[str, str], departments: set[str]) -> tuple[Submission | None, dict[str, str]]:
    """The submission, or the Chinese message of each bad field (``departments``: the valid codes)."""
    v = {f: str(raw.get(f) or "").strip() for f in FIELDS}
    errors: dict[str, str] = {}
    for f in ("reporter", "phone", "problem_type", "description"):
        if not v[f]:
            errors[f] = f"请填写{LABELS[f]}。"
    for f, limit in MAX_LEN.items():
        if len(v[f]) > limit:
            errors[f] = f"{LABELS[f]}不能超过 {limit} 个字。"
    if v["description"] and "description" not in errors and len(v["description"]) < MIN_DESCRIPTION:
        errors["description"] = f"问题描述至少 {MIN_DESCRIPTION} 个字，请写明具体情况。"
    uscc = v["uscc"].upper()
    if uscc and not is_valid_uscc(uscc):
        errors["uscc"] = "统一社会信用代码不正确（应为 18 位，且校验位符合国家标准 GB 32100）。"
    phone = normalise_phone(v["phone"])
    if phone and not (_MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone)):
        errors["phone"] = "联系电话格式不正确：请填写 11 位手机号码或带区号的固定电话（如 0750-3888888）。"
    if v["problem_type"] and v["problem_type"] not in PROBLEM_TYPES:
        errors["problem_type"] = "请选择问题类型。"
    if v["problem_type"] == HIDDEN:
        if v["sub_type"] not in HIDDEN_SUB_TYPES:
            errors["sub_type"] = "选择“违规设置隐性壁垒”时，请选择具体情形。"
    elif v["sub_type"]:
        errors["sub_type"] = "只有“违规设置隐性壁垒”需要选择具体情形。"
    if v["dept_code"] and v["dept_code"] not in departments:
        errors["dept_code"] = "涉及部门不在本区部门名单中，请重新选择（不清楚可选“不清楚”）。"
    if errors:
        return None, errors
    return Submission(
        reporter=v["reporter"], uscc=uscc or None, phone=phone, problem_type=v["problem_type"],
        sub_type=v["sub_type"] or None, dept_code=v["dept_code"] or None,
        item_concerned=v["item_concerned"] or None, description=v["description"],
    ), {}
