"""指标设置: ``page.py`` is the page script."""
