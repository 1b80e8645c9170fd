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


def _inert(value: object) -> object:
    """A text value with Markdown's inline link and image syntax broken (``](`` → ``]\\(``;
    an invisible word joiner inside ``://`` and ``www.``: no bare-URL link), so a name that
    reaches a label (a caption, an alert, a widget label) can never make the browser fetch an
    image or show a link; raw HTML is shown as text by Streamlit anyway."""
    if not isinstance(value, str):
        return value
    return value.replace("](", "]\\(").replace("://", ":\u2060//").replace("www.", "www\u2060.")


def t(key: str, **fmt: object) -> str:
    """The label for ``key``, formatted with ``fmt`` (text values made inert, see
    :func:`_inert`); KeyError if unknown."""
    text = _labels()[key]
    return text.format(**{k: _inert(v) for k, v in fmt.items()}) if fmt else text


def has(key: str) -> bool:
    return key in _labels()
