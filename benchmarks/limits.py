"""The benchmarks' one exception to the upload limits (data.upload_limits): the demo files
at a million applications and more exceed the default file size.  Called by each
benchmark's ``main`` (never at import, so that tests importing a benchmark's builders keep
the product's limits)."""

from __future__ import annotations

import os

LARGE_DEMO_FILE_MB = "2048"


def allow_large_demo_files() -> None:
    """Raise the file-size limit for this process and its children (unless already set)."""
    os.environ.setdefault("MARKET_ACCESS_LIMIT_FILE_MB", LARGE_DEMO_FILE_MB)
