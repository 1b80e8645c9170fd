"""The tests' own layout (issue 12): shared builders live in ``tests/fixtures``; no test
module imports another test module or a conftest, and no helper module sits beside the tests."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
FORBIDDEN = re.compile(r"^\s*(?:from|import)\s+tests\.(?:(?:\w+\.)*conftest|(?:\w+\.)*test_\w+)\b", re.M)


def test_no_test_imports_another_test_or_a_conftest() -> None:
    offenders = sorted(str(p.relative_to(TESTS)) for p in TESTS.rglob("*.py") if FORBIDDEN.search(p.read_text("utf-8")))
    assert offenders == []


def test_helpers_live_in_fixtures() -> None:
    loose = sorted(str(p.relative_to(TESTS)) for p in TESTS.rglob("*.py")
                   if p.parent.name != "fixtures" and not p.name.startswith(("test_", "conftest", "__init__")))
    assert loose == []
    assert (TESTS / "fixtures" / "apptest.py").exists()  # the pattern matched real files, not nothing
