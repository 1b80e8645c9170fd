"""The tables of 案例线索 as people read them: cases received by a breakdown, and the flow
接收 → 转办 → 核查 → 整改 → 办结 with its working-day timeliness."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.labels import t

FLOW_COLUMNS = ["step", "reached", "median_wd", "mean_wd", "max_wd", "pending", "overdue", "overdue_open"]


def _headers(df: pd.DataFrame, prefix: str, columns: Sequence[str]) -> pd.DataFrame:
    return df.loc[:, list(columns)].rename(columns={c: t(f"{prefix}.col_{c}") for c in columns})


def flow_table(flow: pd.DataFrame) -> pd.DataFrame:
    out = flow.copy()
    for col in ("median_wd", "mean_wd", "max_wd"):
        out[col] = pd.to_numeric(out[col], errors="coerce").round(1)
    out = _headers(out, "cases", FLOW_COLUMNS)
    no_limit = flow["step"].isin(["核查", "办结"])
    for col in (t("cases.col_overdue"), t("cases.col_overdue_open")):
        out[col] = [t("cases.no_limit") if n else ("—" if pd.isna(v) else str(int(v)))
                    for n, v in zip(no_limit, out[col], strict=True)]
    return out


def breakdown_table(df: pd.DataFrame) -> pd.DataFrame:
    out = df.assign(true_share=[None if pd.isna(v) else f"{100 * float(v):.1f}%" for v in df["true_share"]])
    out = out.assign(label=[t("cases.no_street") if k == "" else v for k, v in zip(df["key"], df["label"], strict=True)])
    out = out.rename(columns={"label": "group"})
    return _headers(out, "cases", ["group", "received", "verified_true", "true_share"])
