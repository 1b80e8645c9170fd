"""One-call exports: the deck of a period as PowerPoint or PDF bytes, or written to a file."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from metrics.engine import MetricsEngine
from metrics.results import MetricsRequest
from report.deck import build_deck
from report.images import deck_images
from report.pdf_writer import pdf_bytes
from report.pptx_writer import pptx_bytes
from report.review import ReviewSource
from report.self_check import SelfCheckSource
from report.slides import Deck
from report.tasks import TasksSource

FORMATS = ("pptx", "pdf")
MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
}


def render(deck: Deck, fmt: str) -> bytes:
    """``deck`` as ``fmt`` (pptx or pdf) bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"不支持的格式 {fmt}（应为 pptx 或 pdf）。")
    if fmt == "pptx":
        return pptx_bytes(deck)  # native charts; pictures rendered only for the others
    return pdf_bytes(deck, deck_images(deck))


def export_deck(engine: MetricsEngine, request: MetricsRequest, dept: str | None = None, fmt: str = "pptx",
                tasks: TasksSource | None = None, review: ReviewSource | None = None,
                urgings: Mapping[tuple[str, str], int] | None = None,
                self_checks: SelfCheckSource | None = None) -> bytes:
    """The deck of ``request``'s period (``dept``'s self-check report when given) as file bytes;
    ``review`` the previous joint meeting's decisions it opens with (see :mod:`report.review`),
    ``urgings`` the 催办次数 per item, ``self_checks`` the department's 排查 submissions
    (see :mod:`report.self_check`)."""
    return render(build_deck(engine, request, dept, tasks, review=review, urgings=urgings,
                             self_checks=self_checks), fmt)


def file_name(deck: Deck, fmt: str) -> str:
    return f"{deck.file_stem()}.{fmt}"


def write_deck(deck: Deck, path: str | Path, fmt: str | None = None) -> Path:
    """Write ``deck`` to ``path``; the format is ``fmt`` or the file's suffix."""
    out = Path(path)
    out.write_bytes(render(deck, fmt or out.suffix.lstrip(".").lower()))
    return out
