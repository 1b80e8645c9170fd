"""Unit and property tests of reading exports: aliases file rules, header row, skipped rows,
merged ranges, fingerprints and the import_mappings migration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.aliases import AliasError, column_names, load_aliases, normalize_name, parse_aliases
from data.layout import FOOTNOTE_PREFIXES, fill_merged, find_header, fingerprint, merged_ranges, skip_rows
from data.table_choice import recognise

# --- aliases ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "header", "column"),
    [
        ("applications", "申请人统一社会信用代码", "entity_id"),
        ("applications", "社会信用代码", "entity_id"),
        ("applications", "办结日期", "completed_at"),
        ("applications", "受理日期", "accepted_at"),
        ("applications", "受理时间", "accepted_at"),
        ("applications", "申请日期", "submitted_at"),
        ("applications", "申报时间", "submitted_at"),
        ("applications", "评价结果", "rating"),
        ("applications", "好差评结果", "rating"),
        ("applications", "办件状态", "status"),
        ("service_items", "承诺时限（工作日）", "promised_limit_days"),  # full-width brackets
        ("service_items", "承诺办结时限", "promised_limit_days"),
        ("cases", "办结时间", "closed_date"),
        ("credit_ratings", "企业名称", "entity_name"),
    ],
)
def test_shipped_aliases_name_the_contract_columns(table: str, header: str, column: str) -> None:
    assert column_names(table)[normalize_name(header)] == column


def test_shipped_aliases_cover_every_table() -> None:
    aliases = load_aliases()
    assert set(aliases) == {"departments", "negative_list", "service_items", "applications", "cases",
                            "disclosures", "credit_ratings", "provincial_scores"}
    assert all(len(a) >= 5 for a in aliases.values())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[orders]\nx = ["甲"]', "[orders] is not a contract table"),
        ('[applications]\nstatus_code = ["状态码"]', "applications.status_code is not a column of applications"),
        ('[applications]\nstatus = ["状态"]\nroute = ["状态"]', "alias '状态' of applications.route already names applications.status"),
        ('[applications]\nroute = ["办理状态"]', "alias '办理状态' of applications.route already names applications.status"),
        ('[applications]\nroute = "审批类型"', "applications.route must be a list of non-empty strings"),
        ('[applications]\nroute = [" "]', "applications.route must be a list of non-empty strings"),
        ("[applications\n", "aliases.toml"),
    ],
)
def test_alias_file_rules(text: str, message: str) -> None:
    with pytest.raises(AliasError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_aliases(text)


def test_one_alias_may_serve_columns_of_different_tables() -> None:
    parsed = parse_aliases('[applications]\nsubmitted_at = ["申请日期"]\n[cases]\nreceived_date = ["申请日期"]')
    assert parsed == {"applications": {"申请日期": "submitted_at"}, "cases": {"申请日期": "received_date"}}


# --- header row ---------------------------------------------------------------------------------

HEADER = ["序号", "办件流水号", "事项代码", "申报渠道", "办件类型", "申报时间", "办件状态"]
NAMES = frozenset(column_names("applications"))


def test_header_below_title_unit_and_blank_rows() -> None:
    rows = [["江海区办件明细"], ["单位：件"], [], HEADER, ["1", "A1", "I01", "网办", "即办件", "2026-01-01", "在办"]]
    assert find_header(rows, NAMES) == 3
    assert find_header([["标题"], ["甲", "乙"]], NAMES) is None


def test_header_recognises_its_table() -> None:
    guess = recognise(HEADER)
    assert guess.table is not None and guess.table.id == "applications"


preamble_row: st.SearchStrategy[list[str]] = st.one_of(
    st.just([]), st.just(["单位：件"]), st.just(["江海区住房和城乡建设局办件明细"]),
    st.just(["导出时间：2026-12-01", "", ""]), st.just(["说明：数据截至11月30日"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(preamble_row, max_size=8), st.integers(1, 6), st.lists(st.sampled_from(FOOTNOTE_PREFIXES), max_size=4),
       st.booleans())
def test_header_and_skipped_rows_for_any_preamble_and_tail(
    preamble: list[list[str]], n: int, notes: list[str], total: bool
) -> None:
    """Wherever the header is, data rows keep their sheet row and only totals/footnotes are skipped."""
    data = [[str(i), f"A{i}", "I01", "网办", "即办件", "2026-01-01 09:00", "在办"] for i in range(1, n + 1)]
    tail = ([["合计", "", "", "", "", "", f"{n}件"]] if total else []) + [[""] * 7] + [[f"{p}本表仅供参考"] for p in notes]
    grid = [*preamble, HEADER, *data, *tail]
    header = find_header(grid, NAMES)
    assert header == len(preamble)
    width = len(HEADER)
    body = pd.DataFrame([r + [""] * (width - len(r)) for r in grid[header + 1:]], dtype=object)
    mask, skipped = skip_rows(body, header + 2)
    assert not mask[:n].any()
    first_tail_row = header + 2 + n
    expected = ([first_tail_row] if total else []) + [first_tail_row + (1 if total else 0) + 1 + i for i in range(len(notes))]
    assert [s.row for s in skipped] == expected
    assert mask.sum() == len(expected)


def test_a_data_row_that_merely_mentions_a_note_word_is_kept() -> None:
    body = pd.DataFrame([["1", "A1", "备注：加急", "网办"], ["注：本表", "", "", ""]], dtype=object)
    mask, skipped = skip_rows(body, 4)
    assert mask.tolist() == [False, True] and [(s.row, s.reason) for s in skipped] == [(5, "表尾说明行")]


def test_subtotal_rows_inside_the_data_are_skipped_and_listed() -> None:
    body = pd.DataFrame([["1", "A1"], ["小 计", "3"], ["2", "A2"], ["合计：", "5"]], dtype=object)
    mask, skipped = skip_rows(body, 2)
    assert mask.tolist() == [False, True, False, True]
    assert [s.describe() for s in skipped] == ["第 3 行（小 计3）：合计/小计行，已跳过", "第 5 行（合计：5）：合计/小计行，已跳过"]


# --- merged cells -------------------------------------------------------------------------------

def test_merged_ranges_from_sheet_xml() -> None:
    xml = b'<worksheet><sheetData/><mergeCells count="3"><mergeCell ref="A1:H1"/><mergeCell ref="B5:B9"/>' \
          b'<x:mergeCell ref="C5:D5"/></mergeCells></worksheet>'
    assert merged_ranges(xml) == ["A1:H1", "B5:B9", "C5:D5"]


def test_fill_merged_down_and_across_below_the_header_only() -> None:
    # header on row 3: body row 0 is sheet row 4
    body = pd.DataFrame([["a", "D1", "x", None], [None, None, None, None], [None, None, "y", None],
                         ["注：说明", None, None, None]], dtype=object)
    skip = np.array([False, False, False, True])
    filled = fill_merged(body, ["A1:D1", "B4:B6", "C6:D6", "A7:D7", "A5:A5"], 3, skip)
    assert filled == ("B4:B6 已向下填充", "C6:D6 已向右填充")
    assert body[1].tolist() == ["D1", "D1", "D1", None]
    assert body.iloc[2].tolist() == [None, "D1", "y", "y"]
    assert body.iloc[3].tolist() == ["注：说明", None, None, None]


# --- fingerprints -------------------------------------------------------------------------------

@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet="办件状态编号ABCabc()（）", min_size=1, max_size=6), min_size=1, max_size=8))
def test_fingerprint_ignores_spacing_width_and_case_and_the_rejected_columns(headers: list[str]) -> None:
    variant = [f"  {h.upper().replace('(', '（').replace(')', '）')} " for h in headers]
    assert fingerprint(variant) == fingerprint(headers)
    assert fingerprint([*headers, "问题", "所在列"]) == fingerprint(headers)
    assert fingerprint([*headers, "其他列"]) != fingerprint(headers)


def test_migration_0003_matches_the_table_definition(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    from data.schema import metadata

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert [d for d in diffs if "import_mappings" in repr(d)] == []


# --- value rewrites -----------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["已办", " 已办 ", "在办", "已办结", "网办", "", "办理中"]), max_size=40), st.booleans())
def test_rewrites_change_exactly_the_matching_cells_and_count_them(cells: list[str], as_objects: bool) -> None:
    from data import contract
    from data.mappings import apply_rewrites

    raw = pd.Series(cells, dtype=object if as_objects else "str")
    frame = pd.DataFrame({"status": raw, "app_id": pd.Series([f"A{i}" for i in range(len(cells))], dtype="str")})
    out, counts = apply_rewrites(contract.APPLICATIONS, frame, {"status": {"已办": "已办结", "办理中": "在办"}})
    expected = [{"已办": "已办结", "办理中": "在办"}.get(c.strip(), c) for c in cells]
    assert out["status"].tolist() == expected
    assert out["app_id"].tolist() == frame["app_id"].tolist() and frame["status"].tolist() == cells  # input untouched
    changed = sum(1 for c in cells if c.strip() in ("已办", "办理中"))
    assert sum(c.count for c in counts) == changed
    assert all(c.count > 0 and c.column == "办理状态 (status)" for c in counts)
