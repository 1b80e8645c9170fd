"""No count is shown as "57.0" (issue 13): a sweep of every page of the demo as the
administrator (who sees every page) — no table column of whole numbers held as floats (a
count that picked up a missing value in a merge) except the scores, which are shown to one
decimal everywhere, and no "57.0件" in the prose."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.kit import tables
from dashboard.navigation import PAGES
from tests.fixtures.apptest import as_role, open_page, page_text

SCORES = {tables.header(c) for c in tables.SCORE_COLUMNS} | set(tables.SCORE_COLUMNS)
COUNT_TEXT = re.compile(r"(?<![\d.])\d+\.0\s*[件条项家人]")


def _float_counts(app: AppTest) -> list[str]:
    found = []
    for element in app.dataframe:
        df = element.value
        data = df.data if hasattr(df, "data") else df  # a styled table: its data
        for col in data.columns:
            s = data[col]
            if not isinstance(s, pd.Series) or s.dtype.kind != "f" or col in SCORES:
                continue
            known = s.dropna()
            if len(known) and bool((known == known.round()).all()):
                found.append(f"{col}: {known.head(3).tolist()}")
    return found


def test_every_page_shows_counts_as_integers(app: AppTest) -> None:
    as_role(app, "管理员")
    problems: dict[str, list[str]] = {}
    pages = [s.page for s in PAGES if "管理员" in s.roles]
    for page in pages:
        open_page(app, page, period="2026Q3")
        assert not app.exception, (page, [e.value for e in app.exception])
        found = _float_counts(app) + COUNT_TEXT.findall(page_text(app))
        if found:
            problems[page] = found
    assert len(pages) >= 20 and not problems, problems


def test_the_sweep_sees_a_float_count() -> None:
    """The check itself: a count column that became float is found, a score column is not."""

    frame = pd.DataFrame({"件数": [57.0, float("nan")], "综合得分": [95.0, 90.0], "按时办结率（%）": [90.5, 91.0]})
    page = SimpleNamespace(dataframe=[SimpleNamespace(value=frame)])
    assert _float_counts(page) == ["件数: [57.0]"]  # type: ignore[arg-type]
    assert COUNT_TEXT.findall("超期未办结 57.0件，平均 1.5件") == ["57.0件"]
