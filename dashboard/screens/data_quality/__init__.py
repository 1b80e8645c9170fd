"""数据质量: ``page.py`` is the page script; ``sections.py`` its pieces."""
