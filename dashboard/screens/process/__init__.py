"""办事流程: ``page.py`` is the page script; ``sections.py`` its pieces."""
