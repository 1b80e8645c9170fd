"""部门自查: ``page.py`` is the page script."""
