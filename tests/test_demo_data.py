"""The demo dataset: deterministic, contract-valid, realistic, with every planted weak link."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import numpy as np
import pandas as pd
import pytest

from cli.main import main
from data import contract
from data.contract import Kind
from data.demo import generate, planted, write_demo_data
from data.demo.entities import is_valid_uscc as own_is_valid_uscc
from data.values import is_valid_uscc

CUTOFF = pd.Timestamp("2026-10-31 23:59:59")
LIST_2025 = pd.Timestamp("2025-04-24")


@pytest.fixture(scope="module")
def full() -> dict[str, pd.DataFrame]:
    """The tables at scale 1 (about a second to generate)."""
    return generate(2025, 1.0)


@pytest.fixture(scope="module")
def small() -> dict[str, pd.DataFrame]:
    return generate(11, 0.15)


def _stamps(df: pd.DataFrame, col: str) -> pd.Series:
    return pd.to_datetime(df[col])


# --- determinism and size ----------------------------------------------------------------


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a = write_demo_data(tmp_path / "a", seed=7, scale=0.1)
    b = write_demo_data(tmp_path / "b", seed=7, scale=0.1)
    assert set(a) == {t.id for t in contract.TABLES}
    for table_id, path in a.items():
        assert path.name == f"{table_id}.csv"
        assert path.read_bytes() == b[table_id].read_bytes(), table_id
    c = write_demo_data(tmp_path / "c", seed=8, scale=0.1)
    assert c["applications"].read_bytes() != a["applications"].read_bytes()


def test_files_have_chinese_headers_and_plain_utf8(tmp_path: Path) -> None:
    paths = write_demo_data(tmp_path, seed=3, scale=0.05)
    for table in contract.TABLES:
        raw = paths[table.id].read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        header = raw.decode("utf-8").split("\n", 1)[0]
        assert header.split(",") == [c.zh for c in table.columns]
    apps = pd.read_csv(paths["applications"], dtype=str)
    assert apps["申请时间"].str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d").all()
    assert set(pd.read_csv(paths["departments"], dtype=str)["联席会议成员单位"]) == {"是", "否"}


def test_row_counts_at_scale_1(full: dict[str, pd.DataFrame]) -> None:
    n = {k: len(v) for k, v in full.items()}
    assert n["departments"] == 19
    assert 200 <= n["negative_list"] <= 240
    assert 140 <= n["service_items"] <= 160
    assert 55_000 <= n["applications"] <= 65_000
    assert 500 <= n["cases"] <= 700
    assert 90 <= n["disclosures"] <= 140
    assert 10_000 <= n["credit_ratings"] <= 30_000
    assert 400 <= n["provincial_scores"] <= 700
    per_year = full["applications"].groupby(_stamps(full["applications"], "submitted_at").dt.year).size()
    assert 27_000 <= per_year[2025] <= 33_000


def test_scale_multiplies_applications_and_cases_only(small: dict[str, pd.DataFrame]) -> None:
    other = generate(11, 0.3)
    ratio = len(other["applications"]) / len(small["applications"])
    assert 1.9 < ratio < 2.1
    assert len(other["cases"]) > len(small["cases"])
    for table_id in ("departments", "negative_list", "service_items", "disclosures", "credit_ratings"):
        pd.testing.assert_frame_equal(other[table_id], small[table_id])


def test_rejects_non_positive_scale() -> None:
    with pytest.raises(ValueError):
        generate(1, 0)


# --- the contract --------------------------------------------------------------------------


def test_every_table_satisfies_the_contract(small: dict[str, pd.DataFrame]) -> None:
    ids: dict[str, set[object]] = {t: set() for t in ("departments", "service_items")}
    for table in contract.TABLES:
        df = small[table.id]
        assert list(df.columns) == table.column_ids
        assert not df.duplicated(list(table.key)).any(), table.id
        for col in table.columns:
            s = df[col.id]
            present = s.notna()
            if col.required:
                assert present.all(), (table.id, col.id)
            v = s[present]
            if col.kind is Kind.ENUM:
                assert set(v.astype(str)) <= set(col.values), (table.id, col.id)
            elif col.kind is Kind.INT:
                assert (v.astype(int) >= 0).all(), (table.id, col.id)
            elif col.kind is Kind.RATING:
                assert v.astype(int).between(1, 5).all()
            elif col.kind is Kind.BOOL:
                assert set(v) <= {True, False}
            elif col.kind is Kind.USCC:
                codes = v.astype(str).unique()
                assert all(is_valid_uscc(c) and own_is_valid_uscc(c) for c in codes), (table.id, col.id)
            elif col.kind in (Kind.DATE, Kind.DATETIME) and col.happened:
                assert (pd.to_datetime(v) <= CUTOFF).all(), (table.id, col.id)
        if table.id in ids:
            ids[table.id] = set(df[table.key[0]])
    depts = ids["departments"]
    streets = set(small["departments"].query("dept_type == '街道'")["dept_code"])
    nl_codes = set(small["negative_list"]["nl_code"])
    items = small["service_items"]
    apps = small["applications"]
    assert set(items["dept_code"]) <= depts
    assert set(items["nl_code"].dropna()) <= nl_codes
    assert set(apps["item_code"].astype(str)) <= ids["service_items"]
    assert set(apps["dept_code"].dropna().astype(str)) <= depts
    assert set(apps["street_code"].dropna().astype(str)) <= streets
    for table_id in ("cases", "disclosures", "credit_ratings", "provincial_scores"):
        assert set(small[table_id]["dept_code"]) <= depts
    assert set(small["cases"]["street_code"].dropna()) <= streets
    assert set(small["disclosures"]["version"]) <= set(small["negative_list"]["version"])
    assert (small["provincial_scores"]["score"] <= small["provincial_scores"]["max_score"]).all()


def test_negative_list_versions(full: dict[str, pd.DataFrame]) -> None:
    nl = full["negative_list"]
    for version, effective in (("2022", "2022-03-28"), ("2025", "2025-04-24")):
        v = nl[nl["version"] == version]
        assert set(v["effective_date"]) == {effective}
        assert (v["category"] == "禁止准入类").sum() == 6
        assert 95 <= (v["category"] == "许可准入类").sum() <= 115
        assert v["item_no"].tolist() == list(range(1, len(v) + 1))
    codes = {v: set(g["nl_code"]) for v, g in nl.groupby("version")}
    assert 0 < len(codes["2022"] - codes["2025"]) < 10
    assert 0 < len(codes["2025"] - codes["2022"]) < 10
    both = nl[nl["nl_code"].isin(codes["2022"] & codes["2025"])]
    assert (both.groupby("nl_code")["name"].nunique() == 1).all()


def test_service_items_rules(full: dict[str, pd.DataFrame]) -> None:
    items = full["service_items"]
    legal, promised = items["legal_limit_days"], items["promised_limit_days"]
    assert ((legal == 0) | (promised <= legal)).all()
    assert (~items["full_online"] | items["online_available"]).all()
    assert (items["item_type"] == "行政许可").mean() > 0.6
    licensing = items[items["item_type"] == "行政许可"]
    unmapped = licensing[licensing[["nl_code", "power_code", "license_code"]].isna().any(axis=1)]
    assert 3 <= len(unmapped) <= 10
    current = set(full["negative_list"].query("version == '2025' and category == '许可准入类'")["nl_code"])
    assert 0.3 < len(current & set(items["nl_code"].dropna())) / len(current) < 0.8


def test_application_timestamps_and_statuses(full: dict[str, pd.DataFrame]) -> None:
    apps = full["applications"]
    stamps = [_stamps(apps, c) for c in ("submitted_at", "accepted_at", "reviewed_at", "decided_at", "completed_at")]
    for i, earlier in enumerate(stamps):
        for later in stamps[i + 1 :]:
            both = earlier.notna() & later.notna()
            assert (earlier[both] <= later[both]).all()
    status = apps["status"].astype(str)
    accepted, completed = stamps[1], stamps[4]
    assert accepted[~status.isin(["不予受理", "撤回"])].notna().all()
    assert completed[status == "已办结"].notna().all()
    assert completed[status == "在办"].isna().all()
    assert apps["result"][status != "已办结"].isna().all()
    shares = status.value_counts(normalize=True)
    assert shares["已办结"] > 0.9
    assert 0 < shares["在办"] < 0.05
    assert 0 < shares["不予受理"] < 0.03 and 0 < shares["撤回"] < 0.02
    # the in-progress ones are recent
    assert accepted[status == "在办"].min() > pd.Timestamp("2026-06-01")
    rating = apps["rating"].dropna().astype(int)
    assert (rating >= 4).mean() > 0.85
    assert apps["entity_id"].notna().mean() > 0.5
    assert apps["entity_id"].dropna().astype(str).str.startswith(("91", "92", "93", "52")).all()


def test_window_submissions_in_office_hours_on_working_days(full: dict[str, pd.DataFrame]) -> None:
    apps = full["applications"]
    sub = _stamps(apps, "submitted_at")
    window = apps["channel"].astype(str) == "窗口办理"
    hours = sub[window].dt.hour + sub[window].dt.minute / 60
    assert hours.between(8.5, 17.7).all()
    days = sub[window].dt.date.unique()
    assert all(chinese_calendar.is_workday(d) for d in days)


def test_online_share_rises(full: dict[str, pd.DataFrame]) -> None:
    apps = full["applications"]
    online = apps["channel"].astype(str).isin(["网上办理", "掌上办理"])
    year = _stamps(apps, "submitted_at").dt.to_period("Q")
    by_quarter = online.groupby(year).mean()
    assert by_quarter.iloc[-1] > by_quarter.iloc[0] + 0.08


def test_holiday_gaps(full: dict[str, pd.DataFrame]) -> None:
    sub = _stamps(full["applications"], "submitted_at").dt.normalize()
    per_day = sub.value_counts()
    workday_mean = per_day[[chinese_calendar.is_workday(d.date()) for d in per_day.index]].mean()
    for start, end in (("2025-01-28", "2025-02-04"), ("2026-02-15", "2026-02-23"),
                       ("2025-10-01", "2025-10-08"), ("2026-10-01", "2026-10-07")):
        days = pd.date_range(start, end)
        counts = per_day.reindex(days, fill_value=0)
        assert counts.max() <= max(5, 0.04 * workday_mean), (start, counts.tolist())
    weekends = [d for d in per_day.index if not chinese_calendar.is_workday(d.date())]
    assert per_day[weekends].mean() < 0.1 * workday_mean


def test_cases_follow_the_status_rules(full: dict[str, pd.DataFrame]) -> None:
    cases = full["cases"].copy()
    for col in ("received_date", "transferred_date", "verified_date", "rectify_deadline", "rectified_date", "closed_date"):
        cases[col] = pd.to_datetime(cases[col])
    order = ("received_date", "transferred_date", "verified_date", "rectified_date", "closed_date")
    for i, a in enumerate(order):
        for b in order[i + 1 :]:
            both = cases[a].notna() & cases[b].notna()
            assert (cases.loc[both, a] <= cases.loc[both, b]).all(), (a, b)
    status, verified = cases["status"], cases["verified"]
    assert ((status == "不属实") == (verified == "不属实")).all()
    assert (verified[status.isin(["整改中", "已整改"])] == "属实").all()
    key_true = cases["key_case"] & (verified == "属实")
    assert cases.loc[key_true, ["rectify_deadline", "responsible_person"]].notna().all().all()
    assert cases.loc[key_true, "rectify_tasks"].notna().all()
    needs_fix = (status == "已整改") | ((status == "已办结") & (verified == "属实"))
    assert cases.loc[needs_fix, "rectified_date"].notna().all()
    assert cases.loc[status.isin(["已办结", "不属实"]), "closed_date"].notna().all()
    assert cases.loc[status == "待转办", "transferred_date"].isna().all()
    assert set(cases["source"]) == set(contract.CASE_SOURCES)
    assert set(cases["category"]) == set(contract.CASE_CATEGORIES)
    assert key_true.sum() >= 4


def test_disclosures_and_credit(full: dict[str, pd.DataFrame]) -> None:
    d = full["disclosures"]
    current = d[(d["content"] == "负面清单") & (d["version"] == "2025")]
    assert (pd.to_datetime(current["published_date"]) > LIST_2025).all()
    channels = current.groupby("dept_code")["channel"].nunique()
    assert channels["JH016"] == 1
    assert (channels.drop(list(planted.CHANNEL_GAPS)) == 3).all()
    assert len(channels) == 19
    credit = full["credit_ratings"]
    assert 2_000 <= credit["entity_id"].nunique() <= 5_000
    assert credit["entity_name"].str.startswith("江门").all()
    moves = credit.sort_values("rated_date").groupby(["entity_id", "dept_code"])["grade"].nunique()
    assert (moves > 1).mean() > 0.1


# --- planted weak links --------------------------------------------------------------------


def _completed(apps: pd.DataFrame) -> pd.DataFrame:
    return apps[apps["status"].astype(str) == "已办结"]


def _with_item_dept(full: dict[str, pd.DataFrame], df: pd.DataFrame) -> pd.DataFrame:
    items = full["service_items"].set_index("item_code")
    df = df.copy()
    item_dept = df["item_code"].astype(str).map(items["dept_code"])
    df["dept"] = df["dept_code"].astype(object).where(df["dept_code"].notna(), item_dept)
    df["promised"] = df["item_code"].astype(str).map(items["promised_limit_days"])
    return df


def test_planted_slow_review(full: dict[str, pd.DataFrame]) -> None:
    done = _with_item_dept(full, _completed(full["applications"]))
    review = (_stamps(done, "reviewed_at") - _stamps(done, "accepted_at")).dt.total_seconds() / 3600
    median = review.groupby(done["dept"]).median().dropna()
    slow = median.pop(planted.SLOW_REVIEW_DEPT)
    assert slow > 2.5 * median.max()
    assert slow > 50 * review.median()
    # processing working days against the promised limit (as the indicator dictionary defines)
    acc = _stamps(done, "accepted_at").dt.date
    comp = _stamps(done, "completed_at").dt.date
    cal = _workday_rank()
    wd = comp.map(cal) - acc.map(cal) - done["suspended_days"]
    on_time = (wd <= done["promised"]).groupby(done["dept"]).mean()
    assert on_time[planted.SLOW_REVIEW_DEPT] < 0.5
    assert on_time.drop(planted.SLOW_REVIEW_DEPT).min() > 0.9


def _workday_rank() -> dict[dt.date, int]:
    days = pd.date_range("2024-10-01", "2026-12-31").date
    rank = np.cumsum([chinese_calendar.is_workday(d) for d in days])
    return dict(zip(days, rank.tolist(), strict=True))


def test_planted_low_online_street(full: dict[str, pd.DataFrame]) -> None:
    apps = full["applications"]
    online = apps["channel"].astype(str).isin(["网上办理", "掌上办理"])
    by_street = online.groupby(apps["street_code"].astype(object)).mean()
    assert by_street[planted.LOW_ONLINE_STREET] < 0.3
    assert by_street.drop(planted.LOW_ONLINE_STREET).min() > 0.6
    by_dept = online.groupby(apps["dept_code"].astype(object)).mean()
    assert by_dept[planted.LOW_ONLINE_STREET] < 0.3
    assert (apps["dept_code"].astype(object) == planted.LOW_ONLINE_STREET).sum() > len(apps) / 120


def test_planted_unreported_cases(full: dict[str, pd.DataFrame]) -> None:
    cases = full["cases"]
    unreported = cases[(cases["verified"] == "属实") & (cases["source"] != "部门自查") & ~cases["dept_reported"]]
    assert set(unreported["dept_code"]) == {planted.UNREPORTED_DEPT}
    assert len(unreported) == planted.UNREPORTED_COUNT
    assert unreported["source"].nunique() >= 5


def test_planted_overdue_key_case(full: dict[str, pd.DataFrame]) -> None:
    cases = full["cases"]
    deadline = pd.to_datetime(cases["rectify_deadline"])
    overdue = cases[
        cases["key_case"] & (cases["verified"] == "属实") & (deadline < pd.Timestamp("2026-10-31"))
        & cases["rectified_date"].isna()
    ]
    assert len(overdue) == 1
    case = overdue.iloc[0]
    assert case["dept_code"] == planted.OVERDUE_KEY_DEPT
    assert case["rectify_deadline"] == planted.OVERDUE_KEY_DEADLINE
    assert case["status"] == "整改中" and case["responsible_person"] and case["rectify_tasks"]


def test_planted_stale_guides(full: dict[str, pd.DataFrame]) -> None:
    items = full["service_items"]
    updated = pd.to_datetime(items["guide_updated"])
    stale = items["dept_code"] == planted.STALE_GUIDE_DEPT
    assert (updated[stale] < LIST_2025).all()
    current = set(full["negative_list"].query("version == '2025'")["nl_code"])
    in_current = items["nl_code"].isin(current)
    rate = (updated >= LIST_2025)[in_current].groupby(items["dept_code"][in_current]).mean()
    assert rate[planted.STALE_GUIDE_DEPT] == 0
    assert rate.drop(planted.STALE_GUIDE_DEPT).min() >= 0.6
    guides = full["disclosures"].query("content == '许可事项办事指南' and version == '2025'")
    assert planted.STALE_GUIDE_DEPT not in set(guides["dept_code"])


def test_planted_incomplete_data(full: dict[str, pd.DataFrame]) -> None:
    done = _with_item_dept(full, _completed(full["applications"]))
    complete = done[["reviewed_at", "decided_at", "visits"]].notna().all(axis=1)
    rate = complete.groupby(done["dept"]).mean()
    assert rate[planted.INCOMPLETE_DATA_DEPT] < 0.3
    assert rate.drop(planted.INCOMPLETE_DATA_DEPT).min() > 0.8


# --- import and command line ---------------------------------------------------------------


def test_demo_files_import_without_problems(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    importer = pytest.importorskip("data.importer")
    paths = write_demo_data(tmp_path, seed=5, scale=0.1)
    with db.session() as session:
        report = importer.import_files(session, sorted(paths.values()), now=dt.datetime(2026, 11, 26, 9, 0))
        assert report.ok, [str(p) for p in report.problems[:10]]
        assert not report.warnings
        session.commit()
    frames = {t.id: pd.read_csv(paths[t.id], dtype=str) for t in contract.TABLES}
    for table_id, frame in frames.items():
        assert report.count(table_id).added == len(frame), table_id


def test_cli_writes_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "演示数据"
    assert main(["demo-data", str(out), "--seed", "4", "--scale", "0.05"]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t.id}.csv" for t in contract.TABLES)
    printed = capsys.readouterr().out
    assert "办件（applications）" in printed


def test_cli_errors_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["demo-data", str(blocker)]) != 0
    assert "不是目录" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["demo-data", str(tmp_path / "x"), "--scale", "0"])
    assert exc.value.code != 0
    assert "规模倍数" in capsys.readouterr().err
