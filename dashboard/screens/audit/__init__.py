"""操作日志: ``page.py`` is the page script."""
