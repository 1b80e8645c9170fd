"""A figure's change against the previous period, written once for the screen's headline
cards and the deck's headline slides: ``+1.2个百分点`` for a ratio, ``-0.5`` for a value,
``持平`` when the change rounds to nothing, None when either value is missing; and its
colour, decided here from the indicator's direction (``metrics/indicators.toml``: ↑ up, a
rise is good, green; ↓ down, a rise is bad, red; · none, neutral) for cards and deck alike."""

from __future__ import annotations

import math
from typing import Any

STEADY = "持平"


def is_number(v: Any) -> bool:
    """A real number (not a bool, not NaN)."""
    return isinstance(v, int | float) and not isinstance(v, bool) and not (isinstance(v, float) and math.isnan(v))


def delta_text(value: Any, previous: Any, unit: str) -> str | None:
    """The change from ``previous`` to ``value`` as people read it (``unit`` of the indicator)."""
    if not is_number(value) or not is_number(previous):
        return None
    diff = float(value) - float(previous)
    if math.isclose(diff, 0.0, abs_tol=1e-12):
        return STEADY
    if unit == "ratio":
        text = f"{diff * 100:+.1f}"
        return STEADY if text in ("+0.0", "-0.0") else f"{text}个百分点"
    text = f"{diff:+.2f}".rstrip("0").rstrip(".")
    return STEADY if text in ("+0", "-0") else text


RISE_IS_GOOD = {"up": True, "down": False}
"""Whether a rise improves an indicator of each direction (``none``: neither)."""


def delta_tone(value: Any, previous: Any, direction: str, unit: str = "") -> str:
    """``good`` or ``bad`` when the change is an improvement or not for an indicator whose
    ``direction`` is up or down; ``neutral`` for no change, no data or no direction."""
    rise_is_good = RISE_IS_GOOD.get(direction)
    if not is_number(value) or not is_number(previous) or rise_is_good is None:
        return "neutral"
    if delta_text(value, previous, unit) == STEADY:
        return "neutral"
    return "good" if (float(value) > float(previous)) == rise_is_good else "bad"


def delta_color(value: Any, previous: Any, direction: str, unit: str = "") -> str:
    """Streamlit's ``delta_color`` for the change (``st.metric`` paints a rise green with
    ``normal``, red with ``inverse``): the colour :func:`delta_tone` decides, ``off`` when
    neutral."""
    tone = delta_tone(value, previous, direction, unit)
    if tone == "neutral":
        return "off"
    rose = float(value) > float(previous)
    return "normal" if (tone == "good") == rose else "inverse"
