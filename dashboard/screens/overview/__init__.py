"""总览: ``page.py`` is the page script."""
