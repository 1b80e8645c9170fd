"""A small hand-built data set around National Day 2025 for the early-warning tests.

Calendar facts (State Council notice for 2025): 10-01 .. 10-08 are holidays; Sunday 09-28
and Saturday 10-11 are make-up working days (调休).  So the working days from 09-25 on are
09-25, 09-26, 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13, 10-14, 10-15, 10-16, 10-17.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import insert
from sqlalchemy.orm import Session

from data.frames import Frames, frames_from
from data.schema import CONTRACT

D = dt.date

DEPARTMENTS = [("D01", "区市场监督管理局", "区直部门"), ("D02", "区住房和城乡建设局", "区直部门")]


def tables() -> dict[str, pd.DataFrame]:
    departments = pd.DataFrame(DEPARTMENTS, columns=["dept_code", "dept_name", "dept_type"])
    items = pd.DataFrame([
        ("I1", "食品经营许可", "D01", "行政许可", 20, 5),
        ("I2", "建筑工程施工许可", "D02", "行政许可", 15, 3),
    ], columns=["item_code", "item_name", "dept_code", "item_type", "legal_limit_days", "promised_limit_days"])
    apps = pd.DataFrame([
        # app_id, item, dept, accepted, status, completed, suspended
        ("A1", "I1", None, "2025-09-29 09:00", "在办", None, 0),
        ("A2", "I1", None, "2025-09-26 09:00", "在办", None, 0),
        ("A3", "I1", None, "2025-09-25 09:00", "在办", None, 0),
        ("A4", "I1", None, "2025-09-25 09:00", "在办", None, 1),
        ("A5", "I1", None, "2025-09-30 09:00", "在办", None, 0),
        ("A6", "I1", None, "2025-09-01 09:00", "已办结", "2025-09-05 09:00", 0),
        ("A7", "I1", "D02", "2025-09-19 09:00", "在办", None, 0),
        ("A8", "I2", None, "2025-10-13 09:00", "在办", None, 0),
    ], columns=["app_id", "item_code", "dept_code", "accepted_at", "status", "completed_at", "suspended_days"])
    apps["submitted_at"] = apps["accepted_at"]
    apps["channel"] = "网上办理"
    apps["route"] = "承诺件"
    cases = pd.DataFrame([
        # case_id, received, dept, status, transferred, verified, key, deadline, rectified
        ("C1", "2025-09-30", "D01", "待转办", None, None, False, None, None),
        ("C2", "2025-09-26", "D02", "待转办", None, None, False, None, None),
        ("C3", "2025-09-20", "D01", "已转办", "2025-09-22", None, False, None, None),
        ("K1", "2025-09-01", "D01", "整改中", "2025-09-02", "属实", True, "2025-10-09", None),
        ("K2", "2025-09-01", "D02", "整改中", "2025-09-02", "属实", True, "2025-10-17", None),
        ("K3", "2025-09-01", "D01", "已整改", "2025-09-02", "属实", True, "2025-10-09", "2025-10-08"),
        ("K4", "2025-09-01", "D01", "整改中", "2025-09-02", "属实", True, "2025-10-10", None),
        ("K5", "2025-09-01", "D01", "整改中", "2025-09-02", "属实", False, "2025-09-30", None),
    ], columns=["case_id", "received_date", "dept_code", "status", "transferred_date", "verified", "key_case",
                "rectify_deadline", "rectified_date"])
    cases["source"] = "经营主体反映"
    cases["category"] = "其他"
    cases["summary"] = "线索" + cases["case_id"]
    return {"departments": departments, "service_items": items, "applications": apps, "cases": cases}


def frames() -> Frames:
    return frames_from(tables())


def seed_departments(session: Session) -> None:
    """The fixture's departments in a database (for tasks, urgings, contacts)."""
    session.execute(insert(CONTRACT["departments"]), [
        {"dept_code": c, "dept_name": n, "dept_type": t, "joint_meeting": True, "convener": c == "D01",
         "row_hash": i} for i, (c, n, t) in enumerate(DEPARTMENTS)])
