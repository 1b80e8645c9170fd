"""短板清单: ``page.py`` is the page script; ``tables.py`` its pieces."""
