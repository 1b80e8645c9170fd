"""信用分类: ``page.py`` is the page script; ``sections.py`` its pieces."""
