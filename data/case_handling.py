"""Case handling in the product (mechanism 5): 转办 → 核查 → 整改 → 反馈 → 办结 → 答复.

For every case, whatever its source: the administrator (区发展改革局) transfers it to the
responsible unit with a handling deadline; a department user of that unit, and only of
that unit, starts and records the verification (属实 / 不属实 with the facts), records the
rectification and reports back; the administrator may spawn a rectification task
(:mod:`data.tasks`), closes the case (办结) and, for a public feedback, publishes the
reply the reporter reads with the 查询码.

Each step is one call of :func:`apply` with a typed request, inside the caller's
transaction: the case row is rewritten through the importer (:mod:`data.case_rows`, so the
contract's date order and status rules hold and the data version changes), a history row
goes to ``case_steps``, the handling details to ``case_handling`` and an entry to the audit
log.  The dates written (transferred_date, verified_date, rectified_date, closed_date) are
the ones ``indicators.md`` uses; they default to today in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from data import audit, tasks
from data.accounts import Principal
from data.case_rows import CaseRow, CaseRowError, read_case, today_local, write_case
from data.importer import local_now
from data.schema import CONTRACT, case_handling, case_steps, feedback

RECEIVED, TRANSFERRED, VERIFYING, UNFOUNDED, RECTIFYING, RECTIFIED, CLOSED = (
    "待转办", "已转办", "核查中", "不属实", "整改中", "已整改", "已办结")
TRUE, FALSE = "属实", "不属实"
STEP_RECEIVE, STEP_TRANSFER, STEP_START, STEP_VERIFY = "受理", "转办", "开始核查", "核查"
STEP_TASK, STEP_RECTIFY, STEP_REPORT, STEP_CLOSE, STEP_PUBLISH = "下达整改任务", "整改", "反馈", "办结", "发布答复"
MAX_TEXT = 2000


class CaseStepError(ValueError):
    """A refused handling step; ``str(err)`` is a Chinese message."""


# --- requests -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Transfer:
    """转办 (administrator): to the responsible unit, with a handling deadline."""

    case_id: str
    dept_code: str
    deadline: dt.date
    note: str = ""
    on: dt.date | None = None


@dataclass(frozen=True)
class StartVerification:
    """The unit starts verifying (已转办 → 核查中)."""

    case_id: str
    note: str = ""


@dataclass(frozen=True)
class Verify:
    """The unit's conclusion with the facts; 属实 goes to 整改中, 不属实 to 不属实."""

    case_id: str
    verified: str
    facts: str
    rectify_deadline: dt.date | None = None
    responsible_person: str | None = None
    on: dt.date | None = None


@dataclass(frozen=True)
class SpawnTask:
    """The administrator issues a rectification task for a case verified 属实."""

    case_id: str
    title: str
    responsible: str
    deadline: dt.date
    requirement: str


@dataclass(frozen=True)
class Rectify:
    """The unit records its handling and rectification as done (整改中 → 已整改)."""

    case_id: str
    measures: str
    on: dt.date | None = None


@dataclass(frozen=True)
class ReportBack:
    """The unit reports the verification and handling back to the administrator."""

    case_id: str
    note: str


@dataclass(frozen=True)
class Close:
    """办结 (administrator), after the unit reported back."""

    case_id: str
    note: str = ""
    on: dt.date | None = None


@dataclass(frozen=True)
class PublishReply:
    """The administrator publishes the reply a public reporter reads with the 查询码."""

    case_id: str
    reply: str


Request = Transfer | StartVerification | Verify | SpawnTask | Rectify | ReportBack | Close | PublishReply


@dataclass(frozen=True)
class StepResult:
    """What a step did."""

    case_id: str
    step: str
    from_status: str
    to_status: str


@dataclass(frozen=True)
class StepRecord:
    """One row of a case's handling history."""

    at: dt.datetime
    user_name: str
    step: str
    from_status: str | None
    to_status: str
    note: str | None


@dataclass(frozen=True)
class CaseFile:
    """A case as its handlers see it: contract values, handling details and history."""

    values: dict[str, Any]
    handling_deadline: dt.date | None
    facts: str | None
    measures: str | None
    task_id: int | None
    reported_at: dt.datetime | None
    is_feedback: bool
    reply: str | None
    reply_published: bool
    steps: tuple[StepRecord, ...]

    @property
    def status(self) -> str:
        return str(self.values["status"])


# --- reading --------------------------------------------------------------------------------

def _scoped(session: Session, actor: Principal, case_id: str) -> CaseRow:
    row = read_case(session, case_id)
    if row is None or not actor.may_see(row["dept_code"]):
        raise CaseStepError(f"线索 {case_id} 不存在或无权查看。")
    return row


def _handling(session: Session, case_id: str) -> Any:
    return session.execute(select(case_handling).where(case_handling.c.case_id == case_id)).first()


def case_file(session: Session, actor: Principal, case_id: str) -> CaseFile:
    """One case with its handling, for the administrator, leaders, or a user of its unit."""
    row = _scoped(session, actor, case_id)
    h = _handling(session, case_id)
    fb = session.execute(select(feedback.c.reply, feedback.c.reply_published)
                         .where(feedback.c.case_id == case_id)).first()
    s = case_steps.c
    steps = tuple(StepRecord(r.at, r.user_name, r.step, r.from_status, r.to_status, r.note) for r in session.execute(
        select(s.at, s.user_name, s.step, s.from_status, s.to_status, s.note).where(s.case_id == case_id)
        .order_by(s.id)))
    return CaseFile(
        values=row, handling_deadline=h.handling_deadline if h else None, facts=h.facts if h else None,
        measures=h.measures if h else None, task_id=h.task_id if h else None,
        reported_at=h.reported_at if h else None, is_feedback=fb is not None,
        reply=fb.reply if fb else None, reply_published=bool(fb.reply_published) if fb else False, steps=steps)


# --- steps ----------------------------------------------------------------------------------

def record_step(session: Session, user: str, case_id: str, step: str, from_status: str | None, to_status: str,
                note: str | None = None) -> None:
    """Append one history row (also used when a public feedback is received)."""
    session.execute(insert(case_steps).values(case_id=case_id, at=local_now().replace(microsecond=0),
                                              user_name=user, step=step, from_status=from_status,
                                              to_status=to_status, note=note or None))


def _set_handling(session: Session, case_id: str, **values: Any) -> None:
    if _handling(session, case_id) is None:
        session.execute(insert(case_handling).values(case_id=case_id, **values))
    else:
        session.execute(update(case_handling).where(case_handling.c.case_id == case_id).values(**values))


def _text(value: str | None, what: str, *, required: bool = True) -> str | None:
    text = (value or "").strip()
    if required and not text:
        raise CaseStepError(f"请填写{what}。")
    if len(text) > MAX_TEXT:
        raise CaseStepError(f"{what}不能超过 {MAX_TEXT} 个字。")
    return text or None


def _day(on: dt.date | None) -> dt.date:
    today = today_local()
    day = on or today
    if day > today:
        raise CaseStepError(f"日期 {day:%Y-%m-%d} 晚于今天（{today:%Y-%m-%d}），办理步骤不能记在未来。")
    return day


@dataclass(frozen=True)
class StepRule:
    """Who takes a step (the administrator, or a user of the case's responsible unit) and
    from which statuses; the Chinese words of the refusals."""

    step: str
    by_admin: bool
    from_statuses: tuple[str, ...]
    act: str  # "只有…可以{act}"
    verb: str  # "不能{verb}"


RULES: dict[type, StepRule] = {
    Transfer: StepRule(STEP_TRANSFER, True, (RECEIVED,), "转办线索", "转办"),
    StartVerification: StepRule(STEP_START, False, (TRANSFERRED,), "核查线索", "开始核查"),
    Verify: StepRule(STEP_VERIFY, False, (TRANSFERRED, VERIFYING), "记录核查结论", "记录核查结论"),
    SpawnTask: StepRule(STEP_TASK, True, (RECTIFYING,), "下达整改任务", "下达整改任务"),
    Rectify: StepRule(STEP_RECTIFY, False, (RECTIFYING,), "记录整改情况", "记录整改完成"),
    ReportBack: StepRule(STEP_REPORT, False, (RECTIFIED, UNFOUNDED), "反馈办理结果", "反馈办理结果"),
    Close: StepRule(STEP_CLOSE, True, (RECTIFIED, UNFOUNDED), "办结线索", "办结"),
    PublishReply: StepRule(STEP_PUBLISH, True, (CLOSED,), "发布答复", "发布答复"),
}


def _may_act(actor: Principal, dept_code: object, rule: StepRule) -> bool:
    if rule.by_admin:
        return actor.is_admin
    return actor.is_department and actor.dept == dept_code


def _permit(actor: Principal, row: CaseRow, request: Request) -> None:
    rule = RULES[type(request)]
    if not _may_act(actor, row["dept_code"], rule):
        who = "管理员（区发展改革局）" if rule.by_admin else f"责任单位（{row['dept_code']}）的部门用户"
        raise CaseStepError(f"只有{who}可以{rule.act}。")
    if row["status"] not in rule.from_statuses:
        raise CaseStepError(f"线索 {row['case_id']} 当前状态为“{row['status']}”，不能{rule.verb}"
                            f"（须为：{'、'.join(rule.from_statuses)}）。")


def open_steps(actor: Principal, dept_code: str, status: str, *, reported: bool, is_feedback: bool) -> tuple[str, ...]:
    """The steps ``actor`` may take now on a case of ``dept_code`` in ``status`` (whether the
    unit has reported back, whether it came through the public channel): the rules of
    :data:`RULES` plus 反馈 once, 办结 only after 反馈, 发布答复 only for a public feedback."""
    out = []
    for rule in RULES.values():
        if not _may_act(actor, dept_code, rule) or status not in rule.from_statuses:
            continue
        if rule.step == STEP_REPORT and reported:
            continue
        if rule.step == STEP_CLOSE and not reported:
            continue
        if rule.step == STEP_PUBLISH and not is_feedback:
            continue
        out.append(rule.step)
    return tuple(out)


def allowed_steps(actor: Principal, file: CaseFile) -> tuple[str, ...]:
    """The steps ``actor`` may take on the case now (for the page to offer only those)."""
    return open_steps(actor, str(file.values["dept_code"]), file.status, reported=file.reported_at is not None,
                      is_feedback=file.is_feedback)


def apply(session: Session, actor: Principal, request: Request) -> StepResult:
    """Carry out one handling step in the caller's transaction, or raise CaseStepError."""
    row = _scoped(session, actor, request.case_id)
    before = str(row["status"])
    new = dict(row)
    note: str | None
    handling: dict[str, Any] = {}
    if isinstance(request, Transfer):
        _permit(actor, row, request)
        depts = CONTRACT["departments"].c
        if session.execute(select(depts.dept_code).where(depts.dept_code == request.dept_code)).first() is None:
            raise CaseStepError(f"责任单位编码 {request.dept_code} 不存在。")
        day = _day(request.on)
        if request.deadline < day:
            raise CaseStepError("办理时限不能早于转办日期。")
        new.update(status=TRANSFERRED, transferred_date=day, dept_code=request.dept_code)
        handling["handling_deadline"] = request.deadline
        step, note = STEP_TRANSFER, _text(request.note, "转办说明", required=False)
        note = f"转至 {request.dept_code}，办理时限 {request.deadline:%Y-%m-%d}" + (f"；{note}" if note else "")
    elif isinstance(request, StartVerification):
        _permit(actor, row, request)
        new["status"] = VERIFYING
        step, note = STEP_START, _text(request.note, "说明", required=False)
    elif isinstance(request, Verify):
        _permit(actor, row, request)
        if request.verified not in (TRUE, FALSE):
            raise CaseStepError("核查结论应为“属实”或“不属实”。")
        facts = _text(request.facts, "核查情况")
        day = _day(request.on)
        new.update(verified=request.verified, verified_date=day)
        if request.verified == TRUE:
            new.update(status=RECTIFYING, rectify_deadline=request.rectify_deadline,
                       responsible_person=_text(request.responsible_person, "责任人", required=False))
        else:  # the contract: status 不属实 requires a closed_date
            new.update(status=UNFOUNDED, closed_date=day)
        handling["facts"] = facts
        step, note = STEP_VERIFY, f"{request.verified}：{facts}"
    elif isinstance(request, SpawnTask):
        _permit(actor, row, request)
        try:
            task_id = tasks.create_task(
                session, actor, title=request.title, dept=str(row["dept_code"]), responsible=request.responsible,
                deadline=request.deadline, requirement=request.requirement,
                source_kind=tasks.SOURCE_KEY_CASE if row["key_case"] else tasks.SOURCE_MANUAL,
                source_ref=f"案例:{row['case_id']}")
        except tasks.TaskError as err:
            raise CaseStepError(str(err)) from err
        listed = [t for t in (row["rectify_tasks"] or "").split("；") if t]
        new["rectify_tasks"] = "；".join([*listed, f"任务{task_id}：{request.title.strip()}"])
        handling["task_id"] = task_id
        step, note = STEP_TASK, f"任务{task_id}"
    elif isinstance(request, Rectify):
        _permit(actor, row, request)
        measures = _text(request.measures, "处理及整改情况")
        new.update(status=RECTIFIED, rectified_date=_day(request.on))
        handling["measures"] = measures
        step, note = STEP_RECTIFY, measures
    elif isinstance(request, ReportBack):
        _permit(actor, row, request)
        h = _handling(session, row["case_id"])
        if h is not None and h.reported_at is not None:
            raise CaseStepError(f"线索 {row['case_id']} 已于 {h.reported_at:%Y-%m-%d %H:%M} 反馈，无需重复反馈。")
        handling.update(reported_at=local_now().replace(microsecond=0), reported_by=actor.username)
        step, note = STEP_REPORT, _text(request.note, "反馈内容")
    elif isinstance(request, Close):
        _permit(actor, row, request)
        h = _handling(session, row["case_id"])
        if h is None or h.reported_at is None:
            raise CaseStepError(f"责任单位尚未反馈线索 {row['case_id']} 的办理结果，不能办结。")
        new.update(status=CLOSED, closed_date=_day(request.on))
        step, note = STEP_CLOSE, _text(request.note, "办结说明", required=False)
    elif isinstance(request, PublishReply):
        _permit(actor, row, request)
        reply = _text(request.reply, "答复内容")
        res = session.execute(update(feedback).where(feedback.c.case_id == row["case_id"]).values(
            reply=reply, reply_published=True, published_at=local_now().replace(microsecond=0)))
        if res.rowcount == 0:  # type: ignore[attr-defined]
            raise CaseStepError(f"线索 {row['case_id']} 不是经营主体通过反馈渠道提交的，无需发布答复。")
        step, note = STEP_PUBLISH, reply
    else:  # pragma: no cover - the type union is closed
        raise CaseStepError("未知的办理步骤。")
    if new != row:
        try:
            write_case(session, new, user=actor.username)
        except CaseRowError as err:
            raise CaseStepError(f"线索 {row['case_id']} 未能{step}：{err}") from err
    if handling:
        _set_handling(session, row["case_id"], **handling)
    after = str(new["status"])
    record_step(session, actor.username, row["case_id"], step, before, after, note)
    audit.record(session, actor.username, f"线索{step}", row["case_id"], from_status=before, to_status=after)
    return StepResult(row["case_id"], step, before, after)

