"""Slide geometry and text measuring shared by the deck's renderers.

Every renderer (PowerPoint, PDF) places the same boxes at the same positions, in inches on
a 16:9 slide of 13.333 × 7.5 in.  Tables are laid out here once — column widths, how many
lines each cell needs, row heights and where a long table breaks onto the next slide — so
that the PowerPoint file, the PDF and the presentation page show the same slides.

Text is measured conservatively: a CJK character is one em wide, anything else 0.6 em, so a
cell sized here always holds its text in any CJK font.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# ---------------------------------------------------------------- the slide

SLIDE_W = 13.333
SLIDE_H = 7.5
MARGIN = 0.5
TITLE_TOP = 0.3
TITLE_H = 0.75
TITLE_PT = 28
BODY_TOP = 1.35
FOOTER_TOP = 7.0
FOOTER_H = 0.3
FOOTER_PT = 11
SUMMARY_PT = 16
SUMMARY_LINE = 0.34  # inches per summary line
BODY_BOTTOM = 6.85
BODY_W = SLIDE_W - 2 * MARGIN

# ---------------------------------------------------------------- tables

TABLE_PT = 14
TABLE_HEADER_PT = 14
CELL_PAD_X = 0.08  # inches, left and right
CELL_PAD_Y = 0.05  # inches, top and bottom
LINE_FACTOR = 1.3  # line height / font size (the writers set exactly this spacing)
WRAP_SAFETY = 0.92  # share of a line's width the estimate fills (line-break rules, font metrics)
AUTOSPACE = 0.25  # ems renderers add where Chinese meets Latin letters or digits
MAX_TABLE_ROWS = 12  # rows per slide at most, however short they are
LARGE_TABLE_PT = 18  # a list the meeting reads from the back of the room (the weak links)
LARGE_TABLE_ROWS = 8

# ---------------------------------------------------------------- headline cards

CARD_COLS = 3
CARD_GAP = 0.3
CARD_NAME_PT = 18
CARD_VALUE_PT = 40
CARD_DELTA_PT = 16
CARD_NOTE_PT = 13

# ---------------------------------------------------------------- fonts and colours

FONT_CJK = "Noto Sans CJK SC"  # the charts' and the server's CJK font (Debian fonts-noto-cjk)
FONT_OFFICE = "Microsoft YaHei"  # 微软雅黑: on every Chinese Windows and Office; the deck's font
FONT_FALLBACK = "微软雅黑"  # its Chinese name, for East Asian text (Office and WPS match either)
FONT_CHARSET = "-122"  # GB2312: where 微软雅黑 is missing, Office substitutes a Chinese font
PRIMARY = "1D4F91"
ACCENT = "C8161D"
GOOD = "2E7D32"
TEXT = "1F2933"
MUTED = "6B7785"
HEADER_FILL = "1D4F91"
STRIPE_FILL = "F2F5F9"
RULE = "D5DDE8"

TONE_COLORS = {"good": GOOD, "bad": ACCENT, "neutral": MUTED, "": TEXT}


def _wide(ch: str) -> bool:
    # ambiguous-width characters (“” … ·) are full width in CJK fonts
    return unicodedata.east_asian_width(ch) in ("W", "F", "A")


def char_em(ch: str) -> float:
    """Width of one character in ems (conservative)."""
    return 1.0 if _wide(ch) else 0.6


def _gap(prev: str, ch: str) -> float:
    """The space a renderer may insert between a Chinese character and a Latin one."""
    if not prev:
        return 0.0
    return AUTOSPACE if (_wide(prev) != _wide(ch)) and (prev.isalnum() or ch.isalnum()) else 0.0


NO_LINE_START = frozenset("，。、；：？！）》」』”’…%")


def _word(ch: str) -> bool:
    """Part of a number or Latin word (not broken across lines when avoidable)."""
    return ch.isascii() and (ch.isalnum() or ch in "-.%:/+")


def text_em(text: str) -> float:
    return sum(char_em(ch) + _gap(prev, ch) for prev, ch in zip(" " + text, text, strict=False))


def line_height(pt: float) -> float:
    """Inches one line of ``pt`` text takes."""
    return pt * LINE_FACTOR / 72.0


def wrap_lines(text: str, width_in: float, pt: float) -> list[str]:
    """``text`` broken into lines that fit ``width_in`` inches at ``pt`` points.

    Breaks anywhere (Chinese has no spaces), honouring explicit newlines; never returns an
    empty list.
    """
    capacity = max(1.0, width_in * 72.0 / pt * WRAP_SAFETY)  # ems per line
    lines: list[str] = []
    for para in (text or "").split("\n"):
        current, used = "", 0.0
        for ch in para:
            w = char_em(ch) + _gap(current[-1:], ch)
            if used + w > capacity and current:
                # keep a number or Latin word whole: carry its start over to the next line
                cut = len(current)
                if _word(ch):
                    while cut > 0 and _word(current[cut - 1]):
                        cut -= 1
                    if cut == 0:
                        cut = len(current)
                elif ch in NO_LINE_START and len(current) > 1:
                    cut = len(current) - 1  # punctuation never starts a line: take a character along
                    while cut > 1 and current[cut] in NO_LINE_START:  # "）。": take the word before both
                        cut -= 1
                lines.append(current[:cut])
                current = current[cut:]
                used = text_em(current)
                w = char_em(ch) + _gap(current[-1:], ch)
            current += ch
            used += w
        lines.append(current)
    return lines or [""]


def fit_text(text: str, width_in: float, pt: float, max_lines: int) -> str:
    """``text`` shortened with an ellipsis so that it wraps into at most ``max_lines`` lines."""
    lines = wrap_lines(text, width_in, pt)
    if len(lines) <= max_lines:
        return text
    kept = "".join(lines[:max_lines])
    while kept and len(wrap_lines(kept + "…", width_in, pt)) > max_lines:
        kept = kept[:-1]
    return kept + "…"


@dataclass(frozen=True)
class TableGeometry:
    """Where a table's columns go and how tall each row is (inches)."""

    widths: tuple[float, ...]
    header_height: float
    row_heights: tuple[float, ...]

    @property
    def height(self) -> float:
        return self.header_height + sum(self.row_heights)


def column_widths(weights: Sequence[float], total: float = BODY_W,
                  minimums: Sequence[float] | None = None) -> tuple[float, ...]:
    """Widths in inches by weight; a column below its minimum gets the minimum and the
    others share what is left, by weight."""
    s = float(sum(weights)) or 1.0
    widths = [total * w / s for w in weights]
    if not minimums:
        return tuple(widths)
    fixed: dict[int, float] = {}
    for _ in range(len(widths)):
        short = [i for i, (w, m) in enumerate(zip(widths, minimums, strict=True)) if i not in fixed and w < m]
        if not short:
            break
        fixed.update({i: minimums[i] for i in short})
        free = [i for i in range(len(widths)) if i not in fixed]
        rest = total - sum(fixed.values())
        free_weight = float(sum(weights[i] for i in free)) or 1.0
        widths = [fixed[i] if i in fixed else rest * weights[i] / free_weight for i in range(len(widths))]
    return tuple(widths)


def one_line_width(texts: Sequence[str], pt: float) -> float:
    """The column width (inches) in which the longest of ``texts`` stays on one line."""
    longest = max((text_em(t) for t in texts), default=0.0)
    return longest * pt / 72.0 / WRAP_SAFETY + 2 * CELL_PAD_X + 0.05


def text_width(col_width: float) -> float:
    return max(0.2, col_width - 2 * CELL_PAD_X)


def row_height(cells: Sequence[str], widths: Sequence[float], pt: float) -> float:
    lines = max(len(wrap_lines(c, text_width(w), pt)) for c, w in zip(cells, widths, strict=True))
    return lines * line_height(pt) + 2 * CELL_PAD_Y + 0.04


def header_pt(pt: float) -> float:
    """The type size of a table's header row when its body is set in ``pt``."""
    return max(pt, TABLE_HEADER_PT)


def table_geometry(headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
                   pt: float = TABLE_PT) -> TableGeometry:
    """Column widths and row heights of a table set in ``pt`` (header and body alike)."""
    widths = tuple(widths)
    return TableGeometry(
        widths=widths,
        header_height=row_height(headers, widths, header_pt(pt)),
        row_heights=tuple(row_height(r, widths, pt) for r in rows),
    )


def paginate(heights: Sequence[float], header_height: float, available: float,
             max_rows: int = MAX_TABLE_ROWS) -> list[range]:
    """Consecutive row ranges that fit ``available`` inches under a repeated header."""
    pages: list[range] = []
    start, used = 0, header_height
    for i, h in enumerate(heights):
        if i > start and (used + h > available or i - start >= max_rows):
            pages.append(range(start, i))
            start, used = i, header_height
        used += h
    pages.append(range(start, len(heights)))
    return pages


def summary_lines(summary: Sequence[str]) -> list[str]:
    """The summary texts as bulleted lines wrapped to the body width."""
    out: list[str] = []
    for text in summary:
        out.extend(wrap_lines("• " + text, BODY_W - 0.1, SUMMARY_PT))
    return out


def summary_height(summary: Sequence[str]) -> float:
    n = len(summary_lines(summary))
    return n * SUMMARY_LINE + (0.15 if n else 0.0)


def body_height(summary: Sequence[str] = ()) -> float:
    """Inches between the title and the footer, less the summary lines under the body."""
    return BODY_BOTTOM - BODY_TOP - summary_height(summary)


def grid(n: int, cols: int, top: float, height: float, gap: float = CARD_GAP,
         left: float = MARGIN, width: float = BODY_W) -> list[tuple[float, float, float, float]]:
    """Boxes (left, top, width, height) of ``n`` cells in rows of ``cols``."""
    rows = max(1, math.ceil(n / cols))
    w = (width - gap * (cols - 1)) / cols
    h = (height - gap * (rows - 1)) / rows
    return [(left + (i % cols) * (w + gap), top + (i // cols) * (h + gap), w, h) for i in range(n)]


CHART_GAP = 0.25
PX_PER_IN = 80  # chart images are laid out at 80 px per inch (fonts in px read as 0.9 pt each)
CHART_SCALE = 2.5  # ... and rendered at 200 dpi


def chart_boxes(weights: Sequence[float], summary: Sequence[str] = ()) -> list[tuple[float, float, float, float]]:
    """Boxes (left, top, width, height) of charts side by side in the body, by width share."""
    total = BODY_W - CHART_GAP * (len(weights) - 1)
    s = float(sum(weights)) or 1.0
    h = body_height(summary)
    boxes, left = [], MARGIN
    for w in weights:
        width = total * w / s
        boxes.append((left, BODY_TOP, width, h))
        left += width + CHART_GAP
    return boxes


def card_boxes(n: int, summary: Sequence[str] = ()) -> list[tuple[float, float, float, float]]:
    """Boxes of ``n`` headline cards in rows of :data:`CARD_COLS`."""
    top = BODY_TOP + 0.1
    return grid(n, CARD_COLS, top, body_height(summary) - 0.1)


CARD_PAD = 0.3


def card_lines(box: tuple[float, float, float, float]) -> list[tuple[float, float, float, float]]:
    """Boxes of a card's four lines: name, value, change, comparison (spread over its height)."""
    left, top, w, h = box
    heights = [line_height(CARD_NAME_PT), line_height(CARD_VALUE_PT), line_height(CARD_DELTA_PT),
               line_height(CARD_NOTE_PT)]
    spare = max(0.0, h - sum(heights) - 0.3)
    gap = spare / 3
    out, y = [], top + 0.15
    for lh in heights:
        out.append((left + CARD_PAD, y, w - 2 * CARD_PAD, lh))
        y += lh + gap
    return out
