"""Every rule of the data contract: one bad row, its Chinese message, and nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from data.db import Database
from tests.fixtures.imports import ENTITY, base_rows, counts, problems_at, run, write_dataset

NEW_KEY = {
    "departments": {"dept_code": "D09"},
    "negative_list": {"nl_code": "N009"},
    "service_items": {"item_code": "I09"},
    "applications": {"app_id": "A009"},
    "cases": {"case_id": "C009"},
    "disclosures": {"channel": "微信公众号"},
    "credit_ratings": {"rated_date": "2025-07-31"},
    "provincial_scores": {"indicator": "另一指标"},
}

# (case id, table, base row copied, changes, column id, reason fragment, value shown)
BAD = [
    ("required", "departments", 0, {"dept_name": ""}, "dept_name", "必填项为空", None),
    ("enum", "departments", 0, {"dept_type": "局"}, "dept_type", "不是允许的取值", "局"),
    ("bool", "departments", 0, {"convener": "也许"}, "convener", "不是有效的是/否值", "也许"),
    ("int-negative", "negative_list", 0, {"item_no": "-1"}, "item_no", "应为非负整数", "-1"),
    ("int-text", "service_items", 0, {"legal_limit_days": "二十"}, "legal_limit_days", "应为非负整数", "二十"),
    ("int-fraction", "service_items", 0, {"materials": "2.5"}, "materials", "应为非负整数", "2.5"),
    ("date", "negative_list", 0, {"effective_date": "2025-02-30"}, "effective_date", "不是有效的日期", "2025-02-30"),
    ("version-date", "negative_list", 0, {"effective_date": "2025-02-01"}, "effective_date",
     "同一清单版本（2025）各行的生效日期应相同（该版本生效日期为 2025-01-01）", "2025-02-01"),
    ("promised-over-legal", "service_items", 0, {"promised_limit_days": "30"}, "promised_limit_days",
     "承诺办结时限（30）不能超过法定办结时限（20）", "30"),
    ("full-online-needs-online", "service_items", 0, {"online_available": "否"}, "full_online",
     "全程网办为「是」时网上可办也必须为「是」", "是"),
    ("ref-dept", "service_items", 0, {"dept_code": "D77"}, "dept_code", "引用的部门（departments）中没有该编码", "D77"),
    ("ref-nl", "service_items", 0, {"nl_code": "N777"}, "nl_code", "引用的负面清单事项（negative_list）中没有该编码",
     "N777"),
    ("future-guide", "service_items", 0, {"guide_updated": "2026-01-02"}, "guide_updated", "晚于导入时间", "2026-01-02"),
    ("datetime", "applications", 0, {"submitted_at": "2025-13-01 10:00"}, "submitted_at", "不是有效的日期时间",
     "2025-13-01 10:00"),
    ("datetime-date-only", "applications", 0, {"decided_at": "2025-03-03"}, "decided_at", "不是有效的日期时间",
     "2025-03-03"),
    ("order-accepted", "applications", 0, {"accepted_at": "2025-03-01 08:00"}, "accepted_at",
     "受理时间早于申请时间（2025-03-01 09:00:00）", "2025-03-01 08:00"),
    ("order-skip-missing", "applications", 0, {"reviewed_at": "", "decided_at": "", "completed_at": "2025-03-01 09:30"},
     "completed_at", "办结时间早于受理时间（2025-03-01 10:00:00）", "2025-03-01 09:30"),
    ("accepted-required", "applications", 1, {"accepted_at": ""}, "accepted_at",
     "办理状态为「在办」时受理时间必填", None),
    ("completed-required", "applications", 0, {"completed_at": ""}, "completed_at",
     "办理状态为「已办结」时办结时间必填", None),
    ("completed-empty-when-open", "applications", 1, {"completed_at": "2025-03-06 10:00"}, "completed_at",
     "办理状态为「在办」时办结时间应为空", "2025-03-06 10:00"),
    ("result-only-done", "applications", 1, {"result": "准予"}, "result", "只有已办结的办件才有办理结果", "准予"),
    ("suspended-negative", "applications", 0, {"suspended_days": "-2"}, "suspended_days", "应为非负整数", "-2"),
    ("rating", "applications", 0, {"rating": "6"}, "rating", "好差评应为 1–5", "6"),
    ("rating-word", "applications", 0, {"rating": "很好"}, "rating", "好差评应为 1–5", "很好"),
    ("uscc-check", "applications", 0, {"entity_id": ENTITY[:17] + ("0" if ENTITY[17] != "0" else "1")},
     "entity_id", f"校验码错误（第 18 位应为 {ENTITY[17]}）", None),
    ("uscc-length", "applications", 0, {"entity_id": "9144070412345"}, "entity_id", "应为 18 位", "9144070412345"),
    ("uscc-charset", "applications", 0, {"entity_id": ENTITY[:5] + "I" + ENTITY[6:]}, "entity_id", "不允许的字符", None),
    ("channel", "applications", 0, {"channel": "电话"}, "channel", "不是允许的取值", "电话"),
    ("route-required", "applications", 0, {"route": ""}, "route", "必填项为空", None),
    ("street-not-street", "applications", 0, {"street_code": "D01"}, "street_code",
     "街道编码应为部门类型为「街道」的部门（该部门类型为「区直部门」）", "D01"),
    ("street-unknown", "applications", 0, {"street_code": "S99"}, "street_code", "引用的部门（departments）中没有该编码",
     "S99"),
    ("ref-item", "applications", 0, {"item_code": "I77"}, "item_code",
     "引用的政务服务事项（service_items）中没有该编码", "I77"),
    ("future-submitted", "applications", 1, {"submitted_at": "2026-01-02 12:30", "accepted_at": "2026-01-02 13:00"},
     "submitted_at", "晚于导入时间（2025-12-31 12:00）一天以上", "2026-01-02 12:30"),
    ("case-untrue-needs-verified", "cases", 1, {"status": "不属实", "verified": "属实", "closed_date": "2025-06-01",
                                                "verified_date": "2025-05-20"},
     "verified", "办理状态为「不属实」时核查结论应为「不属实」", "属实"),
    ("case-rectifying-needs-true", "cases", 1, {"status": "整改中"}, "verified",
     "办理状态为「整改中」时核查结论应为「属实」", None),
    ("case-key-deadline", "cases", 0, {"rectify_deadline": ""}, "rectify_deadline",
     "重点督办且核查属实的线索必须填写整改时限", None),
    ("case-key-person", "cases", 0, {"responsible_person": " "}, "responsible_person",
     "重点督办且核查属实的线索必须填写责任人", None),
    ("case-rectified-required", "cases", 0, {"status": "已整改", "rectified_date": "", "closed_date": ""},
     "rectified_date", "办理状态为「已整改」时整改完成日期必填", None),
    ("case-rectified-required-done", "cases", 0, {"rectified_date": ""}, "rectified_date",
     "办理状态为「已办结」时整改完成日期必填", None),
    ("case-closed-required", "cases", 0, {"closed_date": ""}, "closed_date", "办理状态为「已办结」时办结日期必填", None),
    ("case-order", "cases", 0, {"verified_date": "2025-01-15"}, "verified_date", "核实日期早于转办日期（2025-02-02）",
     "2025-01-15"),
    ("case-future-closed", "cases", 0, {"closed_date": "2026-02-01"}, "closed_date", "晚于导入时间", "2026-02-01"),
    ("case-source", "cases", 0, {"source": "群众来信"}, "source", "不是允许的取值", "群众来信"),
    ("disclosure-version", "disclosures", 0, {"version": "2019"}, "version",
     "引用的负面清单事项（negative_list）中没有该清单版本", "2019"),
    ("disclosure-future", "disclosures", 0, {"published_date": "2026-03-01"}, "published_date", "晚于导入时间",
     "2026-03-01"),
    ("credit-uscc-required", "credit_ratings", 0, {"entity_id": ""}, "entity_id", "必填项为空", None),
    ("credit-grade", "credit_ratings", 0, {"grade": "E"}, "grade", "不是允许的取值", "E"),
    ("credit-dept", "credit_ratings", 0, {"dept_code": "X1"}, "dept_code", "引用的部门", "X1"),
    ("score-period", "provincial_scores", 0, {"period": "2025H3"}, "period", "评估期应为", "2025H3"),
    ("score-over-max", "provincial_scores", 0, {"score": "101", "max_score": "100"}, "score",
     "得分（101）超过满分（100）", "101"),
    ("score-over-default-max", "provincial_scores", 0, {"score": "120", "max_score": ""}, "score",
     "得分（120）超过满分（100）", "120"),
    ("score-negative", "provincial_scores", 0, {"score": "-1"}, "score", "得分不能为负数", "-1"),
    ("score-number", "provincial_scores", 0, {"score": "八十"}, "score", "应为数字", "八十"),
    ("too-long", "cases", 1, {"responsible_person": "长" * 129}, "responsible_person", "长度超过 128 个字符", None),
]


@pytest.mark.parametrize(
    ("table", "base", "changes", "column", "reason", "value"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD],
)
def test_bad_row_is_reported_and_nothing_stored(
    db: Database, tmp_path: Path, table: str, base: int, changes: dict[str, object], column: str, reason: str,
    value: str | None,
) -> None:
    data = base_rows()
    bad = {**data[table][base], **NEW_KEY[table], **changes}
    data[table].append(bad)
    row = len(data[table]) + 1  # header is row 1
    report = run(db, write_dataset(tmp_path, data))
    assert not report.ok
    found = problems_at(report, table=table, column=column, row=row)
    assert found, [p.describe() for p in report.problems]
    assert any(reason in p.reason for p in found), [p.describe() for p in found]
    problem = next(p for p in found if reason in p.reason)
    assert problem.file == f"{table}.csv"
    assert problem.sheet is None
    if value is not None:
        assert problem.value == value
    # Only the bad row is reported: every other row of the batch is valid.
    assert {(p.table, p.row) for p in report.problems} == {(table, row)}, [p.describe() for p in report.problems]
    assert set(counts(db).values()) == {0}


GOOD = [
    ("promised-over-zero-legal", "service_items", 1, {"promised_limit_days": "5"}),
    ("withdrawn-without-accepted", "applications", 2, {"status": "撤回"}),
    ("rating-number", "applications", 1, {"rating": "1"}),
    ("bool-words", "departments", 0, {"joint_meeting": "TRUE", "convener": "n"}),
    ("deadline-in-future", "cases", 0, {"rectify_deadline": "2030-01-01"}),
    ("effective-date-in-future", "negative_list", 0, {"version": "2026", "effective_date": "2026-07-01"}),
    ("submitted-within-a-day", "applications", 1, {"submitted_at": "2026-01-01 09:00", "accepted_at": "2026-01-01 10:00"}),
    ("chinese-date", "cases", 1, {"received_date": "2025年5月1日"}),
    ("not-key-case-without-deadline", "cases", 0, {"key_case": "否", "rectify_deadline": "", "responsible_person": ""}),
    ("score-at-custom-max", "provincial_scores", 0, {"score": "10", "max_score": "10"}),
    ("period-year", "provincial_scores", 0, {"period": "2025"}),
    ("period-quarter", "provincial_scores", 0, {"period": "2025Q3"}),
]


@pytest.mark.parametrize(("table", "base", "changes"), [pytest.param(*c[1:], id=c[0]) for c in GOOD])
def test_valid_variants_are_accepted(
    db: Database, tmp_path: Path, table: str, base: int, changes: dict[str, object]
) -> None:
    data = base_rows()
    data[table].append({**data[table][base], **NEW_KEY[table], **changes})
    report = run(db, write_dataset(tmp_path, data))
    assert report.ok, [p.describe() for p in report.problems]
    assert counts(db)[table] == len(data[table])


def test_every_bad_row_is_reported(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    template = data["applications"][1]
    for i in range(5):
        data["applications"].append({**template, "app_id": f"B{i}", "channel": "电话"})
    data["applications"].append({**template, "app_id": "B9", "rating": "9", "visits": "-1"})
    report = run(db, write_dataset(tmp_path, data))
    rows = sorted(p.row or 0 for p in problems_at(report, table="applications", column="channel"))
    assert rows == [5, 6, 7, 8, 9]
    assert {p.column for p in problems_at(report, table="applications", row=10)} == {
        "好差评 (rating)", "到现场次数 (visits)"
    }
    assert report.problems == tuple(sorted(report.problems, key=lambda p: (p.file, p.row or 0)))


def test_duplicate_keys_in_one_file(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    data["applications"].append(dict(data["applications"][0]))
    report = run(db, write_dataset(tmp_path, data))
    dup = problems_at(report, table="applications", column="app_id")
    assert {p.row for p in dup} == {2, 5}
    first = next(p for p in dup if p.row == 2)
    assert first.reason == "键（办件编号：A001）在本批导入中重复，另见 applications.csv 第 5 行"
    assert first.value == "A001"


def test_duplicate_composite_key_across_files(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    paths = write_dataset(tmp_path / "a", data)
    extra = write_dataset(tmp_path / "b", {"credit_ratings": [data["credit_ratings"][0]]}, names={"credit_ratings": "信用风险分类"})
    report = run(db, [*paths, *extra])
    dup = problems_at(report, table="credit_ratings", column="entity_id")
    assert {(p.file, p.row) for p in dup} == {("credit_ratings.csv", 2), ("信用风险分类.csv", 2)}
    assert all(f"{ENTITY} / D02 / 2025-06-30" in p.reason for p in dup)


def test_references_in_batch_in_database_and_missing(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    # In the same batch: departments and items refer to each other's rows in this import.
    first = run(db, write_dataset(tmp_path / "one", {k: data[k] for k in ("departments", "negative_list", "service_items")}))
    assert first.ok, [p.describe() for p in first.problems]
    # In the database: applications alone refer to items and departments stored before.
    second = run(db, write_dataset(tmp_path / "two", {"applications": data["applications"]}))
    assert second.ok, [p.describe() for p in second.problems]
    # Missing in both.
    bad = [{**data["applications"][1], "app_id": "A100", "item_code": "NOPE", "dept_code": "NOPE"}]
    third = run(db, write_dataset(tmp_path / "three", {"applications": bad}))
    assert {p.column for p in third.problems} == {"事项编码 (item_code)", "受理部门编码 (dept_code)"}
    assert counts(db)["applications"] == 3


def test_street_type_from_batch_overrides_database(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    assert run(db, write_dataset(tmp_path / "one", {"departments": data["departments"]})).ok
    # The batch turns S01 into a district department: applications naming it as street are wrong.
    depts = [{**data["departments"][2], "dept_type": "区直部门"}]
    apps = [data["applications"][0]]
    items = data["service_items"]
    report = run(db, write_dataset(tmp_path / "two", {"departments": depts, "negative_list": data["negative_list"],
                                                       "service_items": items, "applications": apps}))
    assert [p.column for p in report.problems] == ["街道编码 (street_code)"]


def test_version_dates_checked_against_stored_rows(db: Database, tmp_path: Path) -> None:
    data = base_rows()
    assert run(db, write_dataset(tmp_path / "one", {"negative_list": data["negative_list"]})).ok
    new = [{**data["negative_list"][0], "nl_code": "N003", "effective_date": "2025-03-01"}]
    report = run(db, write_dataset(tmp_path / "two", {"negative_list": new}))
    assert [p.reason for p in report.problems] == ["同一清单版本（2025）各行的生效日期应相同（该版本生效日期为 2025-01-01）"]
    # Replacing every row of the version with a new common date is fine.
    moved = [{**r, "effective_date": "2025-03-01"} for r in data["negative_list"]]
    assert run(db, write_dataset(tmp_path / "three", {"negative_list": moved})).ok
