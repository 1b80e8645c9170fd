"""The deck's 主要短板 slides, set large enough to read from the back of the meeting room.

The district deck lists one row per department — the departments with the most serious
weak links first — naming each of its weak links with its value (and why, when it is a
fall rather than a low score), serious ones in red: the 40-odd links of a quarter fit a
few slides at :data:`report.layout.LARGE_TABLE_PT`. A department's own report lists its
links one per row with their figures (it has few). The full detail of every link (district
and previous values) stays on the dashboard's 短板清单 page and its download.
"""

from __future__ import annotations

import pandas as pd

from metrics.output import format_value
from metrics.periods import span_label
from metrics.tables import weak_link_table
from report import layout
from report.pagination import table_slides
from report.sections import DeckInputs
from report.slides import DASH, Column, Slide
from report.text import score_text

TITLE = "主要短板"
SERIOUS = "严重"
SEP = "；"
LINES = 8  # lines a department's cell may take: never reached on real data, so no link is cut


def _item(c: DeckInputs, r: pd.Series) -> str:
    """One weak link in a few words: the indicator and its value, with the reason when the
    link is a fall (a low score or a case count speaks for itself)."""
    text = f"{r['indicator_name']} {format_value(r['value'], c.unit(r['indicator']))}"
    score = r["score"]
    if score is not None and not pd.isna(score) and score >= c.config.weak_links.low_score:
        text += f"（{r['reason']}）"
    return text


def by_department(c: DeckInputs, links: pd.DataFrame) -> pd.DataFrame:
    """One row per department: its serious and other weak links (most severe, lowest score
    first, as :func:`metrics.tables.weak_link_table` orders them) and their counts; the
    departments with the most serious links first, then the most links, then by code."""
    rows = []
    for code, group in links.groupby("dept_code", sort=False):
        serious = group[group["severity"] == SERIOUS]
        other = group[group["severity"] != SERIOUS]
        rows.append({
            "dept_code": code, "dept_name": group["dept_name"].iloc[0],
            "serious": len(serious), "total": len(group),
            "serious_items": SEP.join(_item(c, r) for _, r in serious.iterrows()),
            "other_items": SEP.join(_item(c, r) for _, r in other.iterrows()),
        })
    df = pd.DataFrame(rows, columns=["dept_code", "dept_name", "serious", "total", "serious_items", "other_items"])
    return df.sort_values(["serious", "total", "dept_code"], ascending=[False, False, True], kind="stable")


def _summary(c: DeckInputs, links: pd.DataFrame) -> tuple[str, ...]:
    severe = int((links["severity"] == SERIOUS).sum()) if len(links) else 0
    depts = links["dept_code"].nunique() if len(links) else 0
    scope = "本部门" if c.dept else "全区"
    pp = c.result.previous_period
    rules = c.config.weak_links
    return (f"{scope}本期短板 {len(links)} 条，其中严重 {severe} 条" + ("" if c.dept else f"，涉及 {depts} 个部门")
            + f"。短板：得分低于{rules.low_score:g}分，或较上期（{span_label(pp.date_from, pp.date_to)}）"
            f"下降{rules.drop:g}分及以上，"
            "或存在应报未报、重点督办逾期案例；各项明细见看板“短板清单”页。",)


def weak_link_slides(c: DeckInputs) -> list[Slide]:
    """The 主要短板 slides of the deck (a message slide when there are none)."""
    links = weak_link_table(c.result)
    summary = _summary(c, links)
    empty = "本期未发现短板。" if c.result.scored else "所选时段数据不完整，未评分、未列短板。"
    if c.dept:  # a department's own report: its few links, one a row, with their figures
        cols = [Column("指标", 3.0, max_lines=2), Column("维度", 1.5, max_lines=2), Column("本期值", 1.2, "right"),
                Column("得分", 0.9, "right"), Column("全区值", 1.2, "right"), Column("原因", 2.0, max_lines=2),
                Column("程度", 0.9, "center")]
        rows, tones = [], []
        for _, r in links.iterrows():
            unit = c.unit(r["indicator"])
            rows.append((r["indicator_name"], r["dimension"], format_value(r["value"], unit), score_text(r["score"]),
                         format_value(r["district_value"], unit), r["reason"], r["severity"]))
            tones.append(("",) * 6 + ("bad" if r["severity"] == SERIOUS else "",))
        return table_slides(TITLE, cols, rows, tones, summary, empty=empty, pt=layout.LARGE_TABLE_PT,
                        max_rows=layout.LARGE_TABLE_ROWS)
    grouped = by_department(c, links)
    cols = [Column("部门", 2.2, max_lines=3), Column("严重短板", 5.2, max_lines=LINES),
            Column("一般短板", 4.0, max_lines=LINES), Column("条数", 0.9, "center")]
    lines = [(r.dept_name, r.serious_items or DASH, r.other_items or DASH, str(r.total))
             for r in grouped.itertuples(index=False)]
    marks = [("", "bad" if r.serious else "", "", "") for r in grouped.itertuples(index=False)]
    return table_slides(TITLE, cols, lines, marks, summary, empty=empty, pt=layout.LARGE_TABLE_PT,
                        max_rows=layout.LARGE_TABLE_ROWS)
