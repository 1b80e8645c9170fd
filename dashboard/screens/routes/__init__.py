"""审批途径: ``page.py`` is the page script; ``sections.py`` its pieces."""
