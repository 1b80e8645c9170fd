"""The ledger of 督查督办台账 as people read it: a 提示 column saying why a row is coloured,
overdue rows red and rows due soon amber, and each case's 催办次数."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard.labels import t
from metrics.lights import KEY_CASE

LEDGER_COLUMNS = ["alert", "case_id", "dept_name", "rectify_deadline", "days_left", "days_overdue", "urgings",
                  "responsible_person", "case_progress", "rectify_tasks", "received_date", "rectified_date",
                  "summary"]
CANDIDATE_COLUMNS = ["case_id", "dept_name", "received_date", "source", "category", "street_name",
                     "verified_date", "status", "dept_reported", "transfer_wd", "summary"]
LATE_BG = "background-color: #fbe3e4; color: #8a1015"
SOON_BG = "background-color: #fff4d6"


def with_alerts(ledger: pd.DataFrame) -> pd.DataFrame:
    """The ledger with a 提示 column saying, in words, why a row is coloured."""
    alerts = []
    for r in ledger.itertuples(index=False):
        if r.late:
            alerts.append(t("ledger.alert_overdue", days=r.days_overdue))
        elif r.due_soon:
            alerts.append(t("ledger.alert_due_soon", days=r.days_left))
        elif r.late_done:
            alerts.append(t("ledger.alert_late_done"))
        elif r.rectified_date is not None and not pd.isna(r.rectified_date):
            alerts.append(t("ledger.alert_done"))
        else:
            alerts.append("")
    return ledger.assign(alert=alerts)


def with_urgings(ledger: pd.DataFrame, counts: Mapping[tuple[str, str], int]) -> pd.DataFrame:
    """The ledger with the 催办次数 of each key case (``counts`` from :func:`data.urgings.counts`)."""
    return ledger.assign(urgings=[int(counts.get((KEY_CASE, str(c)), 0)) for c in ledger["case_id"]])


def ledger_styler(ledger: pd.DataFrame) -> Any:
    """A function colouring the shown ledger's rows: overdue red, due soon amber."""
    late = list(ledger["late"])
    soon = list(ledger["due_soon"])

    def style(shown: pd.DataFrame) -> Any:
        def row(r: pd.Series) -> list[str]:
            i = int(r.name)  # type: ignore[arg-type]
            css = LATE_BG if late[i] else SOON_BG if soon[i] else ""
            return [css] * len(r)

        return shown.style.apply(row, axis=1)

    return style
