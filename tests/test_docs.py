"""Docs that cannot drift: every file or folder CONTRIBUTING.md names in backticks exists,
and every indicator it walks through is one the engine knows (datasette's test_docs idea)."""

from __future__ import annotations

import re
from pathlib import Path

from metrics.catalog import KNOWN_INDICATORS

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "CONTRIBUTING.md"
PATH = re.compile(r"`([A-Za-z0-9_.-]+/[A-Za-z0-9_./-]*)`")


def named_paths(text: str) -> set[str]:
    """Backticked tokens that are repository paths (with a slash; placeholders like <page> excluded)."""
    return {m.group(1) for m in PATH.finditer(text) if not m.group(1).startswith(("../", "http"))}


def test_every_path_in_the_guide_exists() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    paths = named_paths(text)
    assert len(paths) > 30  # the guide names the layout; an empty match would prove nothing
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert missing == []


def test_walked_indicators_exist() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    walked = set(re.findall(r"^- \*\*([a-z_]+)\*\*", text, flags=re.M))
    assert walked == {"on_time_rate", "transfer_on_time_rate", "guide_update_rate"}
    assert walked <= KNOWN_INDICATORS
