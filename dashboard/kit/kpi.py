"""Headline figures: a value with its change against the previous period (written by
:mod:`charts.delta`, as the deck writes it) and its 口径 as help; a grid of them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from charts.delta import STEADY, delta_color, delta_text, delta_tone
from dashboard.kit.indicator_text import config, definition_text, fmt, name
from dashboard.labels import t
from metrics.results import MetricsResult, PeriodValues


def card(indicator_id: str, value: Any, previous: Any = None, *, help_district: Any = None,
         year_ago: Any = None, show_year_ago: bool = False, partial: bool = False) -> None:
    """A headline figure with its change from 上期 and its definition as help (and, when
    asked, its 同比 change from the same period a year before under it).

    ``partial``: the period ends after the data (数据不完整), so a change compares part of a
    period with a whole one; it is shown uncoloured (neither better nor worse) and the help
    says why."""
    ind = config().indicator(indicator_id)
    delta = delta_text(value, previous, ind.unit)
    help_text = definition_text(indicator_id)
    if help_district is not None:
        help_text += f"\n\n{t('common.district_value')}：{fmt(indicator_id, help_district)}"
    if partial and delta is not None:
        help_text += f"\n\n{t('trust.partial_change')}"
    colour = "off" if partial else delta_color(value, previous, ind.polarity, ind.unit)
    st.metric(name(indicator_id), fmt(indicator_id, value), delta=delta,
              delta_color=colour,  # type: ignore[arg-type]
              delta_arrow="off" if delta == STEADY else "auto", help=help_text, border=True)
    if show_year_ago:
        polarity = "none" if partial else ind.polarity
        st.caption(t("trust.year_ago_short", delta=year_ago_text(value, year_ago, polarity, ind.unit)))


TONE_COLOURS = {"good": "green", "bad": "red"}
"""The markdown colour of a change of each tone (Streamlit's green and red, as ``st.metric``
paints a card's change); a neutral change stays plain."""


def year_ago_text(value: Any, year_ago: Any, polarity: str, unit: str) -> str:
    """The 同比 change as markdown, coloured by the indicator's direction like the card's
    上期 change (:func:`charts.delta.delta_tone`); 无可比数据 when either value is missing."""
    text = delta_text(value, year_ago, unit)
    if text is None:
        return t("trust.no_comparison")
    colour = TONE_COLOURS.get(delta_tone(value, year_ago, polarity, unit))
    return f":{colour}[{text}]" if colour else text


def grid(result: MetricsResult, indicators: Sequence[str], dept: str | None, per_row: int = 3,
         year_ago: PeriodValues | None = None) -> None:
    """Headline figures in rows of ``per_row``: the department's (the district's when none is
    chosen) against 上期, with 同比 under each when ``year_ago`` is given."""
    for start in range(0, len(indicators), per_row):
        cols = st.columns(per_row)
        for col, ind in zip(cols, indicators[start:start + per_row], strict=False):
            with col:
                of(result, ind, dept, year_ago)


def figures(values: Mapping[str, Any], previous: Mapping[str, Any], indicators: Sequence[str],
            per_row: int = 3, *, partial: bool = False) -> None:
    """Headline figures of a narrower scope than a department (an item drill-down): the
    ``values`` computed for it against its own 上期 ``previous``, in rows of ``per_row``."""
    for start in range(0, len(indicators), per_row):
        cols = st.columns(per_row)
        for col, ind in zip(cols, indicators[start:start + per_row], strict=False):
            with col:
                card(ind, values.get(ind), previous.get(ind), partial=partial)


def of(result: MetricsResult, indicator_id: str, dept: str | None, year_ago: PeriodValues | None = None) -> None:
    """One headline figure of ``result``: ``dept``'s (with the district's value as help) or the district's."""
    ya = year_ago.value(indicator_id, dept or None) if year_ago is not None else None
    if dept:
        card(indicator_id, result.value(indicator_id, dept),
             result.previous_departments.get(dept, {}).get(indicator_id),
             help_district=result.district.get(indicator_id), year_ago=ya, show_year_ago=year_ago is not None,
             partial=result.incomplete)
    else:
        card(indicator_id, result.district.get(indicator_id), result.previous_district.get(indicator_id),
             year_ago=ya, show_year_ago=year_ago is not None, partial=result.incomplete)
