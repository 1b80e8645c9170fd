"""汇报模式: ``page.py`` is the page script; ``slides.py`` its pieces."""
