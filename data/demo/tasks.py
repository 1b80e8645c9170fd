"""The demo lived in: rectification tasks in every state, written through the task facade
(:mod:`data.tasks`, so each has its history and audit entries) after the demo's files are
imported, so that 整改任务, 部门自查, the overview and the deck have live work to show on
first start.

Everything is placed relative to the demo data's own end (the last application time,
2026-10-31 for the shipped demo), not to the day the demo is loaded: the same data gives
the same tasks.  The tasks answer the planted weak links of the last complete quarter
before the end (see :mod:`data.demo`); three deadlines fall within a month of the end,
so on a later day (today is judged in Asia/Shanghai) they are overdue: two unfinished
(待整改, 整改中) and one done in time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data import clock
from data import tasks as task_store
from data.accounts import ADMIN, DEPT_USER, Principal
from data.schema import CONTRACT, rectification_tasks

ADMIN_USER = "demo-管理员"  # shown as 演示管理员 (dashboard.kit.auth.DEMO_NAMES)
DEPT_USER_NAME = "demo-部门用户"  # shown as 演示部门用户


@dataclass(frozen=True)
class Step:
    """A status change ``days`` after the data's end (progress and note as reported)."""

    days: int
    status: str
    progress: int | None
    note: str
    by_admin: bool = False


@dataclass(frozen=True)
class DemoTask:
    dept: str
    indicator: str | None  # the weak link it answers (None: a task set by hand)
    title: str
    responsible: str
    requirement: str
    deadline_days: int  # after the data's end
    steps: tuple[Step, ...] = ()


TASKS = (
    DemoTask("JH009", "on_time_rate", "压缩建设工程审查环节用时", "审批股 陈主任",
             "梳理审查环节超时办件，明确审查时限并每周通报，按时办结率恢复至 95% 以上。", 20,
             (Step(6, task_store.DOING, 40, "已梳理超时办件清单，正在修订审查工作规程。"),)),
    DemoTask("JH011", "guide_update_rate", "更新全部办事指南", "政务服务股 李科长",
             "对照 2025 年版负面清单更新全部办事指南并在三个渠道同步公开。", 15,
             (Step(4, task_store.DOING, 60, "已完成 60% 指南的修订。"),
              Step(12, task_store.DONE, 100, "全部办事指南已更新并公开。"))),
    DemoTask("JH010", "unreported_count", "补报应报未报的违背准入案例", "执法大队 王队长",
             "核查应报未报的案例线索，按规定补报并说明未报原因。", 25),
    DemoTask("JH004", None, "规范经营主体反映问题的办理回复", "登记注册股 张股长",
             "对经营主体反映的问题逐件回复，回复内容附办理依据。", 60,
             (Step(5, task_store.DOING, 50, "已制定回复模板。"),
              Step(10, task_store.DONE, 100, "已逐件回复。"),
              Step(14, task_store.RETURNED, 80, "部分回复未附办理依据，请补充后重新提交。", by_admin=True))),
    DemoTask("JH018", None, "街道便民服务站网办引导", "便民服务中心 黄主任",
             "在街道便民服务站设置网办引导岗，提高全程网办占比。", 45,
             (Step(8, task_store.DOING, 30, "引导岗已设置，正在培训工作人员。"),)),
    DemoTask("JH016", None, "清理隐性准入壁垒自查问题", "法规股 周股长",
             "对自查发现的隐性壁垒逐项清理，形成清理台账。", 50),
)


def data_end(session: Session) -> date | None:
    """The last day the demo's applications reach (None: no applications)."""
    a = CONTRACT["applications"].c
    last = session.execute(select(func.max(a.submitted_at))).scalar()
    return None if last is None else (last.date() if isinstance(last, datetime) else date.fromisoformat(str(last)[:10]))


def _quarter_before(day: date) -> tuple[date, date]:
    """The complete calendar quarter before the one containing ``day``."""
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    end = start - timedelta(days=1)
    return date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end


def _at(end: date, days: int, hour: int) -> datetime:
    """A local working-hours moment ``days`` after ``end`` (never later than now)."""
    planned = datetime.combine(end + timedelta(days=days), time(hour, 30))
    return min(planned, clock.local_now()).replace(tzinfo=clock.LOCAL_TZ)


def seed_demo_tasks(session: Session) -> int:
    """Create the demo's tasks (once: nothing when any task exists); returns how many."""
    if session.execute(select(func.count()).select_from(rectification_tasks)).scalar():
        return 0
    end = data_end(session)
    if end is None:
        return 0
    q_from, q_to = _quarter_before(end)
    admin = Principal(ADMIN_USER, "演示管理员", ADMIN)
    for task in TASKS:
        ref = None if task.indicator is None else f"短板:{task.dept}:{task.indicator}:{q_from}:{q_to}"
        kind = task_store.SOURCE_MANUAL if task.indicator is None else task_store.SOURCE_WEAK_LINK
        with clock.fixed(_at(end, 2, 9)):
            task_id = task_store.create_task(
                session, admin, title=task.title, dept=task.dept, responsible=task.responsible,
                deadline=end + timedelta(days=task.deadline_days), requirement=task.requirement,
                source_kind=kind, source_ref=ref)
        version = 1
        for step in task.steps:
            actor = admin if step.by_admin else Principal(DEPT_USER_NAME, "演示部门用户", DEPT_USER, task.dept)
            with clock.fixed(_at(end, step.days, 15)):
                version = task_store.update_task(session, actor, task_id, expected_version=version,
                                                 status=step.status, progress=step.progress, note=step.note)
    return len(TASKS)
