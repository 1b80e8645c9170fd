"""Long tables across slides: column widths fitted to the body, cells fitted to their
lines, rows paginated with the header repeated (geometry from :mod:`report.layout`)."""

from __future__ import annotations

from collections.abc import Sequence

from report import layout
from report.slides import Column, MessageSlide, Slide, Table, TableSlide


def table_slides(title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]],
                 tones: Sequence[Sequence[str]] | None = None, summary: Sequence[str] = (),
                 empty: str = "", pt: float = layout.TABLE_PT,
                 max_rows: int = layout.MAX_TABLE_ROWS) -> list[Slide]:
    """One or more table slides set in ``pt`` (a long table continues on the next slide,
    header repeated, at most ``max_rows`` rows a slide); a message slide saying ``empty``
    when there are no rows."""
    if not rows:
        return [MessageSlide(title=title, message=empty or "无", summary=tuple(summary))]
    # a one-line column (dates, codes, figures) is widened to its longest cell, never cut
    minimums = [layout.one_line_width([r[j] for r in rows], pt) if c.max_lines == 1 else 0.0
                for j, c in enumerate(columns)]
    widths = layout.column_widths([c.weight for c in columns], minimums=minimums)
    fitted = [
        tuple(cell if col.max_lines == 1 else layout.fit_text(cell, layout.text_width(w), pt, col.max_lines)
              for cell, w, col in zip(row, widths, columns, strict=True))
        for row in rows
    ]
    tone_rows = [tuple(r) for r in tones] if tones else [("",) * len(columns)] * len(rows)
    cols = tuple(columns)
    geo = Table(cols, tuple(fitted), widths, pt=pt).geometry()
    pages = layout.paginate(geo.row_heights, geo.header_height, layout.body_height(summary), max_rows)
    out: list[Slide] = []
    for i, rng in enumerate(pages, start=1):
        suffix = f"（{i}/{len(pages)}）" if len(pages) > 1 else ""
        out.append(TableSlide(
            title=f"{title}{suffix}", section=title, page=i, pages=len(pages), summary=tuple(summary),
            table=Table(cols, tuple(fitted[j] for j in rng), widths, tuple(tone_rows[j] for j in rng), pt),
        ))
    return out
