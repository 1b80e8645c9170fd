"""督查督办台账: ``page.py`` is the page script; ``tables.py`` its pieces."""
