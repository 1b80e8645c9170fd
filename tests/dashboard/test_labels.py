"""The label catalogue covers every label the dashboard asks for, and speaks Chinese."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.labels import _labels, has

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
CALL = re.compile(r"""\bt\(\s*f?["']([a-z_]+\.[^"'{}]+)["']""")


def test_every_label_used_exists() -> None:
    missing = []
    for path in DASHBOARD.rglob("*.py"):
        for key in CALL.findall(path.read_text(encoding="utf-8")):
            if not has(key):
                missing.append(f"{path.name}: {key}")
    assert not missing


def test_labels_are_chinese() -> None:
    han = re.compile(r"[\u4e00-\u9fff]")
    assert all(han.search(v) for v in _labels().values())
