"""The one 口径说明 popover: beside a figure, the definitions of the indicators it shows
(from the indicator configuration) or, for a definition that is no one indicator's (scores,
flows, rules), the given markdown."""

from __future__ import annotations

import streamlit as st

from dashboard.kit.indicator_text import definition_text
from dashboard.labels import t


def popover(*indicator_ids: str, text: str | None = None, key: str | None = None) -> None:
    """A 口径说明 popover holding the definitions of ``indicator_ids`` (one below the other)
    and then ``text`` (markdown), if given."""
    parts = [definition_text(i) for i in indicator_ids]
    if text is not None:
        parts.append(text)
    with st.popover(t("common.definition"), icon=":material/info:", key=key):
        st.markdown("\n\n---\n\n".join(parts))
