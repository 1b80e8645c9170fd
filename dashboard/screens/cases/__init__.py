"""案例线索: ``page.py`` is the page script; ``tables.py`` its pieces."""
