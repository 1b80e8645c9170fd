"""The department's 排查 (mechanism 5) in its own report: the three questions' answers, the
scope note, and the findings with the cases they became — or 未提交 when the department
filed nothing for the period.

The deck does not read submissions itself.  :func:`report.deck.build_deck` takes
``self_checks``, a :data:`SelfCheckSource`: a callable ``(request, dept) -> submissions |
None`` answering :func:`data.self_checks.period_submissions` for the request's period
(:func:`metrics.periods.calendar_key`; a span that is no calendar period has no 排查, and
the slide says so); :func:`database_source` reads them from a database.
``None`` means there is no submissions data at all (a deck built from frames alone).  The
dashboard builds the deck once per data version and puts the submissions as they are now
in with :func:`with_self_check`, as it does for the tasks.  Only a department's report has
these slides; the district deck has none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from data.self_checks import QUESTIONS, Submission
from metrics.periods import calendar_key, span_label
from metrics.results import MetricsRequest
from report.pagination import table_slides
from report.slides import Column, Deck, MessageSlide, Slide
from report.text import plain_text

if TYPE_CHECKING:
    from data.db import Database

ANSWERS_TITLE = "本部门排查填报情况"
FINDINGS_TITLE = "本部门排查发现问题"
NOT_SUBMITTED = "未提交"
NO_SELF_CHECK_DATA = "暂无排查填报数据"
NOT_A_PERIOD = "排查按月度、季度、半年或年度填报；所选时段不是完整的统计周期，不列示排查情况。"
BASIS = ("依据工作机制第五条（健全违规市场准入负面清单案例排查和归集机制），定期排查违规审批禁止准入类、"
         "许可准入类事项及违规设置市场准入隐性壁垒情况。")

SelfCheckSource = Callable[[MetricsRequest, str], Sequence[Submission] | None]


def no_self_checks(request: MetricsRequest, dept: str) -> Sequence[Submission] | None:
    """The source of a deck without a database: no submissions data."""
    del request, dept
    return None


def database_source(db: Database) -> SelfCheckSource:
    """A :data:`SelfCheckSource` reading ``dept``'s submissions for the request's period from ``db``."""
    from data.self_checks import period_submissions

    def source(request: MetricsRequest, dept: str) -> Sequence[Submission] | None:
        key = calendar_key(request.date_from, request.date_to)
        if key is None:
            return ()
        with db.session() as session:
            return period_submissions(session, dept, key)

    return source


def self_check_slides(submissions: Sequence[Submission] | None, request: MetricsRequest) -> list[Slide]:
    """The answers slide and the findings slide(s) of the submissions for ``request``'s
    period (all of them: a later submission adds to the earlier ones, so a question is 是
    when any said so); one slide saying 未提交 when there is none."""
    if calendar_key(request.date_from, request.date_to) is None:
        return [MessageSlide(title=ANSWERS_TITLE, message=NOT_A_PERIOD)]
    if submissions is None:
        return [MessageSlide(title=ANSWERS_TITLE, message=NO_SELF_CHECK_DATA)]
    period_label = span_label(request.date_from, request.date_to)
    if not submissions:
        return [MessageSlide(title=ANSWERS_TITLE, message=f"{NOT_SUBMITTED}：{period_label}本部门尚未提交排查填报。",
                             summary=(BASIS,))]
    answers = [any(s.answers[i] for s in submissions) for i in range(len(QUESTIONS))]
    notes = [plain_text(s.scope_note) for s in submissions if s.scope_note and s.scope_note.strip()]
    findings = [f for s in submissions for f in s.findings]
    rows = [(f"本期{q.text}", "是" if yes else "否") for q, yes in zip(QUESTIONS, answers, strict=True)]
    rows += [("排查范围与方法", "；".join(notes) or "未填写"), ("发现问题", f"{len(findings)} 条")]
    tones = [("", "bad" if yes else "good") for yes in answers] + [("", ""), ("", "")]
    filed = "；".join(f"{s.submitted_at:%Y-%m-%d %H:%M} 由 {plain_text(s.submitted_by)} 提交" for s in submissions)
    summary = (f"{period_label}已提交排查 {len(submissions)} 次（{filed}）。", BASIS)
    cols = [Column("排查事项", 5.0, max_lines=2), Column("结果", 7.3, max_lines=6)]
    out = table_slides(ANSWERS_TITLE, cols, rows, tones, summary)
    f_cols = [Column("序号", 0.7, "center"), Column("问题类别", 2.6, max_lines=2), Column("问题摘要", 6.6, max_lines=4),
              Column("问题线索编号", 2.4)]
    f_rows = [(str(n), plain_text(f.category), plain_text(f.summary), f.case_id)
              for n, f in enumerate(findings, start=1)]
    f_summary = ("每条问题已作为“部门自查”来源的问题线索归集，按线索编号在案例线索页跟踪办理。",)
    out += table_slides(FINDINGS_TITLE, f_cols, f_rows, None, f_summary, empty="本期排查未发现问题。")
    return out


def self_checks(request: MetricsRequest, dept: str, source: SelfCheckSource) -> list[Slide]:
    """The 排查 slides of ``dept``'s report from ``source``."""
    return self_check_slides(source(request, dept), request)


def _ours(s: Slide) -> bool:
    return s.title.startswith((ANSWERS_TITLE, FINDINGS_TITLE))


def with_self_check(deck: Deck, submissions: Sequence[Submission] | None) -> Deck:
    """``deck`` (a department's report) with its 排查 slides rebuilt from ``submissions``;
    a deck without them (the district's) unchanged."""
    idx = [i for i, s in enumerate(deck.slides) if _ours(s)]
    if not idx:
        return deck
    new = self_check_slides(submissions, deck.request)
    return replace(deck, slides=(*deck.slides[:idx[0]], *new, *deck.slides[idx[-1] + 1:]))
