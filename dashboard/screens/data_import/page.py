"""数据导入 (administrators): upload CSV / Excel files, read the validation report of every
bad row before anything is stored, then commit the batch whole — the same code path as
``market-access import``.  After a commit the data version changes and every page shows
the new data.
"""

import streamlit as st

from dashboard.kit import cache, tables
from dashboard.kit.page import require_role
from dashboard.labels import t
from dashboard.screens.data_import import upload
from metrics.views.data_quality import batch_table

p = require_role("data_import")
st.title(t("nav.import"))
st.caption(t("import.caption"))
st.html(f"<style>{t('import.uploader_css')}</style>")
with st.expander(t("import.contract_title"), icon=":material/description:"):
    st.markdown(t("import.contract_rules"))
    tables.table(upload.contract_frame(), "可导入的数据表", key="imp_contract")

user = p.display_name
db = cache.database()
uploads = st.file_uploader(t("import.uploader"), type=list(upload.SUFFIXES), accept_multiple_files=True,
                           key=f"imp_files_{st.session_state.get(upload.ROUND, 0)}", help=t("import.uploader_help"))
files = [(u.name, u.getvalue()) for u in uploads or []]

if not files:
    st.session_state.pop(upload.PENDING, None)
    st.info(t("import.waiting"), icon=":material/upload_file:")
else:
    slot = st.empty()  # the validation report, replaced by the outcome once committed
    with slot.container():
        report = upload.pending(db, files, user)
        if report.warnings:
            with st.expander(t("import.warnings", n=len(report.warnings)), icon=":material/info:"):
                tables.table(upload.problems_frame(report.warnings), "导入提示", key="imp_warnings")
        if not report.ok:
            st.warning(t("import.rejected", n=len(report.problems)), icon=":material/block:")
            problems = upload.problems_frame(report.problems)
            tables.table(problems, "导入问题清单", key="imp_problems", columns=upload.problem_columns(problems))
            commit = False
        else:
            st.success(t("import.validated"), icon=":material/task_alt:")
            st.markdown(f"**{t('import.preview')}**")
            tables.table(upload.counts_frame(report), "导入预览", key="imp_preview")
            tables.table(upload.files_frame(report), "导入文件", key="imp_files_table")
            commit = st.button(t("import.commit"), type="primary", icon=":material/cloud_upload:", key="imp_commit")
    if commit:
        slot.empty()
        with st.spinner(t("import.committing")):
            done = upload.run_import(db, files, dry_run=False, user=user,
                                    audit_user=p.username)
        if done.ok:
            upload.finish_commit()
            cache.invalidate()
            st.success(t("import.committed", batch=done.batch_id), icon=":material/check_circle:")
            tables.table(upload.counts_frame(done), "导入结果", key="imp_result")
        else:
            st.warning(t("import.rejected", n=len(done.problems)), icon=":material/block:")
            problems = upload.problems_frame(done.problems)
            tables.table(problems, "导入问题清单", key="imp_commit_problems", columns=upload.problem_columns(problems))

st.subheader(t("import.history"))
history = batch_table(cache.batches()).head(10)
tables.table(history, "最近导入批次", key="imp_history",
      columns=["dq_batch_id", "dq_started", "dq_user", "dq_outcome", "dq_problems", "dq_files", "dq_tables"],
      column_config={tables.header("dq_user"): st.column_config.TextColumn(width="small"),
                     tables.header("dq_outcome"): st.column_config.TextColumn(width="small")})
