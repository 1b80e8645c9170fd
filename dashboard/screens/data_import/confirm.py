"""Which table, and the mapping to confirm: the questions the 数据导入 page asks per file or sheet.

Where neither the name nor the headers decide the table (two tables fit, or none does) the
user chooses it from a select of Chinese table names.  For a source read without a saved
mapping the proposed mapping is shown to confirm: header row, each header's contract column
(changeable), value rewrites (the refused values of the dry run offered as candidates, and
one free rewrite), saved as a named 导入模板 through :mod:`data.import_service` — checked
there against the contract and audited.  A source a saved mapping fits (by header
fingerprint) asks nothing: the page says the template was applied.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from dashboard.kit.escape import escape_md
from dashboard.labels import t
from dashboard.screens.data_import.report import source_label
from dashboard.screens.data_import.upload import chinese_only
from data import contract
from data.db import Database
from data.import_service import MappingError, Proposal, ValueForm, mapping_from_layout, save_mapping
from data.mappings import NAME_MAX

SAVED = "imp_saved_flash"  # the name of the template just saved (said once after the rerun)


def choose_tables(proposals: Sequence[Proposal], prefix: str) -> dict[str, str]:
    """A select per source whose table is undecided; the chosen tables by source key."""
    chosen: dict[str, str] = {}
    for i, p in enumerate(proposals):
        if not p.needs_choice:
            continue
        names = "、".join(contract.TABLES_BY_ID[c].zh for c in p.layout.candidates)  # contract names: safe
        if len(p.layout.candidates) > 1:
            st.warning(t("import.table_ambiguous", source=source_label(p.layout), tables=names), icon=":material/help:")
        else:
            st.warning(t("import.table_unknown", source=source_label(p.layout)), icon=":material/help:")
        choice = st.selectbox(t("import.table_choose", source=source_label(p.layout)), p.choices, index=None,
                              format_func=lambda c: contract.TABLES_BY_ID[c].zh, key=f"imp_tbl_{prefix}_{i}",
                              placeholder=t("import.table_placeholder"))
        if choice:
            chosen[p.layout.key] = choice
    return chosen


def choose_templates(proposals: Sequence[Proposal], names: Sequence[str], prefix: str) -> dict[str, str]:
    """For each source no saved template fits by its headers: a select to apply one anyway (an
    export whose platform renamed or added a column); the chosen templates by source key."""
    chosen: dict[str, str] = {}
    if not names:
        return chosen
    for i, p in enumerate(proposals):
        if p.layout.mapping is not None:
            continue
        name = st.selectbox(t("import.template_use", source=source_label(p.layout)), [None, *names], index=0,
                            format_func=lambda n: t("import.template_use_none") if n is None else n,
                            key=f"imp_use_{prefix}_{i}", help=t("import.template_use_help"))
        if name:
            chosen[p.layout.key] = name
    return chosen


def _column_label(table: contract.Table, cid: str | None) -> str:
    return t("import.column_ignored") if cid is None else table.column(cid).zh


def mapping_form(db: Database, proposal: Proposal, forms: Sequence[ValueForm], user: str, key: str) -> None:
    """The proposed mapping of one source to confirm and save as a 导入模板."""
    spec, layout = proposal.spec, proposal.layout
    if spec is None or layout.mapping is not None:
        return
    table = contract.TABLES_BY_ID[spec.table]
    mine = [f for f in forms if f.key == layout.key]
    with st.expander(t("import.mapping_title", source=source_label(layout)), icon=":material/rule:",
                     expanded=layout.how not in ("文件名", "工作表名") or bool(mine)), st.form(key, border=False):
        st.caption(t("import.mapping_help", table=table.zh, row=layout.header_row))
        name = st.text_input(t("import.mapping_name"), spec.name, max_chars=NAME_MAX, key=f"{key}_name")
        st.markdown(f"**{t('import.mapping_columns')}**")
        options: list[str | None] = [None, *table.column_ids]
        columns: dict[str, str | None] = {}
        for i, (header, cid) in enumerate(spec.columns):
            if i % 4 == 0:  # a row of four at a time, so a phone stacks them in the file's order
                grid = st.columns(4)
            with grid[i % 4]:
                columns[header] = st.selectbox(escape_md(header), options, index=options.index(cid) if cid in options else 0,
                                               format_func=lambda c: _column_label(table, c), key=f"{key}_col_{i}")
        st.markdown(f"**{t('import.mapping_rewrites')}**")
        rewrites = _rewrite_inputs(table, mine, key)
        submitted = st.form_submit_button(t("import.mapping_save"), type="primary", icon=":material/save:")
    if not submitted:
        return
    request = mapping_from_layout(layout, name, rewrites(), columns)
    try:
        with db.session() as session:
            saved = save_mapping(session, request, user)
    except MappingError as e:
        st.warning(t("import.mapping_refused") + "\n\n" + "\n".join(f"- {escape_md(chinese_only(r))}" for r in e.reasons),
                   icon=":material/block:")
        return
    st.session_state[SAVED] = saved.name
    st.rerun()


def _rewrite_inputs(
    table: contract.Table, forms: Sequence[ValueForm], key: str
) -> Callable[[], list[tuple[str, str, str]]]:
    """The rewrite widgets: a target per refused value of the dry run, plus one free rewrite.

    Returns a function giving the (column id, exported value, contract value) triples chosen."""
    targets: list[tuple[ValueForm, str | None]] = []
    if forms:
        st.caption(t("import.rewrite_candidates"))
    for i, f in enumerate(forms):
        if i % 3 == 0:
            grid = st.columns(3)
        label = t("import.rewrite_candidate", column=table.column(f.column).zh, value=escape_md(f.value), n=f.rows)
        with grid[i % 3]:
            if f.allowed:
                target = st.selectbox(label, [None, *f.allowed], format_func=lambda v: t("import.rewrite_none")
                                      if v is None else v, key=f"{key}_rw_{i}")
            else:
                target = st.text_input(label, key=f"{key}_rw_{i}", placeholder=t("import.rewrite_placeholder"))
        targets.append((f, target))
    st.caption(t("import.rewrite_free"))
    free = st.columns(3)
    col = free[0].selectbox(t("import.rewrite_column"), [None, *table.column_ids], key=f"{key}_free_col",
                            format_func=lambda c: t("import.rewrite_column_none") if c is None else table.column(c).zh)
    source = free[1].text_input(t("import.rewrite_from"), key=f"{key}_free_from")
    target = free[2].text_input(t("import.rewrite_to"), key=f"{key}_free_to")

    def chosen() -> list[tuple[str, str, str]]:
        out = [(f.column, f.value, v.strip()) for f, v in targets if v and v.strip()]
        if col and (source.strip() or target.strip()):
            out.append((col, source, target))
        return out

    return chosen


def saved_notice() -> None:
    """Say once, after the rerun, which template was just saved (and that it now applies)."""
    name = st.session_state.pop(SAVED, None)
    if name:
        st.success(t("import.mapping_saved", name=escape_md(name)), icon=":material/check_circle:")
