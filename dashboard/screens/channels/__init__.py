"""服务渠道: ``page.py`` is the page script; ``sections.py`` its pieces."""
