"""The joint meeting's deck: one slide model, rendered as PowerPoint, PDF and on screen.

Public API::

    from report import build_deck, export_deck, write_deck, pptx_bytes, pdf_bytes
    deck = build_deck(engine, MetricsRequest(date(2026, 7, 1), date(2026, 9, 30)))   # district
    deck = build_deck(engine, request, dept="JH009")             # a department's self-check report
    write_deck(deck, "会议.pptx")                                 # or .pdf
    data = export_deck(engine, request, None, "pdf")             # bytes, for a download button

``deck.slides`` holds frozen dataclasses (:class:`CoverSlide`, :class:`HeadlineSlide`,
:class:`ChartSlide`, :class:`TableSlide`, :class:`MessageSlide`); the dashboard's
presentation mode renders the same objects.  Rectification tasks enter through
``build_deck(..., tasks=source)`` (see :mod:`report.tasks`); a department's 排查
submissions through ``build_deck(..., self_checks=source)`` (see :mod:`report.self_check`).
"""

from report.deck import build_deck
from report.export import FORMATS, MIME, export_deck, file_name, render, write_deck
from report.pdf_writer import pdf_bytes, write_pdf
from report.pptx_writer import pptx_bytes, write_pptx
from report.slides import (
    Chart,
    ChartSlide,
    Column,
    CoverSlide,
    Deck,
    Headline,
    HeadlineSlide,
    MessageSlide,
    Slide,
    Table,
    TableSlide,
)
from report.tasks import TASK_COLUMNS, TasksSource, no_tasks

__all__ = [
    "FORMATS",
    "MIME",
    "TASK_COLUMNS",
    "Chart",
    "ChartSlide",
    "Column",
    "CoverSlide",
    "Deck",
    "Headline",
    "HeadlineSlide",
    "MessageSlide",
    "Slide",
    "Table",
    "TableSlide",
    "TasksSource",
    "build_deck",
    "export_deck",
    "file_name",
    "no_tasks",
    "pdf_bytes",
    "pptx_bytes",
    "render",
    "write_deck",
    "write_pdf",
    "write_pptx",
]
