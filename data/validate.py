"""Validate one contract table of an import batch, all rows at once.

:func:`validate_table` parses every column with :mod:`data.values`, fills defaults, and
applies every rule of ``data-contract.md``: required values, kinds, enumerations, lengths,
the cross-column rules of each table (time order, status rules, limits), references to
other tables (in the database or in the same batch), duplicate keys within the batch and
the no-future rule.  Each rule is one vectorised mask over the whole table, so a
million-row file is checked in seconds; every bad row is reported, not only the first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Connection

from data.contract import Column, Kind, Table
from data.problems import Problem, column_label
from data.readers import Sheet
from data.schema import CONTRACT
from data.values import Parsed, cell_text, parse_column

Reason = str | np.ndarray


@dataclass(frozen=True)
class RawTable:
    """All rows of one contract table in a batch, possibly from several files or sheets.

    ``origin[i]`` indexes ``origins`` (file, sheet) and ``rows[i]`` is the Excel row number.
    """

    table: Table
    frame: pd.DataFrame
    rows: np.ndarray
    origin: np.ndarray
    origins: tuple[tuple[str, str | None], ...]

    @classmethod
    def combine(cls, sheets: Sequence[Sheet]) -> RawTable:
        """Stack the sheets of one table (in the given order)."""
        table = sheets[0].table
        frames = [s.frame for s in sheets]
        frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        rows = np.concatenate([s.rows for s in sheets]) if sheets else np.zeros(0, np.int64)
        origin = np.concatenate([np.full(len(s.frame), i, dtype=np.int32) for i, s in enumerate(sheets)])
        return cls(table, frame, rows, origin, tuple((s.file, s.sheet) for s in sheets))


@dataclass(frozen=True)
class Validated:
    """A table's rows typed with contract ids and stored values (defaults filled), plus its problems."""

    raw: RawTable
    frame: pd.DataFrame
    problems: tuple[Problem, ...]

    @property
    def table(self) -> Table:
        return self.raw.table


@dataclass
class References:
    """The codes other tables may refer to: those in the database, updated by the batch."""

    dept_types: dict[str, str] = field(default_factory=dict)
    item_codes: set[str] = field(default_factory=set)
    nl_codes: set[str] = field(default_factory=set)
    nl_versions: set[str] = field(default_factory=set)
    nl_dates: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"version": [], "nl_code": [], "effective_date": []})
    )

    @classmethod
    def load(cls, conn: Connection) -> References:
        """The referable codes currently in the database (small tables only)."""
        dep = CONTRACT["departments"]
        items = CONTRACT["service_items"]
        nl = CONTRACT["negative_list"]
        dept_types = {code: kind for code, kind in conn.execute(select(dep.c.dept_code, dep.c.dept_type))}
        item_codes = {code for (code,) in conn.execute(select(items.c.item_code))}
        nl_rows = conn.execute(select(nl.c.version, nl.c.nl_code, nl.c.effective_date)).all()
        nl_dates = pd.DataFrame(
            {
                "version": [r[0] for r in nl_rows],
                "nl_code": [r[1] for r in nl_rows],
                "effective_date": pd.to_datetime([r[2] for r in nl_rows]),
            }
        )
        return cls(
            dept_types, item_codes, set(nl_dates["nl_code"]), set(nl_dates["version"]), nl_dates
        )

    def add(self, table: Table, frame: pd.DataFrame) -> None:
        """Make the batch's own rows of ``table`` referable."""
        if table.id == "departments":
            ok = frame["dept_code"].notna()
            types = frame["dept_type"].astype(object).where(frame["dept_type"].notna(), "")
            self.dept_types.update(zip(frame["dept_code"][ok], types[ok], strict=True))
        elif table.id == "service_items":
            self.item_codes.update(frame["item_code"].dropna())
        elif table.id == "negative_list":
            self.nl_codes.update(frame["nl_code"].dropna())
            self.nl_versions.update(frame["version"].dropna())

    def exists(self, col: Column, values: pd.Series) -> np.ndarray:
        """Which values of a referring column exist in the table it refers to."""
        if col.ref == "departments":
            known: set[str] | dict[str, str] = self.dept_types
        elif col.ref == "service_items":
            known = self.item_codes
        elif col.ref == "negative_list":
            known = self.nl_versions if col.id == "version" else self.nl_codes
        else:
            raise ValueError(f"unknown reference {col.ref!r}")
        return values.isin(list(known)).to_numpy()  # type: ignore[no-any-return]


_REF_NAMES = {
    "departments": "部门（departments）",
    "service_items": "政务服务事项（service_items）",
    "negative_list": "负面清单事项（negative_list）",
}


class _Collector:
    """Problems of one table, gathered as masks and turned into :class:`Problem` at the end."""

    def __init__(self, raw: RawTable) -> None:
        self.raw = raw
        self.parts: list[tuple[np.ndarray, Column | None, Reason, np.ndarray | None]] = []
        self.flagged: dict[str, np.ndarray] = {}

    def add(self, mask: np.ndarray | pd.Series, col: Column | None, reason: Reason,
            values: np.ndarray | None = None, *, show_value: bool = True) -> None:
        """Report every row of ``mask`` at ``col``; ``reason``/``values`` are scalar or per flagged row."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        if col is not None:
            prev = self.flagged.get(col.id)
            self.flagged[col.id] = mask.copy() if prev is None else (prev | mask)
        if values is None and show_value and col is not None and col.id in self.raw.frame.columns:
            values = self._display(col.id, mask)
        self.parts.append((mask, col, reason, values))

    def bad(self, col_id: str) -> np.ndarray:
        out = self.flagged.get(col_id)
        return out if out is not None else np.zeros(len(self.raw.frame), dtype=bool)

    def _display(self, col_id: str, mask: np.ndarray) -> np.ndarray:
        cells = self.raw.frame[col_id].to_numpy(dtype=object)[mask]
        out = []
        for cell in cells:
            text = cell_text(cell)
            out.append(str(text).strip() or None if text is not None else None)
        return np.array(out, dtype=object)

    def problems(self) -> list[Problem]:
        raw = self.raw
        out: list[Problem] = []
        for mask, col, reason, values in self.parts:
            idx = np.flatnonzero(mask)
            label = column_label(col) if col is not None else None
            reasons = reason if isinstance(reason, np.ndarray) else None
            for n, i in enumerate(idx):
                file, sheet = raw.origins[raw.origin[i]]
                value = values[n] if values is not None else None
                out.append(Problem(
                    file=file, sheet=sheet, table=raw.table.id, row=int(raw.rows[i]), column=label,
                    value=value, reason=str(reasons[n]) if reasons is not None else str(reason),
                ))
        return out


def _max_length(table: Table, col: Column) -> int | None:
    return getattr(CONTRACT[table.id].c[col.id].type, "length", None)


_EMPTY_DTYPES = {
    Kind.TEXT: "str", Kind.ENUM: "str", Kind.USCC: "str", Kind.BOOL: "boolean", Kind.INT: "Int64",
    Kind.RATING: "Int64", Kind.NUMBER: "float64", Kind.DATE: "datetime64[ns]", Kind.DATETIME: "datetime64[ns]",
}


def _with_default(col: Column, values: pd.Series) -> pd.Series:
    """Stored values: defaults filled; booleans plain ``bool`` (always known after defaults)."""
    if col.kind is Kind.BOOL:
        return values.fillna(bool(col.default)).astype(bool)
    if col.default is not None:
        filled = values.fillna(col.default)
        return filled.astype("int64") if col.kind is Kind.INT else filled
    return values


def validate_table(raw: RawTable, refs: References, now: dt.datetime) -> Validated:
    """Check every rule for one table of the batch; ``now`` is the import moment (local, naive)."""
    table = raw.table
    n = len(raw.frame)
    problems = _Collector(raw)
    parsed: dict[str, Parsed] = {}
    values: dict[str, pd.Series] = {}
    present: dict[str, np.ndarray] = {}
    index = pd.RangeIndex(n)
    frame = raw.frame.set_axis(index, axis=0) if not isinstance(raw.frame.index, pd.RangeIndex) else raw.frame
    for col in table.columns:
        if col.id in frame.columns:
            p = parse_column(col, frame[col.id])
            parsed[col.id] = p
            for mask, reason in p.errors:
                problems.add(mask, col, reason)
            if col.required or col.id in table.key:
                problems.add(~p.present, col, "必填项为空", show_value=False)
            vals = p.values
            limit = _max_length(table, col)
            if limit and col.kind in (Kind.TEXT, Kind.USCC, Kind.ENUM):
                too_long = (vals.str.len() > limit).fillna(False).to_numpy(dtype=bool)
                problems.add(too_long, col, f"长度超过 {limit} 个字符")
                vals = vals.mask(too_long)
            values[col.id] = vals
            present[col.id] = p.present
        else:
            values[col.id] = pd.Series(pd.NA, index=index, dtype=_EMPTY_DTYPES[col.kind])
            present[col.id] = np.zeros(n, dtype=bool)

    rules = _TABLE_RULES.get(table.id)
    if rules is not None:
        rules(table, values, present, problems, refs)
    _check_references(table, values, problems, refs)
    _check_no_future(table, values, problems, now)
    _check_duplicates(table, values, problems)

    typed = pd.DataFrame({c.id: _with_default(c, values[c.id]) for c in table.columns}, index=index)
    return Validated(raw, typed, tuple(problems.problems()))


# --- generic rules ---------------------------------------------------------------------------

def _check_references(table: Table, values: dict[str, pd.Series], problems: _Collector, refs: References) -> None:
    for col in table.columns:
        if col.ref is None:
            continue
        vals = values[col.id]
        has = vals.notna().to_numpy()
        if not has.any():
            continue
        exists = refs.exists(col, vals)
        missing = has & ~exists
        target = _REF_NAMES[col.ref]
        what = "清单版本" if col.id == "version" else "编码"
        problems.add(missing, col, f"引用的{target}中没有该{what}（数据库和本批导入中都没有）")
        if col.id == "street_code":
            ok = has & exists
            types = vals[ok].map(refs.dept_types)
            wrong = types.ne("街道").to_numpy()
            if wrong.any():
                mask = np.zeros(len(vals), dtype=bool)
                mask[np.flatnonzero(ok)[wrong]] = True
                reasons = np.array(
                    [f"街道编码应为部门类型为「街道」的部门（该部门类型为「{t or '未知'}」）" for t in types[wrong]],
                    dtype=object,
                )
                problems.add(mask, col, reasons)


def _check_no_future(table: Table, values: dict[str, pd.Series], problems: _Collector, now: dt.datetime) -> None:
    cutoff = pd.Timestamp(now) + pd.Timedelta(days=1)
    for col in table.columns:
        if not col.happened:
            continue
        late = (values[col.id] > cutoff).fillna(False).to_numpy(dtype=bool)
        problems.add(late, col, f"晚于导入时间（{now:%Y-%m-%d %H:%M}）一天以上：已发生的事不能在未来")


def _key_text(values: dict[str, pd.Series], table: Table, mask: np.ndarray) -> np.ndarray:
    parts = []
    for cid in table.key:
        s = values[cid][mask]
        if table.column(cid).kind is Kind.DATE:
            s = s.dt.strftime("%Y-%m-%d")
        parts.append(s.astype(object).to_numpy())
    return np.array([" / ".join(map(str, row)) for row in zip(*parts, strict=True)], dtype=object)


def _check_duplicates(table: Table, values: dict[str, pd.Series], problems: _Collector) -> None:
    keys = pd.DataFrame({cid: values[cid] for cid in table.key})
    complete = keys.notna().all(axis=1).to_numpy()
    if not complete.any():
        return
    dup = np.zeros(len(keys), dtype=bool)
    dup[complete] = keys[complete].duplicated(keep=False).to_numpy()
    if not dup.any():
        return
    raw = problems.raw
    sub = keys[dup]
    group = sub.groupby(list(table.key), sort=False, dropna=False).ngroup().to_numpy()
    positions = np.flatnonzero(dup)
    first_of: dict[int, int] = {}
    second_of: dict[int, int] = {}
    for g, pos in zip(group, positions, strict=True):
        if g not in first_of:
            first_of[g] = int(pos)
        elif g not in second_of:
            second_of[g] = int(pos)

    def where(pos: int) -> str:
        file, sheet = raw.origins[raw.origin[pos]]
        place = f"{file}" + (f"「{sheet}」" if sheet else "")
        return f"{place} 第 {raw.rows[pos]} 行"

    key_text = _key_text(values, table, dup)
    key_names = "、".join(table.column(c).zh for c in table.key)
    reasons = []
    for g, pos, text in zip(group, positions, key_text, strict=True):
        other = second_of[g] if pos == first_of[g] else first_of[g]
        reasons.append(f"键（{key_names}：{text}）在本批导入中重复，另见 {where(other)}")
    problems.add(dup, table.column(table.key[0]), np.array(reasons, dtype=object), key_text)


# --- rules of single tables -------------------------------------------------------------------

Values = dict[str, pd.Series]
Present = dict[str, np.ndarray]


def _np(s: pd.Series, fill: object = False) -> np.ndarray:
    return s.fillna(fill).to_numpy(dtype=bool)  # type: ignore[no-any-return]


def _eq(s: pd.Series, value: str) -> np.ndarray:
    return _np(s == value)


def _per_row(template: str, values: pd.Series, mask: np.ndarray) -> np.ndarray:
    return np.array([template.format(v) for v in values[mask]], dtype=object)


def _check_order(table: Table, chain: Sequence[str], values: Values, problems: _Collector) -> None:
    """Each present value of ``chain`` must not be earlier than the last present one before it."""
    n = len(next(iter(values.values())))
    prev = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    prev_name = np.full(n, -1, dtype=np.int64)
    for pos, cid in enumerate(chain):
        cur = values[cid].to_numpy(dtype="datetime64[ns]")
        have = ~np.isnat(cur)
        earlier = have & ~np.isnat(prev) & (cur < prev)
        if earlier.any():
            col = table.column(cid)
            reasons = []
            for name_pos, when in zip(prev_name[earlier], prev[earlier], strict=True):
                other = table.column(chain[name_pos])
                stamp = pd.Timestamp(when)
                text = stamp.strftime("%Y-%m-%d") if col.kind is Kind.DATE else stamp.strftime("%Y-%m-%d %H:%M:%S")
                reasons.append(f"{col.zh}早于{other.zh}（{text}）")
            problems.add(earlier, col, np.array(reasons, dtype=object))
        prev = np.where(have, cur, prev)
        prev_name = np.where(have, pos, prev_name)


def _rules_negative_list(table: Table, v: Values, p: Present, problems: _Collector, refs: References) -> None:
    ok = (v["version"].notna() & v["nl_code"].notna() & v["effective_date"].notna()).to_numpy()
    if not ok.any():
        return
    batch = pd.DataFrame({"version": v["version"][ok].astype(object), "nl_code": v["nl_code"][ok].astype(object),
                          "effective_date": v["effective_date"][ok]})
    db = refs.nl_dates
    if len(db):
        replaced = pd.MultiIndex.from_frame(db[["version", "nl_code"]]).isin(
            pd.MultiIndex.from_frame(batch[["version", "nl_code"]])
        )
        db = db[~replaced]
    reference: dict[str, pd.Timestamp] = {}
    for version, dates in batch.groupby("version")["effective_date"]:
        kept = db.loc[db["version"] == version, "effective_date"]
        pool = kept if len(kept) else dates
        counts = pool.value_counts()
        reference[str(version)] = counts[counts == counts.max()].index.min()
    expected = batch["version"].map(reference)
    wrong_sub = (batch["effective_date"] != expected).to_numpy()
    if wrong_sub.any():
        mask = np.zeros(len(ok), dtype=bool)
        mask[np.flatnonzero(ok)[wrong_sub]] = True
        reasons = np.array(
            [f"同一清单版本（{ver}）各行的生效日期应相同（该版本生效日期为 {ref:%Y-%m-%d}）"
             for ver, ref in zip(batch["version"][wrong_sub], expected[wrong_sub], strict=True)],
            dtype=object,
        )
        problems.add(mask, table.column("effective_date"), reasons)


def _rules_service_items(table: Table, v: Values, p: Present, problems: _Collector, refs: References) -> None:
    legal, promised = v["legal_limit_days"], v["promised_limit_days"]
    over = _np((legal > 0) & (promised > legal))
    if over.any():
        reasons = np.array(
            [f"承诺办结时限（{a}）不能超过法定办结时限（{b}）" for a, b in zip(promised[over], legal[over], strict=True)],
            dtype=object,
        )
        problems.add(over, table.column("promised_limit_days"), reasons)
    full = _np(v["full_online"] == True)  # noqa: E712 - nullable boolean comparison
    online = _np(v["online_available"] == True)  # noqa: E712
    problems.add(full & ~online & ~problems.bad("online_available"), table.column("full_online"),
                 "全程网办为「是」时网上可办也必须为「是」")


APP_CHAIN = ("submitted_at", "accepted_at", "reviewed_at", "decided_at", "completed_at")
CASE_CHAIN = ("received_date", "transferred_date", "verified_date", "rectified_date", "closed_date")


def _rules_applications(table: Table, v: Values, p: Present, problems: _Collector, refs: References) -> None:
    _check_order(table, APP_CHAIN, v, problems)
    status = v["status"]
    known = status.notna().to_numpy()
    col = table.column
    need_accept = known & ~status.isin(("不予受理", "撤回")).to_numpy() & ~p["accepted_at"]
    problems.add(need_accept, col("accepted_at"),
                 _per_row("办理状态为「{}」时受理时间必填（只有不予受理或撤回的办件可以没有受理时间）", status, need_accept))
    done = _eq(status, "已办结")
    problems.add(done & ~p["completed_at"], col("completed_at"), "办理状态为「已办结」时办结时间必填",
                 show_value=False)
    problems.add(_eq(status, "在办") & p["completed_at"], col("completed_at"), "办理状态为「在办」时办结时间应为空")
    stray = known & ~done & p["result"]
    problems.add(stray, col("result"), _per_row("只有已办结的办件才有办理结果（办理状态为「{}」）", status, stray))


def _rules_cases(table: Table, v: Values, p: Present, problems: _Collector, refs: References) -> None:
    _check_order(table, CASE_CHAIN, v, problems)
    col = table.column
    status, verified = v["status"], v["verified"]
    verified_bad = problems.bad("verified")
    true_ = _eq(verified, "属实")
    untrue = _eq(verified, "不属实")
    st_untrue = _eq(status, "不属实")
    problems.add(st_untrue & ~untrue & ~verified_bad, col("verified"), "办理状态为「不属实」时核查结论应为「不属实」")
    rectifying = _np(status.isin(("整改中", "已整改")))
    problems.add(rectifying & ~true_ & ~verified_bad, col("verified"),
                 _per_row("办理状态为「{}」时核查结论应为「属实」", status, rectifying & ~true_ & ~verified_bad))
    key_true = _np(v["key_case"] == True) & true_  # noqa: E712
    problems.add(key_true & ~p["rectify_deadline"], col("rectify_deadline"),
                 "重点督办且核查属实的线索必须填写整改时限", show_value=False)
    problems.add(key_true & ~p["responsible_person"], col("responsible_person"),
                 "重点督办且核查属实的线索必须填写责任人", show_value=False)
    need_rectified = (_eq(status, "已整改") | (_eq(status, "已办结") & true_)) & ~p["rectified_date"]
    problems.add(need_rectified, col("rectified_date"),
                 _per_row("办理状态为「{}」时整改完成日期必填（已整改，或已办结且核查属实）", status, need_rectified),
                 show_value=False)
    need_closed = _np(status.isin(("已办结", "不属实"))) & ~p["closed_date"]
    problems.add(need_closed, col("closed_date"), _per_row("办理状态为「{}」时办结日期必填", status, need_closed),
                 show_value=False)


PERIOD_PATTERN = r"^\d{4}(?:H[12]|Q[1-4]|-(?:0[1-9]|1[0-2]))?$"


def _rules_provincial_scores(table: Table, v: Values, p: Present, problems: _Collector, refs: References) -> None:
    period = v["period"]
    bad_period = _np(~period.str.match(PERIOD_PATTERN) & period.notna())
    problems.add(bad_period, table.column("period"), "评估期应为 2025、2025H1、2025Q3 或 2025-07 这样的格式")
    score = v["score"]
    max_score = v["max_score"].fillna(100.0)
    negative = _np(score < 0)
    problems.add(negative, table.column("score"), "得分不能为负数")
    over = _np(score > max_score) & ~negative
    if over.any():
        reasons = np.array([f"得分（{a:g}）超过满分（{b:g}）" for a, b in zip(score[over], max_score[over], strict=True)],
                           dtype=object)
        problems.add(over, table.column("score"), reasons)


_TABLE_RULES = {
    "negative_list": _rules_negative_list,
    "service_items": _rules_service_items,
    "applications": _rules_applications,
    "cases": _rules_cases,
    "provincial_scores": _rules_provincial_scores,
}


def empty_raw(table: Table) -> RawTable:
    """A table with no rows (for callers that need every table)."""
    return RawTable(table, pd.DataFrame(), np.zeros(0, np.int64), np.zeros(0, np.int32), ())

