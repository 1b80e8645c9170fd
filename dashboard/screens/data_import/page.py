"""数据导入 (administrators): upload the files departments actually export (CSV or Excel, a
title above the header, totals and footnotes below, merged cells, their own headers and
value forms), confirm once per source how it maps to the data contract (saved as a 导入模板,
applied to the next file with the same headers without a question), read the dry-run report
of every skipped row, rewrite and problem before anything is stored, then commit the batch
whole — the same facade as ``market-access import``.  A refused batch hands the files back
with their bad rows marked.  After a commit the data version changes and every page shows
the new data.
"""

import streamlit as st

from dashboard.kit import cache, fresh, tables
from dashboard.kit.escape import escape_md
from dashboard.kit.page import require_role
from dashboard.labels import t
from dashboard.screens.data_import import confirm, report, templates, upload, uploader_words
from data.import_service import value_forms
from metrics.views.data_quality import batch_table

p = require_role("data_import")
st.title(t("nav.import"))
st.caption(t("import.caption"))
uploader_words.install()
with st.expander(t("import.contract_title"), icon=":material/description:"):
    st.markdown(t("import.contract_rules"))
    tables.table(upload.contract_frame(), "可导入的数据表", key="imp_contract")

user = p.display_name
db = cache.database()
confirm.saved_notice()
committed = upload.committed()
if committed is not None:
    st.success(t("import.committed", batch=committed.batch_id), icon=":material/check_circle:")
    tables.table(upload.counts_frame(committed), "导入结果", key="imp_result")
uploads = st.file_uploader(t("import.uploader"), type=list(upload.SUFFIXES), accept_multiple_files=True,
                           key=f"imp_files_{st.session_state.get(upload.ROUND, 0)}", help=t("import.uploader_help"))
files = [(u.name, u.getvalue()) for u in uploads or []]

if not files:
    st.session_state.pop(upload.PENDING, None)
    st.session_state.pop(upload.FIRST, None)
    st.info(t("import.waiting"), icon=":material/upload_file:")
else:
    prefix = upload.signature(files)[:12]
    first = upload.first_proposals(db, files)  # the questions depend on the upload alone, not on the answers
    chosen = confirm.choose_tables(first.proposals, prefix)
    used = confirm.choose_templates(first.proposals, [m.name for m in templates.saved(db)], prefix)
    slot = st.empty()  # the validation report, replaced by the outcome once committed
    with slot.container():
        held = upload.pending(db, files, chosen, used, user)
        result = held.result
        for i, proposal in enumerate(held.proposed.proposals):
            if proposal.layout.mapping:
                st.success(t("import.mapping_applied_notice", source=report.source_label(proposal.layout),
                             name=escape_md(proposal.layout.mapping)), icon=":material/auto_fix_high:")
            else:
                confirm.mapping_form(db, proposal, value_forms(result.report), p.username, f"imp_map_{prefix}_{i}")
        st.subheader(t("import.report_title"))
        report.layouts(result)
        report.warnings(result)
        commit = False
        if not result.report.ok:
            report.problems(result, "imp_problems")
        else:
            st.success(t("import.validated"), icon=":material/task_alt:")
            st.markdown(f"**{t('import.preview')}**")
            tables.table(upload.counts_frame(result.report), "导入预览", key="imp_preview")
            tables.table(upload.files_frame(result.report), "导入文件", key="imp_files_table")
            commit = st.button(t("import.commit"), type="primary", icon=":material/cloud_upload:", key="imp_commit")
    if commit:
        slot.empty()
        with st.spinner(t("import.committing")):
            done = upload.run(db, files, dry_run=False, tables=chosen, mappings=used, user=user,
                              audit_user=p.username)
        if done.report.ok:
            upload.finish_commit(done.report)
            cache.invalidate()
            st.rerun()  # the uploader comes back empty (a new key), ready for the next file
        else:
            report.problems(done, "imp_commit_problems")

st.subheader(t("import.templates_title"))
templates.manage(db, p.username)

st.subheader(t("import.history"))
history = batch_table(fresh.batches()).head(10)
tables.table(history, "最近导入批次", key="imp_history",
      columns=["dq_batch_id", "dq_started", "dq_user", "dq_outcome", "dq_problems", "dq_files", "dq_tables"],
      empty_reason=t("import.history_none"),
      column_config={tables.header("dq_user"): st.column_config.TextColumn(width="small"),
                     tables.header("dq_outcome"): st.column_config.TextColumn(width="small")})
