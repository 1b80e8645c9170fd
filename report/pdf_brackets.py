"""Full-width brackets set tight against what they enclose, in the PDF.

The PDF's embedded CJK font (WenQuanYi Micro Hei, see :mod:`report.pdf_writer`) draws （ and
） in the middle of their em box, so "江门高新区（江海区）发展和改革局" shows a blank inside
each bracket that reads as a stray space.  Chinese typesetting keeps a bracket's blank on its
outer side only, so the writer narrows the advance where the inner blank is: after an opening
bracket (what follows moves left) and before a closing one (the bracket moves left); where
a bracket meets another mark ("）。", "，（") its outer blank goes too, one blank being enough.  The
amounts come from the font's own glyph outlines, so a font whose brackets already sit at their
inner side (微软雅黑, or the other brackets 《》“” of this font) is left as it is.
"""

from __future__ import annotations

import struct
from functools import cache
from itertools import pairwise

from reportlab.pdfbase import pdfmetrics

OPENING = "（〔［｛【《〈「『“‘"
CLOSING = "）〕］｝】》〉」』”’"
PUNCTUATION = "，。、；：！？"
INNER_BLANK = 0.08
"""Ems of blank left inside a bracket (about the side bearing of a Chinese character)."""


@cache
def bearings(font_name: str) -> dict[str, tuple[float, float]]:
    """(left, right) blank of each bracket's glyph, in ems, read from the TrueType outlines of
    the registered font ``font_name``; empty for a font without them (the CID fallback)."""
    face = getattr(pdfmetrics.getFont(font_name), "face", None)
    if face is None or not hasattr(face, "glyphPos") or not hasattr(face, "_ttf_data"):
        return {}
    glyf, _ = face.get_table_pos("glyf")
    upm = float(face.unitsPerEm)
    out: dict[str, tuple[float, float]] = {}
    for ch in OPENING + CLOSING:
        gid = face.charToGlyph.get(ord(ch))
        if gid is None or gid + 1 >= len(face.glyphPos) or face.glyphPos[gid] == face.glyphPos[gid + 1]:
            continue  # not in the font, or a glyph without an outline
        at = glyf + face.glyphPos[gid]
        _, x_min, _, x_max, _ = struct.unpack(">hhhhh", face._ttf_data[at:at + 10])
        advance = face.hmetrics[gid][0]
        out[ch] = (x_min / upm, (advance - x_max) / upm)
    return out


def squeezes(line: str, font_name: str) -> list[float]:
    """Ems to take from the advance of each character of ``line``: the inner blank of a
    bracket beyond :data:`INNER_BLANK` (after an opening bracket, before a closing one)."""
    found = bearings(font_name)
    out = [0.0] * len(line)
    for i, (ch, nxt) in enumerate(pairwise(line)):
        if ch in OPENING and ch in found:
            out[i] += max(0.0, found[ch][1] - INNER_BLANK)
        if nxt in CLOSING and nxt in found:
            out[i] += max(0.0, found[nxt][0] - INNER_BLANK)
        # between two marks one blank is enough: "）。" and "，（" lose the bracket's outer one
        if ch in CLOSING and ch in found and nxt in PUNCTUATION + CLOSING:
            out[i] += max(0.0, found[ch][1] - INNER_BLANK)
        if nxt in OPENING and nxt in found and ch in PUNCTUATION + OPENING:
            out[i] += max(0.0, found[nxt][0] - INNER_BLANK)
    return out


def runs(line: str, font_name: str) -> list[tuple[str, float]]:
    """``line`` as runs of characters sharing a squeeze (ems), in order."""
    out: list[tuple[str, float]] = []
    for ch, sq in zip(line, squeezes(line, font_name), strict=True):
        if out and out[-1][1] == sq:
            out[-1] = (out[-1][0] + ch, sq)
        else:
            out.append((ch, sq))
    return out
