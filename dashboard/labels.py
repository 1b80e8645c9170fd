"""The interface's label catalogue: ``t(key)`` looks a label (``section`` dot ``name``) up in labels.toml.

Indicator names and definitions are not here: they come from the indicator configuration
(:mod:`metrics.config`), so a figure and its 口径 are named once.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

CATALOGUE = Path(__file__).with_name("labels.toml")


@cache
def _labels() -> dict[str, str]:
    raw = tomllib.loads(CATALOGUE.read_text(encoding="utf-8"))
    return {f"{section}.{key}": value for section, items in raw.items() for key, value in items.items()}


def t(key: str, **fmt: object) -> str:
    """The label for ``key`` (section, dot, key), formatted with ``fmt``; KeyError if unknown."""
    text = _labels()[key]
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    return key in _labels()
