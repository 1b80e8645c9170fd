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


def test_readme_names_the_options_of_serve_and_demo() -> None:
    """The README says how to change the port, the address and the worker count (issue 13:
    "the README does not mention --port"): every option of ``serve`` and ``demo``."""
    import argparse

    from cli.main import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for command in ("serve", "demo"):
        options = {o for a in sub.choices[command]._actions for o in a.option_strings if o.startswith("--")}
        options -= {"--help"}
        assert {"--host", "--port", "--workers"} <= options
        assert sorted(o for o in options if o not in readme) == [], command
    assert "demo --port 8600" in readme
