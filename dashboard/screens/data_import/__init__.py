"""数据导入: ``page.py`` is the page script; ``upload.py`` its pieces."""
