"""The dry-run report of the 数据导入 page: how each file or sheet was read, then every problem.

Per file or sheet: the table and how it was recognised, 表头在第N行, the template applied,
the merged ranges filled; then, over the batch, every skipped row (row and reason — never
dropped silently), every value rewrite with its count, every warning and every problem
(file, sheet, row, column, value, reason).  A refused batch offers each file back with its
bad rows marked (问题、所在列 added) for download.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard.kit import tables
from dashboard.kit.escape import escape_md
from dashboard.labels import t
from dashboard.screens.data_import.upload import chinese_only, problem_columns, problems_frame, table_name
from data.import_service import ImportResult
from data.layout import SheetLayout
from data.rejected import RejectedFile

HOW = {"所选": "按所选", "模板": "按导入模板", "文件名": "按文件名", "工作表名": "按工作表名", "表头": "按表头"}
"""How the table was decided (:attr:`SheetLayout.how`) as the report says it."""


def source_label(layout: SheetLayout) -> str:
    """「file」 or 「file」工作表「sheet」, markdown-escaped (names come from the upload)."""
    if layout.sheet is None:
        return t("import.source_file", file=escape_md(layout.file))
    return t("import.source_sheet", file=escape_md(layout.file), sheet=escape_md(layout.sheet))


def layout_line(layout: SheetLayout) -> str:
    """One report line per file or sheet: table, how it was recognised, header row, template, fills."""
    parts = [t("import.layout_table", table=table_name(layout.table), how=HOW.get(layout.how, "未识别")),
             t("import.header_at", row=layout.header_row)]
    if layout.mapping:
        parts.append(t("import.mapping_applied", name=escape_md(layout.mapping)))
    if layout.filled:
        parts.append(t("import.filled", ranges=escape_md("、".join(layout.filled))))
    return f"{source_label(layout)}：" + "；".join(parts)


def skipped_frame(layouts: Sequence[SheetLayout]) -> pd.DataFrame:
    """Every row skipped below a header: file, sheet, Excel row, its text and why."""
    rows = [{"imp_file": lay.file, "imp_sheet": lay.sheet, "imp_row": s.row, "imp_text": s.text,
             "imp_skip_reason": s.reason} for lay in layouts for s in lay.skipped]
    out = pd.DataFrame(rows, columns=["imp_file", "imp_sheet", "imp_row", "imp_text", "imp_skip_reason"])
    out["imp_row"] = out["imp_row"].astype("Int64")
    return out


def rewrites_frame(layouts: Sequence[SheetLayout]) -> pd.DataFrame:
    """Every value rewrite a mapping made: file, sheet, column, value as exported, contract value, cells."""
    rows = [{"imp_file": lay.file, "imp_sheet": lay.sheet, "imp_column": chinese_only(r.column),
             "imp_from": r.source, "imp_to": r.target, "imp_cells": r.count} for lay in layouts for r in lay.rewrites]
    return pd.DataFrame(rows, columns=["imp_file", "imp_sheet", "imp_column", "imp_from", "imp_to", "imp_cells"])


def _without_empty_sheet(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c != "imp_sheet" or df[c].notna().any()]


def layouts(result: ImportResult) -> None:
    """How each file or sheet was read, its skipped rows and its rewrites."""
    lays = result.layouts
    if not lays:
        return
    st.markdown(f"**{t('import.layouts_title')}**")
    st.markdown("\n".join(f"- {layout_line(lay)}" for lay in lays))
    skipped = skipped_frame(lays)
    if not skipped.empty:
        st.caption(t("import.skipped_title", n=len(skipped)))
        tables.table(skipped, "跳过的行", key="imp_skipped", columns=_without_empty_sheet(skipped))
    rewrites = rewrites_frame(lays)
    if not rewrites.empty:
        st.caption(t("import.rewrites_title", n=int(rewrites["imp_cells"].sum())))
        tables.table(rewrites, "值改写", key="imp_rewrites", columns=_without_empty_sheet(rewrites))


def problems(result: ImportResult, key: str) -> None:
    """The refusal: every problem, and each file back with its bad rows marked for download."""
    report = result.report
    st.warning(t("import.rejected", n=len(report.problems)), icon=":material/block:")
    frame = problems_frame(report.problems)
    tables.table(frame, "导入问题清单", key=key, columns=problem_columns(frame))
    rejected(result.rejected, key)


def rejected(files: Sequence[RejectedFile], key: str) -> None:
    """A download per refused file: the file in its own format with 问题、所在列 on each bad row."""
    if not files:
        return
    st.caption(t("import.rejected_files"))
    row = st.container(horizontal=True)
    for i, f in enumerate(files):
        row.download_button(t("import.rejected_download", name=escape_md(f.name), n=f.rows), f.data, f.name, f.media_type,
                            key=f"{key}_back_{i}", icon=":material/download:")


def warnings(result: ImportResult) -> None:
    found = result.report.warnings
    if found:
        with st.expander(t("import.warnings", n=len(found)), icon=":material/info:"):
            tables.table(problems_frame(found), "导入提示", key="imp_warnings")
