"""用户管理: ``page.py`` is the page script."""
