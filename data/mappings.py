"""Saved import mappings (导入模板): how one department's export maps to a contract table.

An administrator confirms once per source which table a file holds, where its header is,
which header means which contract column and which value forms are rewritten (办理状态
"已办" → 已办结, 申请渠道 "网办" → 网上办理).  The mapping is stored with the fingerprint of
the source's header (:func:`data.layout.fingerprint`), so the next file with the same
headers is read the same way without a question.  Saving checks the mapping against the
contract: every column exists, required columns are covered, and every rewrite target is a
valid value of its column (a rewrite can never produce a value the contract refuses, and
it may not turn one valid value into another).  Every change is audited.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from data import audit, clock, contract
from data.aliases import normalize_name
from data.layout import HEADER_SCAN_ROWS, RewriteCount, fingerprint
from data.problems import column_label
from data.schema import import_mappings
from data.values import arrow_strings, parse_column, to_text

NAME_MAX = 64


class MappingError(ValueError):
    """A mapping that cannot be saved; ``reasons`` are Chinese messages, one per problem."""

    def __init__(self, reasons: Sequence[str]) -> None:
        super().__init__("；".join(reasons))
        self.reasons = tuple(reasons)


@dataclass(frozen=True)
class MappingSpec:
    """What the administrator confirms: a request to save or edit a mapping."""

    name: str
    table: str
    header_row: int
    headers: tuple[str, ...]
    """The source's header cells in order (the fingerprint is computed from them)."""
    columns: tuple[tuple[str, str | None], ...]
    """Each source header and the contract column id it fills (``None``: ignore the column)."""
    rewrites: tuple[tuple[str, str, str], ...] = ()
    """(column id, value as exported, contract value) triples."""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.headers)


@dataclass(frozen=True)
class SavedMapping:
    """A stored mapping."""

    id: int
    name: str
    table: str
    header_row: int
    fingerprint: str
    headers: tuple[str, ...]
    columns: tuple[tuple[str, str | None], ...]
    rewrites: tuple[tuple[str, str, str], ...]
    created_by: str
    created_at: dt.datetime
    updated_by: str | None
    updated_at: dt.datetime | None

    def lookup(self) -> dict[str, str]:
        """Normalised source header → contract column id ("" for a column to ignore)."""
        return {normalize_name(h): (cid or "") for h, cid in self.columns}

    def rewrite_table(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for cid, source, target in self.rewrites:
            out.setdefault(cid, {})[source.strip()] = target.strip()
        return out

    def spec(self) -> MappingSpec:
        return MappingSpec(self.name, self.table, self.header_row, self.headers, self.columns, self.rewrites)


def _valid_value(col: contract.Column, value: str) -> bool:
    parsed = parse_column(col, pd.Series([value], dtype="str"))
    return bool(parsed.present[0]) and not any(mask[0] for mask, _ in parsed.errors)


def check_spec(spec: MappingSpec) -> list[str]:
    """Every reason the mapping cannot be saved (empty when it can)."""
    reasons: list[str] = []
    name = spec.name.strip()
    if not name:
        reasons.append("模板名称不能为空")
    elif len(name) > NAME_MAX:
        reasons.append(f"模板名称不能超过 {NAME_MAX} 个字符")
    table = contract.TABLES_BY_ID.get(spec.table)
    if table is None:
        return [*reasons, f"「{spec.table}」不是数据合同中的表"]
    if not 1 <= spec.header_row <= HEADER_SCAN_ROWS:
        reasons.append(f"表头行应在第 1 至 {HEADER_SCAN_ROWS} 行之间")
    if not any(spec.headers):
        reasons.append("模板没有表头")
    chosen: dict[str, str] = {}
    for header, cid in spec.columns:
        if cid is None:
            continue
        if cid not in table.column_ids:
            reasons.append(f"「{header}」对应的「{cid}」不是{table.zh}（{table.id}）的列")
        elif cid in chosen:
            col = table.column(cid)
            reasons.append(f"「{chosen[cid]}」和「{header}」都对应到 {column_label(col)}，一列只能对应一个表头")
        else:
            chosen[cid] = header
    for col in table.columns:
        if (col.required or col.id in table.key) and col.id not in chosen:
            reasons.append(f"必填列 {column_label(col)} 没有对应的表头")
    seen: set[tuple[str, str]] = set()
    for cid, source, target in spec.rewrites:
        if cid not in table.column_ids:
            reasons.append(f"改写的列「{cid}」不是{table.zh}（{table.id}）的列")
            continue
        col = table.column(cid)
        src, tgt = source.strip(), target.strip()
        where = f"{column_label(col)} 的改写「{src}」→「{tgt}」"
        if not src:
            reasons.append(f"{column_label(col)} 的改写缺少原值")
        elif (cid, src) in seen:
            reasons.append(f"{column_label(col)} 的原值「{src}」有两条改写")
        seen.add((cid, src))
        if cid not in chosen:
            reasons.append(f"{where}：该列没有对应的表头")
        if not _valid_value(col, tgt):
            reasons.append(f"{where}：目标值不是该列的合法值")
        elif src == tgt:
            reasons.append(f"{where}：原值与目标值相同")
        elif src and _valid_value(col, src):
            reasons.append(f"{where}：原值已是合法值，不能改写为另一个合法值")
    return reasons


def _row(r: object) -> SavedMapping:
    columns = tuple((str(h), c) for h, c in json.loads(r.columns))  # type: ignore[attr-defined]
    return SavedMapping(
        id=r.id, name=r.name, table=r.table_id, header_row=r.header_row,  # type: ignore[attr-defined]
        fingerprint=r.fingerprint, headers=tuple(json.loads(r.headers)),  # type: ignore[attr-defined]
        columns=columns, rewrites=tuple(tuple(x) for x in json.loads(r.rewrites)),  # type: ignore[attr-defined,misc]
        created_by=r.created_by, created_at=r.created_at,  # type: ignore[attr-defined]
        updated_by=r.updated_by, updated_at=r.updated_at,  # type: ignore[attr-defined]
    )


def list_mappings(session: Session) -> tuple[SavedMapping, ...]:
    """Every saved mapping, by name."""
    rows = session.execute(select(import_mappings).order_by(import_mappings.c.name)).all()
    return tuple(_row(r) for r in rows)


def get_mapping(session: Session, name: str) -> SavedMapping | None:
    row = session.execute(select(import_mappings).where(import_mappings.c.name == name.strip())).first()
    return _row(row) if row is not None else None


def _values(spec: MappingSpec) -> dict[str, object]:
    return {
        "name": spec.name.strip(), "table_id": spec.table, "header_row": spec.header_row,
        "fingerprint": spec.fingerprint, "headers": json.dumps(list(spec.headers), ensure_ascii=False),
        "columns": json.dumps([list(c) for c in spec.columns], ensure_ascii=False),
        "rewrites": json.dumps([[c, s.strip(), t.strip()] for c, s, t in spec.rewrites], ensure_ascii=False),
    }


def _check_unique(session: Session, spec: MappingSpec, own_id: int | None) -> list[str]:
    c = import_mappings.c
    reasons = []
    for other in session.execute(
        select(c.id, c.name, c.fingerprint).where((c.name == spec.name.strip()) | (c.fingerprint == spec.fingerprint))
    ):
        if other.id == own_id:
            continue
        if other.name == spec.name.strip():
            reasons.append(f"已有名为「{other.name}」的模板")
        else:
            reasons.append(f"模板「{other.name}」已对应同样的表头，请编辑该模板")
    return reasons


LOCAL_TZ = clock.LOCAL_TZ


def _now() -> dt.datetime:
    """The current time in Asia/Shanghai, naive (as stored)."""
    return clock.local_now()


def save_mapping(session: Session, spec: MappingSpec, user: str) -> SavedMapping:
    """Store a new mapping; raises :class:`MappingError` with every reason it cannot be saved."""
    reasons = check_spec(spec) + _check_unique(session, spec, None)
    if reasons:
        raise MappingError(reasons)
    values = _values(spec) | {"created_by": user, "created_at": _now()}
    session.execute(insert(import_mappings).values(**values))
    audit.record(session, user, "保存导入模板", spec.name.strip(), table=spec.table, header_row=spec.header_row,
                 columns=len([c for c in spec.columns if c[1]]), rewrites=len(spec.rewrites))
    saved = get_mapping(session, spec.name)
    assert saved is not None
    return saved


def update_mapping(session: Session, mapping_id: int, spec: MappingSpec, user: str) -> SavedMapping:
    """Replace a stored mapping (name included); raises :class:`MappingError`."""
    old = session.execute(select(import_mappings.c.name).where(import_mappings.c.id == mapping_id)).scalar()
    if old is None:
        raise MappingError(["该导入模板不存在（可能已被删除）"])
    reasons = check_spec(spec) + _check_unique(session, spec, mapping_id)
    if reasons:
        raise MappingError(reasons)
    values = _values(spec) | {"updated_by": user, "updated_at": _now()}
    session.execute(update(import_mappings).where(import_mappings.c.id == mapping_id).values(**values))
    audit.record(session, user, "修改导入模板", spec.name.strip(), previous_name=old, table=spec.table,
                 rewrites=len(spec.rewrites))
    saved = get_mapping(session, spec.name)
    assert saved is not None
    return saved


def delete_mapping(session: Session, mapping_id: int, user: str) -> None:
    """Delete a stored mapping; raises :class:`MappingError` when it does not exist."""
    name = session.execute(select(import_mappings.c.name).where(import_mappings.c.id == mapping_id)).scalar()
    if name is None:
        raise MappingError(["该导入模板不存在（可能已被删除）"])
    session.execute(delete(import_mappings).where(import_mappings.c.id == mapping_id))
    audit.record(session, user, "删除导入模板", name)


def apply_rewrites(
    table: contract.Table, frame: pd.DataFrame, rewrites: Mapping[str, Mapping[str, str]]
) -> tuple[pd.DataFrame, tuple[RewriteCount, ...]]:
    """``frame`` with each exported value form replaced by its contract value, and the counts.

    Cells are compared trimmed; only exact matches change.  Every rewrite that changed a
    cell is counted, so the dry-run report lists it (never silently).  String columns are
    rewritten with Arrow kernels (a hash lookup and a take), so a million rows cost little."""
    counts: list[RewriteCount] = []
    out = frame
    for cid, table_rw in rewrites.items():
        if cid not in frame.columns or not table_rw:
            continue
        sources = list(table_rw)
        text = arrow_strings(to_text(frame[cid]))
        pos = pc.index_in(text, value_set=pa.array(sources, type=text.type))
        found = np.bincount(pos.fill_null(len(sources)).to_numpy(zero_copy_only=False), minlength=len(sources) + 1)
        if not found[:-1].any():
            continue
        if out is frame:
            out = frame.copy()
        hit = pc.is_valid(pos)
        targets = pc.take(pa.array([table_rw[s] for s in sources], type=text.type), pos)
        if frame[cid].dtype == object:
            column = frame[cid].copy()
            mask = hit.to_numpy(zero_copy_only=False)
            column[mask] = np.asarray(targets.filter(hit).to_pylist(), dtype=object)
            out[cid] = column
        else:
            merged = pc.if_else(hit, targets, arrow_strings(frame[cid]))
            out[cid] = pd.Series(merged, dtype="str", index=frame.index)
        label = column_label(table.column(cid))
        counts += [RewriteCount(label, src, table_rw[src], int(n)) for src, n in zip(sources, found, strict=False) if n]
    return out, tuple(counts)
