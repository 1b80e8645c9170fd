"""登录: ``page.py`` is the page script."""
