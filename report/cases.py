"""The cases the joint meeting reviews: the key-case ledger (督查督办台账) and 通报候选.

Both come from :mod:`metrics.views.ledger` — the functions behind the dashboard's ledger
page — so the deck lists exactly the cases the page lists; which cases are overdue and
which are 通报候选 is decided there by the records behind ``key_overdue_count`` and
``unreported_count``.  This module only reshapes them for the slides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest
from metrics.views.ledger import key_cases, notification_candidates

LEDGER_COLUMNS = ("case_id", "dept_code", "dept_name", "summary", "received_date", "rectify_deadline",
                  "responsible_person", "rectify_tasks", "rectified_date", "progress", "overdue", "days")
CANDIDATE_COLUMNS = ("case_id", "dept_code", "dept_name", "source", "category", "received_date",
                     "verified_date", "summary")

OVERDUE = "逾期未整改"
IN_PROGRESS = "整改中"
DONE = "已整改"


def _scoped(request: MetricsRequest, dept: str | None) -> MetricsRequest:
    return replace(request, dept=dept)


def key_case_ledger(engine: MetricsEngine, request: MetricsRequest, dept: str | None = None,
                    today: dt.date | None = None) -> pd.DataFrame:
    """The ledger page's key cases (of ``dept`` when given), overdue first, their deadlines
    judged at ``today`` when given (see :func:`metrics.views.ledger.key_cases`).

    ``progress`` is 逾期未整改 (the cases of ``key_overdue_count``), 整改中 or 已整改; ``days``
    the calendar days left to the deadline, negative when overdue, None once rectified.
    """
    df = key_cases(engine, _scoped(request, dept), today)
    overdue = df["late"].fillna(False).astype(bool)
    rectified = df["rectified_date"].notna()
    days = [
        -int(d_over) if late and not pd.isna(d_over) else (None if pd.isna(d_left) else int(d_left))
        for late, d_over, d_left in zip(overdue, df["days_overdue"], df["days_left"], strict=True)
    ]
    out = df.assign(
        overdue=overdue,
        progress=[OVERDUE if o else (DONE if r else IN_PROGRESS) for o, r in zip(overdue, rectified, strict=True)],
        days=pd.array(days, dtype="Int64"),
    )
    return out.loc[:, list(LEDGER_COLUMNS)].reset_index(drop=True)


def report_candidates(engine: MetricsEngine, request: MetricsRequest, dept: str | None = None) -> pd.DataFrame:
    """通报候选 (the ledger page's list): the cases of ``unreported_count``, by department and date."""
    df = notification_candidates(engine, _scoped(request, dept))
    return df.loc[:, list(CANDIDATE_COLUMNS)].reset_index(drop=True)
