"""效能评估: ``page.py`` is the page script; ``tables.py`` its pieces."""
