"""Data (never trusted) inside markdown: every markdown, HTML, directive and LaTeX character
escaped, so a case summary or a department name is shown as the text it is."""

from __future__ import annotations

_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&")


def escape_md(text: object) -> str:
    """``text`` safe inside ``st.markdown``: special characters backslash-escaped, line breaks kept."""
    return "".join(f"\\{ch}" if ch in _MD_SPECIAL else ch for ch in str(text)).replace("\n", "  \n")
