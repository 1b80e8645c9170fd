"""数据导入: ``page.py`` is the page script; its pieces are ``upload.py`` (facade calls and
frames), ``confirm.py`` (table choice, mapping to confirm), ``report.py`` (dry-run report)
and ``templates.py`` (saved mappings)."""
