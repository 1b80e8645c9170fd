"""Cell and caption texts of the deck: a period's name, dates, free text, scores and score
changes as a slide writes them (values come formatted by :mod:`metrics.output`; a change
against the previous period by :mod:`charts.delta`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from charts.delta import STEADY
from metrics.output import format_score
from metrics.periods import span_label
from report.slides import DASH


def period_label(date_from: dt.date, date_to: dt.date) -> str:
    """2026年第三季度 when the dates are a named period, else 2026-07-01 至 2026-08-15."""
    return span_label(date_from, date_to)


def date_text(v: Any) -> str:
    """A date as 2026-09-30 (— when missing)."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return DASH
    return f"{pd.Timestamp(v):%Y-%m-%d}"


def plain_text(v: Any) -> str:
    """Free text on one line, whitespace collapsed (— when missing)."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return DASH
    return " ".join(str(v).split())


def missing(v: Any) -> bool:
    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))


def score_text(v: Any) -> str:
    """A score to one decimal (— when missing)."""
    return DASH if missing(v) else format_score(float(v))


def insufficient(v: Any) -> str:
    """A score, or 数据不足 where there is none."""
    return format_score(None if missing(v) else float(v))


def change_text(v: Any) -> str:
    """A score's change to one decimal with its sign, 持平 when it rounds to nothing."""
    if missing(v):
        return DASH
    text = f"{float(v):+.1f}"
    return STEADY if text in ("+0.0", "-0.0") else text
