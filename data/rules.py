"""The rules of single tables (data-contract.md), each a vectorised mask over all rows.

A rule gets the table's parsed values and the cells that held a value, and reports bad
rows to a :class:`Collector`, which turns masks into :class:`~data.problems.Problem`
only at the end.  Rules look only at values that parsed: a cell that is not a valid date
is reported once, as such, and not again by the order rules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from data.contract import Column, Kind, Table
from data.problems import Problem, column_label
from data.raw_tables import RawTable, References
from data.values import cell_text

Reason = str | np.ndarray
"""One message for every flagged row, or one per flagged row (object array)."""


class Collector:
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


Values = dict[str, pd.Series]
Present = dict[str, np.ndarray]
TableRule = Callable[[Table, Values, Present, Collector, References], None]


def _np(s: pd.Series, fill: object = False) -> np.ndarray:
    return s.fillna(fill).to_numpy(dtype=bool)  # type: ignore[no-any-return]


def _eq(s: pd.Series, value: str) -> np.ndarray:
    return _np(s == value)


def _per_row(template: str, values: pd.Series, mask: np.ndarray) -> np.ndarray:
    return np.array([template.format(v) for v in values[mask]], dtype=object)


def _check_order(table: Table, chain: Sequence[str], values: Values, problems: Collector) -> None:
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


def _rules_negative_list(table: Table, v: Values, p: Present, problems: Collector, refs: References) -> None:
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


def _rules_service_items(table: Table, v: Values, p: Present, problems: Collector, refs: References) -> None:
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


def _rules_applications(table: Table, v: Values, p: Present, problems: Collector, refs: References) -> None:
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


def _rules_cases(table: Table, v: Values, p: Present, problems: Collector, refs: References) -> None:
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


def _rules_provincial_scores(table: Table, v: Values, p: Present, problems: Collector, refs: References) -> None:
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


TABLE_RULES: dict[str, TableRule] = {
    "negative_list": _rules_negative_list,
    "service_items": _rules_service_items,
    "applications": _rules_applications,
    "cases": _rules_cases,
    "provincial_scores": _rules_provincial_scores,
}
