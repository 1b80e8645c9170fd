"""整改任务: ``page.py`` is the page script."""
