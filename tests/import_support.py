"""Builders for import tests: a small valid dataset and writers for CSV and xlsx files.

Rows are dicts keyed by contract column id; writers can head columns by id or by Chinese
name, in any of the accepted encodings.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from data import contract
from data.db import Database
from data.importer import ImportReport, import_files
from data.problems import Problem, column_label
from data.values import uscc_check_char

NOW = dt.datetime(2025, 12, 31, 12, 0)
"""The import moment every test passes, so the no-future rule is deterministic."""

Row = dict[str, object]


def uscc(body17: str) -> str:
    """A valid unified social credit code from its first 17 characters."""
    return body17 + uscc_check_char(body17)


ENTITY = uscc("91440704MA4UXXXX1")
ENTITY2 = uscc("91440704MA52QQQQ2")


def base_rows() -> dict[str, list[Row]]:
    """A small, fully valid dataset touching every table and rule."""
    return {
        "departments": [
            {"dept_code": "D01", "dept_name": "区发展改革局", "dept_type": "区直部门", "joint_meeting": "是", "convener": "是"},
            {"dept_code": "D02", "dept_name": "区市场监管局", "dept_type": "垂直管理部门", "joint_meeting": "是"},
            {"dept_code": "S01", "dept_name": "礼乐街道", "dept_type": "街道"},
        ],
        "negative_list": [
            {"version": "2025", "nl_code": "N001", "category": "许可准入类", "item_no": "1", "name": "事项一",
             "effective_date": "2025-01-01"},
            {"version": "2025", "nl_code": "N002", "category": "禁止准入类", "name": "事项二",
             "effective_date": "2025/1/1"},
        ],
        "service_items": [
            {"item_code": "I01", "item_name": "食品经营许可", "dept_code": "D02", "item_type": "行政许可",
             "nl_code": "N001", "legal_limit_days": "20", "promised_limit_days": "10", "online_available": "是",
             "full_online": "是", "max_visits": "0", "materials": "3", "guide_updated": "2025年3月1日"},
            {"item_code": "I02", "item_name": "企业登记", "dept_code": "D01", "item_type": "公共服务",
             "legal_limit_days": "0", "promised_limit_days": "0"},
        ],
        "applications": [
            {"app_id": "A001", "item_code": "I01", "street_code": "S01", "channel": "网上办理", "route": "承诺件",
             "submitted_at": "2025-03-01 09:00", "accepted_at": "2025-03-01 10:00:00",
             "reviewed_at": "2025-03-02 10:00", "decided_at": "2025-03-03 10:00",
             "completed_at": "2025-03-03 11:00", "status": "已办结", "result": "准予", "suspended_days": "1",
             "visits": "0", "rating": "满意", "entity_id": ENTITY},
            {"app_id": "A002", "item_code": "I01", "dept_code": "D02", "channel": "窗口办理", "route": "即办件",
             "submitted_at": "2025/3/5 9:30", "accepted_at": "2025-03-05 09:40", "status": "在办", "rating": "5"},
            {"app_id": "A003", "item_code": "I02", "channel": "掌上办理", "route": "告知承诺",
             "submitted_at": "2025-04-01 08:00:00", "status": "不予受理"},
        ],
        "cases": [
            {"case_id": "C001", "received_date": "2025-02-01", "source": "经营主体反映",
             "category": "违规设置隐性壁垒", "dept_code": "D02", "street_code": "S01", "status": "已办结",
             "transferred_date": "2025-02-02", "verified_date": "2025-02-10", "verified": "属实",
             "key_case": "是", "rectify_deadline": "2026-06-30", "rectified_date": "2025-03-01",
             "closed_date": "2025-03-05", "responsible_person": "张三"},
            {"case_id": "C002", "received_date": "2025-05-01", "source": "部门自查", "category": "其他",
             "dept_code": "D01", "status": "核查中", "dept_reported": "Y"},
        ],
        "disclosures": [
            {"dept_code": "D01", "content": "负面清单", "version": "2025", "channel": "门户网站",
             "published_date": "2025-01-05", "url": "https://example.org/nl"},
        ],
        "credit_ratings": [
            {"entity_id": ENTITY, "entity_name": "江海某公司", "dept_code": "D02", "grade": "A",
             "rated_date": "2025-06-30"},
            {"entity_id": ENTITY2, "dept_code": "D02", "grade": "C", "rated_date": "2025-06-30"},
        ],
        "provincial_scores": [
            {"period": "2025H1", "dept_code": "D01", "dimension": "办事流程", "indicator": "办理时限压缩率",
             "score": "85.5", "max_score": "100"},
            {"period": "2025-07", "dept_code": "D02", "dimension": "服务渠道", "indicator": "网办率", "score": "9"},
        ],
    }


def header(table: contract.Table, column_id: str, by: str) -> str:
    return column_id if by == "id" else table.column(column_id).zh


def write_csv(
    path: Path, table_id: str, rows: Sequence[Mapping[str, object]], *, by: str = "zh",
    encoding: str = "utf-8", columns: Sequence[str] | None = None,
) -> Path:
    """One table as CSV: headers by contract ``id`` or Chinese name (``zh``)."""
    table = contract.TABLES_BY_ID[table_id]
    cols = list(columns) if columns is not None else table.column_ids
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([header(table, c, by) if c in table.column_ids else c for c in cols])
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in cols])
    return path


def write_dataset(
    directory: Path, data: Mapping[str, Sequence[Mapping[str, object]]], *, by: str = "zh",
    encoding: str = "utf-8", names: Mapping[str, str] | None = None,
) -> list[Path]:
    """Each table of ``data`` as ``<id>.csv`` (or the name given in ``names``), in contract order."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in contract.TABLES:
        if table.id in data:
            name = (names or {}).get(table.id, table.id)
            paths.append(write_csv(directory / f"{name}.csv", table.id, data[table.id], by=by, encoding=encoding))
    return paths


def write_xlsx(path: Path, sheets: Mapping[str, tuple[str, Sequence[Sequence[object]]]]) -> Path:
    """A workbook: sheet name → (table id, rows of cells with the header first)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (_table_id, rows) in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


def run(db: Database, paths: Iterable[Path | str], **kwargs: object) -> ImportReport:
    """Import in one committed session at :data:`NOW`."""
    kwargs.setdefault("now", NOW)
    with db.session() as session:
        return import_files(session, list(paths), **kwargs)  # type: ignore[arg-type]


def problems_at(report: ImportReport, *, table: str, column: str | None = None, row: int | None = None) -> list[Problem]:
    """The problems of ``report`` at a column (by id) and/or row of ``table``."""
    spec = contract.TABLES_BY_ID[table]
    label = column_label(spec.column(column)) if column else None
    return [
        p for p in report.problems
        if p.table == table and (label is None or p.column == label) and (row is None or p.row == row)
    ]


def counts(db: Database) -> dict[str, int]:
    """Row count of every contract table."""
    from sqlalchemy import func, select

    from data.schema import CONTRACT

    with db.session() as session:
        return {
            t.id: int(session.execute(select(func.count()).select_from(CONTRACT[t.id])).scalar_one())
            for t in contract.TABLES
        }
