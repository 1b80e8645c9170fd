"""The interface's label catalogue: ``t(key)`` looks a label (``section`` dot ``name``) up.

The catalogue is the TOML files of ``dashboard/catalogue/`` read as one: each page's owner
keeps its labels in a file of its own, and a key defined twice is an error.  Indicator names
and definitions are not here: they come from the indicator configuration
(:mod:`metrics.config`), so a figure and its 口径 are named once.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

CATALOGUE = Path(__file__).with_name("catalogue")


@cache
def _labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for path in sorted(CATALOGUE.glob("*.toml")):
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        for section, items in raw.items():
            for key, value in items.items():
                full = f"{section}.{key}"
                if full in labels:
                    raise ValueError(f"label {full} is defined twice (again in {path.name})")
                labels[full] = value
    return labels


def t(key: str, **fmt: object) -> str:
    """The label for ``key``, formatted with ``fmt``; KeyError if unknown."""
    text = _labels()[key]
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    return key in _labels()
