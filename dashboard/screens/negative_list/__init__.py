"""负面清单落实: ``page.py`` is the page script; ``sections.py`` its pieces."""
