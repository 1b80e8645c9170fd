"""Problem clues and cases (问题线索与案例), with the planted ones of :mod:`data.demo.planted`."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from data.demo import planted
from data.demo.catalog import DEPT_SHORT, GIVEN, STREETS, SURNAMES
from data.demo.timeline import CUTOFF, PERIOD_END, PERIOD_START, WorkCalendar, day_no, iso

CASES_PER_YEAR = 300

SOURCES = ("行政执法", "互联网+督查", "经营主体反映", "国家部委转办", "省级转办", "市级转办", "部门自查", "其他")
SOURCE_P = (0.14, 0.10, 0.30, 0.03, 0.07, 0.12, 0.20, 0.04)
TRUE_P = {"行政执法": 0.7, "互联网+督查": 0.6, "经营主体反映": 0.45, "国家部委转办": 0.6,
          "省级转办": 0.55, "市级转办": 0.55, "部门自查": 0.88, "其他": 0.4}
CATEGORY_P = {
    "违规审批禁止准入事项": 0.05, "违规审批许可准入事项": 0.30, "违规设置隐性壁垒": 0.50, "其他": 0.15,
}
# Departments responsible for cases, with their relative share.
CASE_DEPTS = {
    "JH004": 0.22, "JH009": 0.12, "JH008": 0.09, "JH011": 0.07, "JH010": 0.06, "JH012": 0.06,
    "JH013": 0.07, "JH014": 0.05, "JH015": 0.03, "JH016": 0.03, "JH001": 0.03, "JH002": 0.03,
    "JH003": 0.02, "JH005": 0.03, "JH007": 0.02, "JH017": 0.04, "JH018": 0.03, "JH019": 0.03,
}
EXTRA_DOCS = (
    "本地纳税证明", "本地社保缴纳证明", "无犯罪记录证明", "经营场所房产证原件", "验资报告",
    "行业协会推荐函", "第三方评估报告", "街道（村居）出具的同意证明", "上级主管部门批准文件",
)


@dataclass(frozen=True)
class Case:
    received: int
    source: str
    category: str
    dept: str
    street: str | None
    summary: str
    transferred: int | None
    verified_day: int | None
    verified: str | None
    reported: bool
    key: bool
    deadline: int | None
    rectified: int | None
    closed: int | None
    person: str | None
    tasks: str | None
    status: str = ""


def _person(rng: np.random.Generator, dept: str) -> str:
    name = SURNAMES[int(rng.integers(len(SURNAMES)))] + GIVEN[int(rng.integers(len(GIVEN)))]
    titles = ("副主任", "办公室主任") if dept in STREETS else ("副局长", "科长")
    title = titles[0] if rng.random() < 0.6 else titles[1]
    return f"{name}（{DEPT_SHORT[dept]}{title}）"


def _summary(rng: np.random.Generator, category: str, source: str, dept: str, item: str) -> str:
    short = DEPT_SHORT[dept]
    doc = EXTRA_DOCS[int(rng.integers(len(EXTRA_DOCS)))]
    lead = {
        "经营主体反映": "经营主体通过区发展改革局门户网站意见反馈渠道反映，",
        "互联网+督查": "“互联网+督查”平台收到线索，",
        "行政执法": "行政执法检查中发现，",
        "国家部委转办": "国家有关部委转办线索，",
        "省级转办": "省有关部门转办线索，",
        "市级转办": "市有关部门转办线索，",
        "部门自查": f"{short}开展市场准入负面清单落实情况自查发现，",
        "其他": "群众来电反映，",
    }[source]
    if category == "违规设置隐性壁垒":
        body = rng.choice(
            [
                f"{short}办理“{item}”时要求申请人提供法律法规规定以外的{doc}",
                f"{short}办理“{item}”时对外地企业设置差别化条件，要求在本区设立分支机构",
                f"{short}办理“{item}”时限定申请人使用指定中介服务机构出具的报告",
                f"{short}在“{item}”办事指南以外增设前置条件，变相提高准入门槛",
                f"{short}以备案为名对“{item}”实行变相审批",
            ]
        )
    elif category == "违规审批许可准入事项":
        body = rng.choice(
            [
                f"{short}对申请材料不齐全的“{item}”申请予以许可",
                f"{short}超出法定权限办理“{item}”",
                f"{short}在“{item}”办理中未按规定开展现场核查即予以许可",
                f"{short}对已过期的“{item}”未及时注销，相关主体仍在经营",
            ]
        )
    elif category == "违规审批禁止准入事项":
        body = rng.choice(
            [
                f"{short}为涉及《产业结构调整指导目录》淘汰类工艺设备的项目办理“{item}”",
                f"{short}为经营范围含禁止性内容的主体办理“{item}”",
            ]
        )
    else:
        body = rng.choice(
            [
                f"“{item}”办事指南公布的申请材料与窗口实际要求不一致",
                f"“{item}”窗口告知不一致，申请人多次往返提交材料",
                f"“{item}”网上申报系统长期无法提交，申请人被要求到窗口办理",
                f"“{item}”超过承诺时限未办结且未告知理由",
            ]
        )
    return lead + str(body) + "。"


def _tasks(item: str, deadline: int) -> str:
    d = pd.Timestamp(iso(deadline))
    return (
        f"1. 全面清理“{item}”办事指南及内部审批规程中法律法规以外的申请条件和材料；"
        f"2. 对近一年已办结的同类办件开展回头看，逐件纠正并告知经营主体；"
        f"3. 建立准入事项申请材料合法性审查和内部督办制度，对相关责任人进行约谈；"
        f"4. 整改情况于{d.year}年{d.month}月{d.day}日前书面报区发展改革局。"
    )


def _status(case: Case, cutoff: int, cal: WorkCalendar) -> Case:
    """Cut the case's timeline at the export moment and give it the status it had then."""
    if case.transferred is None or case.transferred > cutoff:
        return replace(case, transferred=None, verified_day=None, verified=None, rectified=None,
                       closed=None, status="待转办", key=False, deadline=None, person=None, tasks=None)
    if case.verified_day is None or case.verified_day > cutoff:
        busy = int(cal.wd_between(case.transferred, cutoff)) > 2
        return replace(case, verified_day=None, verified=None, rectified=None, closed=None,
                       status="核查中" if busy else "已转办", key=False, deadline=None, person=None, tasks=None)
    if case.verified == "不属实":
        closed = case.closed if case.closed is not None and case.closed <= cutoff else case.verified_day
        return replace(case, closed=closed, rectified=None, status="不属实", key=False,
                       deadline=None, person=None, tasks=None)
    if case.rectified is None or case.rectified > cutoff:
        return replace(case, rectified=None, closed=None, status="整改中")
    if case.closed is None or case.closed > cutoff:
        return replace(case, closed=None, status="已整改")
    return replace(case, status="已办结")


def _random_cases(rng: np.random.Generator, cal: WorkCalendar, items: pd.DataFrame, scale: float) -> list[Case]:
    d0, d1 = day_no(PERIOD_START), day_no(PERIOD_END)
    days = np.arange(d0, d1 + 1)
    w = np.where(cal.is_work[days], 1.0, 0.08)
    n = int(rng.poisson(CASES_PER_YEAR * scale * len(days) / 365.25))
    received = np.sort(rng.choice(days, size=n, p=w / w.sum()))
    depts = list(CASE_DEPTS)
    dept_p = np.array(list(CASE_DEPTS.values()))
    items_by_dept = {d: g["item_name"].tolist() for d, g in items.groupby("dept_code")}
    licences_by_dept = {
        d: g["item_name"].tolist() for d, g in items[items["item_type"] == "行政许可"].groupby("dept_code")
    }
    categories = list(CATEGORY_P)
    cat_p = np.array(list(CATEGORY_P.values()))
    out: list[Case] = []
    for r in received.tolist():
        source = str(rng.choice(SOURCES, p=SOURCE_P))
        category = str(rng.choice(categories, p=cat_p))
        dept = str(rng.choice(depts, p=dept_p / dept_p.sum()))
        names = items_by_dept.get(dept) or ["市场准入相关事项"]
        if category.startswith("违规审批"):  # unlawful approvals concern licences
            names = licences_by_dept.get(dept) or names
        item = names[int(rng.integers(len(names)))]
        street = dept if dept in STREETS else (str(rng.choice(STREETS)) if rng.random() < 0.35 else None)
        summary = _summary(rng, category, source, dept, item)
        start = int(cal.workdays[cal.next_work_index(np.array([r]))[0]])
        if source == "部门自查":
            transfer_wd = 0
        else:
            transfer_wd = int(rng.integers(0, 6)) if rng.random() < 0.96 else int(rng.integers(6, 16))
        transferred = int(cal.add_workdays(np.array([start]), transfer_wd)[0])
        verified_day = int(cal.add_workdays(np.array([transferred]), int(rng.integers(5, 31)))[0])
        is_true = rng.random() < TRUE_P[source]
        verified = "属实" if is_true else "不属实"
        reported = source == "部门自查" or is_true or rng.random() < 0.3
        key = bool(is_true and category != "其他" and rng.random() < 0.06)
        deadline = rectified = closed = None
        person = tasks = None
        if is_true:
            if key or rng.random() < 0.8:
                span = int(rng.integers(30, 61)) if key else int(rng.integers(20, 61))
                deadline = int(cal.add_workdays(np.array([verified_day]), span)[0])
                if key or rng.random() < 0.96:
                    fix = max(1, int(span * rng.uniform(0.3, 1.0)))
                else:
                    fix = span + int(rng.integers(2, 21))
            else:
                fix = int(rng.integers(10, 41))
            rectified = int(cal.add_workdays(np.array([verified_day]), fix)[0])
            closed = int(cal.add_workdays(np.array([rectified]), int(rng.integers(2, 16)))[0])
            if key or rng.random() < 0.6:
                person = _person(rng, dept)
            if key:
                tasks = _tasks(item, deadline)  # type: ignore[arg-type]
            elif rng.random() < 0.3:
                tasks = f"清理“{item}”办事指南中不合规的申请条件，对经办人员开展业务培训。"
        else:
            closed = int(cal.add_workdays(np.array([verified_day]), int(rng.integers(1, 11)))[0])
        out.append(
            Case(r, source, category, dept, street, summary, transferred, verified_day, verified,
                 reported, key, deadline, rectified, closed, person, tasks)
        )
    return out


def _planted_cases() -> list[Case]:
    """The fixed cases behind planted weak links (3) and (4), plus on-track key cases."""
    u = planted.UNREPORTED_DEPT
    k = planted.OVERDUE_KEY_DEPT
    d = day_no
    cases = [
        Case(d("2025-03-12"), "市级转办", "违规设置隐性壁垒", u, "JH017",
             "市有关部门转办线索，区文广旅体局办理“营业性演出审批”时要求申请人提供演出场所消防验收合格证明原件，超出法定申请材料范围。",
             d("2025-03-14"), d("2025-04-08"), "属实", False, False, d("2025-05-30"), d("2025-05-20"), d("2025-05-28"),
             "梁锦荣（区文广旅体局副局长）", "删除营业性演出审批办事指南中的消防验收合格证明原件要求，改为部门间核验。"),
        Case(d("2025-06-18"), "经营主体反映", "违规设置隐性壁垒", u, "JH018",
             "经营主体通过区发展改革局门户网站意见反馈渠道反映，区文广旅体局办理“娱乐场所经营许可（新办）”时要求申请人先取得行业协会出具的推荐意见。",
             d("2025-06-20"), d("2025-07-10"), "属实", False, False, d("2025-08-29"), d("2025-08-15"), d("2025-08-22"),
             None, None),
        Case(d("2025-09-03"), "行政执法", "违规审批许可准入事项", u, None,
             "行政执法检查中发现，区文广旅体局对申请材料不齐全的“出版物零售业务经营许可”申请予以许可。",
             d("2025-09-05"), d("2025-09-30"), "属实", False, False, d("2025-11-28"), d("2025-11-14"), d("2025-11-21"),
             "梁锦荣（区文广旅体局副局长）", None),
        Case(d("2025-12-09"), "省级转办", "违规设置隐性壁垒", u, "JH019",
             "省有关部门转办线索，区文广旅体局办理“高危险性体育项目经营许可（新办）”时要求申请人提供本地社保缴纳证明。",
             d("2025-12-11"), d("2026-01-09"), "属实", False, False, d("2026-03-13"), d("2026-03-06"), d("2026-03-13"),
             None, None),
        Case(d("2026-03-17"), "互联网+督查", "其他", u, None,
             "“互联网+督查”平台收到线索，“互联网上网服务营业场所经营单位经营许可（新办）”超过承诺时限未办结且未告知理由。",
             d("2026-03-18"), d("2026-04-10"), "属实", False, False, d("2026-05-29"), d("2026-05-22"), d("2026-06-01"),
             None, None),
        Case(d("2026-07-08"), "国家部委转办", "违规设置隐性壁垒", u, "JH017",
             "国家有关部委转办线索，区文广旅体局办理“营业性演出审批”时要求演出主办方额外提供无犯罪记录证明。",
             d("2026-07-09"), d("2026-08-05"), "属实", False, False, d("2026-11-30"), None, None,
             "梁锦荣（区文广旅体局副局长）", "取消无犯罪记录证明要求，并对2026年以来的营业性演出审批开展回头看。"),
        # planted (4): the overdue key case
        Case(d("2026-02-27"), "经营主体反映", "违规设置隐性壁垒", k, "JH018",
             "经营主体通过区发展改革局门户网站意见反馈渠道反映，区应急管理局在“危险化学品经营许可（不带储存设施）（新办）”审查中要求申请人提供法律法规规定以外的安全评价报告专家评审意见，并指定评审机构。",
             d("2026-03-02"), d("2026-03-31"), "属实", True, True, d(planted.OVERDUE_KEY_DEADLINE), None, None,
             "何志强（区应急管理局副局长）", _tasks("危险化学品经营许可（不带储存设施）", d(planted.OVERDUE_KEY_DEADLINE))),
        # key cases on track
        Case(d("2025-01-15"), "省级转办", "违规设置隐性壁垒", "JH009", "JH017",
             "省有关部门转办线索，区住建局办理“建筑工程施工许可证核发（新办）”时要求外地施工企业在本区设立分支机构。",
             d("2025-01-17"), d("2025-02-26"), "属实", True, True, d("2025-05-30"), d("2025-05-16"), d("2025-05-29"),
             "陈国栋（区住建局副局长）", _tasks("建筑工程施工许可证核发", d("2025-05-30"))),
        Case(d("2025-08-11"), "互联网+督查", "违规设置隐性壁垒", "JH019", "JH019",
             "“互联网+督查”平台收到线索，礼乐街道便民服务中心办理“个体工商户设立登记”时要求申请人提供村（居）委会出具的经营场所证明。",
             d("2025-08-12"), d("2025-09-05"), "属实", True, True, d("2025-11-28"), d("2025-11-07"), d("2025-11-20"),
             "吴少芬（礼乐街道副主任）", _tasks("个体工商户设立登记", d("2025-11-28"))),
        Case(d("2026-06-22"), "市级转办", "违规审批许可准入事项", "JH004", "JH018",
             "市有关部门转办线索，区市场监管局在“食品生产许可证核发（新办）”办理中未按规定开展现场核查即予以许可。",
             d("2026-06-24"), d("2026-07-24"), "属实", True, True, d("2026-12-31"), None, None,
             "黄建华（区市场监管局副局长）", _tasks("食品生产许可证核发", d("2026-12-31"))),
    ]
    return cases


def generate_cases(rng: np.random.Generator, cal: WorkCalendar, items: pd.DataFrame, scale: float) -> pd.DataFrame:
    cutoff = day_no(str(CUTOFF.astype("datetime64[D]")))
    cases = _random_cases(rng, cal, items, scale)
    # Random cases found true are always reported (only the planted department leaves them
    # unreported), and their key cases are rectified by the deadline.
    cases = [_status(c, cutoff, cal) for c in cases]
    cases += [_status(c, cutoff, cal) for c in _planted_cases()]
    cases.sort(key=lambda c: (c.received, c.dept, c.summary))
    rows = []
    seq_by_year: dict[int, int] = {}
    for c in cases:
        year = int(iso(c.received)[:4])
        seq_by_year[year] = seq_by_year.get(year, 0) + 1
        rows.append(
            {
                "case_id": f"XS{year}{seq_by_year[year]:05d}",
                "received_date": iso(c.received),
                "source": c.source,
                "category": c.category,
                "dept_code": c.dept,
                "street_code": c.street,
                "summary": c.summary,
                "status": c.status,
                "transferred_date": iso(c.transferred) if c.transferred is not None else None,
                "verified_date": iso(c.verified_day) if c.verified_day is not None else None,
                "verified": c.verified,
                "dept_reported": c.reported,
                "key_case": c.key,
                "rectify_deadline": iso(c.deadline) if c.deadline is not None else None,
                "rectified_date": iso(c.rectified) if c.rectified is not None else None,
                "closed_date": iso(c.closed) if c.closed is not None else None,
                "responsible_person": c.person,
                "rectify_tasks": c.tasks,
            }
        )
    return pd.DataFrame(rows)
