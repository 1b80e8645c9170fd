"""Data (never trusted) inside markdown: every markdown, HTML, directive and LaTeX character
escaped, so a case summary or a department name is shown as the text it is."""

from __future__ import annotations

_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&")


_JOINER = "\u2060"  # invisible: breaks a bare URL that GitHub-flavoured Markdown would turn into a link


def escape_md(text: object) -> str:
    """``text`` safe inside ``st.markdown``: special characters backslash-escaped, bare URLs
    not turned into links, line breaks kept."""
    escaped = "".join(f"\\{ch}" if ch in _MD_SPECIAL else ch for ch in str(text))
    escaped = escaped.replace("\\://", f"\\:{_JOINER}//").replace("www\\.", f"www{_JOINER}\\.")
    return escaped.replace("\n", "  \n")
