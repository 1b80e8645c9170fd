"""The saved mappings (导入模板) of the 数据导入 page: listed, renamed, rewrites edited, deleted.

Every change goes through :mod:`data.import_service` (checked against the contract and
recorded in the audit log in the same transaction); the page is for administrators only
(:mod:`dashboard.navigation`).  Rewrites are edited as lines ``列名：原值 => 目标值`` so
that they can be read and changed in one text box.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard.kit import tables
from dashboard.kit.escape import escape_md
from dashboard.labels import t
from dashboard.screens.data_import.upload import chinese_only, table_name
from data import contract
from data.db import Database
from data.import_service import MappingError, SavedMapping, delete_mapping, list_mappings, update_mapping
from data.mappings import NAME_MAX

NOTICE = "imp_template_notice"  # what was just done to a template (said once after the rerun)


def saved(db: Database) -> tuple[SavedMapping, ...]:
    with db.session() as session:
        return list_mappings(session)


def _time(value: object) -> str | None:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else None  # type: ignore[attr-defined]


def _rewrite_text(table: contract.Table, rewrites: Sequence[tuple[str, str, str]]) -> str:
    return "；".join(f"{table.column(c).zh}：{s}→{g}" if c in table.column_ids else f"{c}：{s}→{g}"
                     for c, s, g in rewrites)


def mappings_frame(mappings: Sequence[SavedMapping]) -> pd.DataFrame:
    """One row per template: name, table, header row, columns used, rewrites, who saved or changed it."""
    rows = []
    for m in mappings:
        table = contract.TABLES_BY_ID.get(m.table)
        rows.append({
            "imp_template": m.name, "imp_table": table_name(m.table), "imp_header_row": m.header_row,
            "imp_mapped": sum(1 for _, c in m.columns if c), "imp_ignored": sum(1 for _, c in m.columns if not c),
            "imp_rewrite_list": _rewrite_text(table, m.rewrites) if table else "",
            "imp_saved_by": m.updated_by or m.created_by, "imp_saved_at": _time(m.updated_at or m.created_at),
        })
    cols = ["imp_template", "imp_table", "imp_header_row", "imp_mapped", "imp_ignored", "imp_rewrite_list",
            "imp_saved_by", "imp_saved_at"]
    return pd.DataFrame(rows, columns=cols)


def rewrite_lines(m: SavedMapping) -> str:
    """The template's rewrites as editable lines ``列名：原值 => 目标值``."""
    table = contract.TABLES_BY_ID[m.table]
    return "\n".join(f"{table.column(c).zh if c in table.column_ids else c}：{s} => {g}" for c, s, g in m.rewrites)


def parse_rewrites(table: contract.Table, text: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Lines ``列名：原值 => 目标值`` (column by Chinese name or id) → triples, and the reasons of bad lines."""
    by_name = {c.zh: c.id for c in table.columns} | {c.id: c.id for c in table.columns}
    out: list[tuple[str, str, str]] = []
    reasons: list[str] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        head, sep, rest = line.replace(":", "：").partition("：")
        source, arrow, target = rest.partition("=>")
        if not sep or not arrow:
            reasons.append(t("import.template_line_bad", n=n, line=line.strip()))
        elif head.strip() not in by_name:
            reasons.append(t("import.template_line_column", n=n, column=head.strip(), table=table.zh))
        else:
            out.append((by_name[head.strip()], source.strip(), target.strip()))
    return out, reasons


def manage(db: Database, user: str) -> None:
    """The list of templates and the form to rename one, edit its rewrites or delete it."""
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.success(notice, icon=":material/check_circle:")
    found = saved(db)
    if not found:
        st.info(t("import.templates_none"), icon=":material/info:")
        return
    tables.table(mappings_frame(found), "导入模板", key="imp_templates")
    by_id = {m.id: m for m in found}
    chosen = st.selectbox(t("import.template_pick"), list(by_id), format_func=lambda i: by_id[i].name,
                          key="imp_template_pick")
    m = by_id[chosen]
    with st.form(f"imp_template_{m.id}", border=True):
        name = st.text_input(t("import.template_name"), m.name, max_chars=NAME_MAX, key=f"imp_tpl_name_{m.id}")
        text = st.text_area(t("import.template_rewrites"), rewrite_lines(m), key=f"imp_tpl_rw_{m.id}",
                            help=t("import.template_rewrites_help"))
        row = st.container(horizontal=True)
        save = row.form_submit_button(t("import.template_save"), type="primary", icon=":material/save:")
        sure = row.checkbox(t("import.template_delete_sure"), key=f"imp_tpl_sure_{m.id}")
        drop = row.form_submit_button(t("import.template_delete"), icon=":material/delete:")
    if save:
        _save(db, m, name, text, user)
    elif drop:
        if not sure:
            st.warning(t("import.template_delete_confirm"), icon=":material/help:")
            return
        try:
            with db.session() as session:
                delete_mapping(session, m.id, user)
        except MappingError as e:
            st.warning(escape_md("；".join(e.reasons)), icon=":material/block:")
            return
        st.session_state[NOTICE] = t("import.template_deleted", name=escape_md(m.name))
        st.rerun()


def _save(db: Database, m: SavedMapping, name: str, text: str, user: str) -> None:
    rewrites, reasons = parse_rewrites(contract.TABLES_BY_ID[m.table], text)
    if not reasons:
        try:
            with db.session() as session:
                update_mapping(session, m.id, replace(m.spec(), name=name, rewrites=tuple(rewrites)), user)
        except MappingError as e:
            reasons = list(e.reasons)
    if reasons:
        st.warning(t("import.mapping_refused") + "\n\n" + "\n".join(f"- {escape_md(chinese_only(r))}" for r in reasons),
                   icon=":material/block:")
        return
    st.session_state[NOTICE] = t("import.template_updated", name=escape_md(name.strip()))
    st.rerun()
