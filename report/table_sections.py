"""The deck's table sections: the score table (district deck only), the weak links, the
key-case ledger, the 通报候选, the open rectification tasks and the appendix of definitions
— each one or more paginated table slides (:func:`report.pagination.table_slides`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from metrics.lights import KEY_CASE
from metrics.output import format_score
from metrics.tables import HEADLINE_INDICATORS, department_scores
from report.cases import DONE, IN_PROGRESS, OVERDUE, key_case_ledger, report_candidates
from report.pagination import table_slides
from report.sections import DeckInputs
from report.slides import NO_OPEN_TASKS, NO_TASKS_DATA, Column, Deck, MessageSlide, Slide
from report.tasks import TasksSource, open_tasks
from report.text import change_text, date_text, insufficient, plain_text
from report.weak_links import weak_link_slides


def scorecard(c: DeckInputs) -> list[Slide]:
    """The score table of every department (the district deck only)."""
    dims = [d.name for d in c.config.dimensions]
    df = department_scores(c.result, c.config)
    cols = [Column("部门", 2.6, max_lines=2)] + [Column(d, 1.45 if len(d) > 4 else 1.05, "center") for d in dims]
    cols += [Column("扣分", 0.8, "center"), Column("综合得分", 1.15, "center"), Column("上期得分", 1.1, "center"),
             Column("较上期", 1.0, "center")]
    rows, tones = [], []
    low = c.config.weak_links.low_score
    for r in df.itertuples(index=False):
        d = r._asdict()
        vals = [d[x] for x in dims]
        change = d["composite_change"]
        rows.append((d["dept_name"], *[insufficient(v) for v in vals], f"{d['deductions']:.1f}",
                     insufficient(d["composite"]), insufficient(d["previous_composite"]), change_text(change)))
        tones.append(("", *["bad" if v is not None and not pd.isna(v) and v < low else "" for v in vals],
                      "bad" if d["deductions"] > 0 else "", "", "",
                      "" if change is None or pd.isna(change) else ("good" if change > 0 else "bad" if change < 0 else "")))
    summary = (f"红色：低于{low:g}分的维度得分、扣分项；“{format_score(None)}”表示无可计分指标。按部门编码排列，不排名。",)
    return table_slides("效能评分表", cols, rows, tones, summary)


def weak_links(c: DeckInputs) -> list[Slide]:
    """The weak links of the period, large, by department (see :mod:`report.weak_links`)."""
    return weak_link_slides(c)


def ledger(c: DeckInputs) -> list[Slide]:
    """The key-case ledger (督查督办台账): deadlines and progress, overdue ones in red."""
    df = c.on_engine(key_case_ledger, c.request, c.dept, c.today)
    cols = [Column("责任单位", 1.7, max_lines=2), Column("问题摘要", 3.0, max_lines=3),
            Column("整改任务", 3.0, max_lines=3), Column("责任人", 1.8, max_lines=2),
            Column("整改时限", 1.45, "center"), Column("进展", 2.1, "center", max_lines=2),
            Column("催办次数", 1.1, "center")]
    rows, tones = [], []
    for r in df.itertuples(index=False):
        days = None if pd.isna(r.days) else int(r.days)
        if r.progress == OVERDUE:
            progress = r.progress if days is None else f"逾期{-days}天未整改"
        elif r.progress == DONE:
            progress = f"{date_text(r.rectified_date)}已整改"
        elif days is not None:
            progress = f"整改中，剩余{days}天"
        else:
            progress = IN_PROGRESS
        urged = int(c.urgings.get((KEY_CASE, str(r.case_id)), 0))
        rows.append((r.dept_name, plain_text(r.summary), plain_text(r.rectify_tasks), plain_text(r.responsible_person),
                     date_text(r.rectify_deadline), progress, str(urged)))
        tones.append(("",) * 5 + ("bad" if r.overdue else "good" if r.progress == DONE else "", "bad" if urged else ""))
    overdue = int(df["overdue"].sum()) if len(df) else 0
    summary = (f"重点督办案例 {len(df)} 件（截至 {c.request.effective_as_of:%Y-%m-%d} 已接收、本期前未办结），"
               f"其中逾期未整改 {overdue} 件（{judged_today(c.today)}）。",)
    return table_slides("督查督办台账", cols, rows, tones, summary, empty="本期没有重点督办案例。")


def candidates(c: DeckInputs) -> list[Slide]:
    """The 通报候选: verified cases found by others that the department did not report."""
    df = c.on_engine(report_candidates, c.request, c.dept)
    cols = [Column("线索编号", 1.6), Column("责任单位", 2.0, max_lines=2), Column("线索来源", 1.5, max_lines=2),
            Column("问题类别", 2.0, max_lines=2), Column("接收日期", 1.45, "center"),
            Column("问题摘要", 4.3, max_lines=3)]
    rows = [(plain_text(r.case_id), r.dept_name, plain_text(r.source), plain_text(r.category), date_text(r.received_date),
             plain_text(r.summary)) for r in df.itertuples(index=False)]
    summary = (f"通报候选 {len(df)} 件：本期接收、核实属实、由其他渠道发现且责任单位未自行填报的案例。",)
    return table_slides("通报候选（应报未报案例）", cols, rows, None, summary, empty="本期没有应报未报案例。")


TASKS_TITLE = "整改任务（未完成及逾期）"


def judged_today(today: dt.date) -> str:
    """The words saying which day live work is judged at."""
    return f"状态按今天 {today:%Y-%m-%d} 判定"


def task_slides(frame: pd.DataFrame | None, dept: str | None, names: Mapping[str, str],
                today: dt.date | None = None) -> list[Slide]:
    """The tasks slide(s) for a frame of open tasks (None: no tasks data at all), overdue
    judged at ``today`` (said in the summary when given)."""
    frame = open_tasks(frame, dept)
    if frame is None:
        return [MessageSlide(title=TASKS_TITLE, message=NO_TASKS_DATA)]
    cols = [Column("整改任务", 4.4, max_lines=3), Column("责任单位", 2.0, max_lines=2),
            Column("责任人", 1.7, max_lines=2), Column("完成时限", 1.45, "center"),
            Column("状态", 1.3, "center", max_lines=2), Column("是否逾期", 1.1, "center"),
            Column("催办次数", 1.1, "center")]
    rows, tones = [], []
    for r in frame.itertuples(index=False):
        rows.append((plain_text(r.title), names.get(r.dept_code, plain_text(r.dept_code)), plain_text(r.responsible),
                     date_text(r.deadline), plain_text(r.status), "逾期" if r.overdue else "否", str(int(r.urgings))))
        tones.append(("",) * 5 + ("bad" if r.overdue else "", "bad" if r.urgings else ""))
    judged = f"（{judged_today(today)}）" if today is not None else ""
    urged = int((frame["urgings"] > 0).sum())
    summary = (f"未完成整改任务 {len(frame)} 项，其中逾期 {int(frame['overdue'].sum())} 项，"
               f"被催办 {urged} 项（共 {int(frame['urgings'].sum())} 次）{judged}。",)
    return table_slides(TASKS_TITLE, cols, rows, tones, summary, empty=NO_OPEN_TASKS)


def tasks(c: DeckInputs, source: TasksSource) -> list[Slide]:
    """The open rectification tasks from ``source``."""
    return task_slides(source(c.request, c.dept), c.dept, c.engine.data.dept_names, c.today)


def with_tasks(deck: Deck, frame: pd.DataFrame | None, today: dt.date | None = None) -> Deck:
    """``deck`` with its tasks slide(s) rebuilt from ``frame`` (open tasks; None = no data),
    overdue as judged at ``today``."""
    idx = [i for i, s in enumerate(deck.slides) if s.title.startswith(TASKS_TITLE)]
    if not idx:
        return deck
    new = task_slides(frame, deck.dept, deck.names, today)
    slides = (*deck.slides[:idx[0]], *new, *deck.slides[idx[-1] + 1:])
    return replace(deck, slides=slides)


APPENDIX_EXTRA = (
    ("综合得分", "各计分指标按“100 ×（数值 − 下限）÷（目标 − 下限）”折算为0–100分，维度内按权重加权，"
                "五个维度各占20%；再减去扣分项：每件应报未报案例、每件重点督办逾期未整改案例各扣2分，最多扣10分。", "↑ 越高越好"),
    ("短板", "某部门某计分指标得分低于60分（低于40分为严重），或较上期下降15分及以上；"
            "存在应报未报或重点督办逾期案例的，亦列为监管手段短板（严重）。", "—"),
)


def appendix(c: DeckInputs) -> list[Slide]:
    """The definitions of the headline figures, the composite score and weak links."""
    arrow = {"up": "↑ 越高越好", "down": "↓ 越低越好"}
    rows = []
    for ind in (*HEADLINE_INDICATORS, "key_overdue_count", "unreported_count"):
        cfg = c.config.indicator(ind)
        rows.append((cfg.name, cfg.definition, arrow.get(cfg.direction, "· 仅展示，不计分")))
    rows.extend(APPENDIX_EXTRA)
    cols = [Column("指标", 3.1, max_lines=2), Column("口径", 7.5, max_lines=4),
            Column("方向", 1.7, "center", max_lines=2)]
    summary = ("口径与看板各页面“口径说明”一致（指标口径字典 v1）。",)
    return table_slides("附录：核心指标口径", cols, rows, None, summary)
