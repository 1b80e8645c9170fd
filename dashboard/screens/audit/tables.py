"""The 操作日志 table as people read it: each entry's detail (stored as JSON with English
keys, so that it stays machine-readable) written as Chinese ``键：值`` text."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard.labels import has, t
from data import contract

COUNTS = ("added", "replaced", "unchanged")  # the order of an import's per-table counts


def _label(key: str) -> str:
    return t(f"audit_detail.{key}") if has(f"audit_detail.{key}") else key


def _tables() -> dict[str, str]:
    return {table.id: table.zh for table in contract.TABLES}


def _value(key: str, value: Any, depts: Mapping[str, str]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "dept" and isinstance(value, str):
        return depts.get(value, value)
    if key == "table" and isinstance(value, str):
        return _tables().get(value, value)
    if key == "counts" and isinstance(value, Mapping):
        names = _tables()
        return "；".join(
            f"{names.get(str(k), k)} " + " ".join(f"{_label(c)}{n}" for c, n in zip(COUNTS, v, strict=False))
            for k, v in value.items())
    if key == "rows" and isinstance(value, Mapping):
        names = _tables()
        return "；".join(f"{names.get(str(k), k)} {n}" for k, n in value.items())
    if isinstance(value, list | tuple):
        return "、".join(_value("", v, depts) for v in value) or "—"
    if isinstance(value, Mapping):
        return "；".join(f"{_label(str(k))}：{_value(str(k), v, depts)}" for k, v in value.items())
    return str(value)


def detail_text(raw: Any, depts: Mapping[str, str]) -> str | None:
    """One entry's detail as ``键：值，键：值`` in Chinese (department codes as names, table
    ids as the contract's table names); text that is not JSON is shown as it is."""
    if raw is None or (isinstance(raw, float) and pd.isna(raw)) or raw == "":
        return None
    try:
        detail = json.loads(raw)
    except (TypeError, ValueError):
        return str(raw)
    if not isinstance(detail, dict):
        return _value("", detail, depts)
    return "，".join(f"{_label(str(k))}：{_value(str(k), v, depts)}" for k, v in detail.items())


def readable(log: pd.DataFrame, depts: Mapping[str, str]) -> pd.DataFrame:
    """The log with its ``detail`` column as readable text."""
    return log.assign(detail=[detail_text(v, depts) for v in log["detail"]])
