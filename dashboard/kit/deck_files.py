"""Download buttons for a deck as PowerPoint and PDF.

The file is rendered only when its button is clicked.  A deck the page shows (汇报模式) is
kept per data version, principal, request, department and the deck's text (live parts such
as the tasks and the 排查 included), so a download always matches what the page shows.  A
deck the page does not show (a department's report on 部门自查, the next meeting's deck) is
also built only on the click (:func:`built_downloads`), with its live parts as they are then."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial

import streamlit as st

from dashboard.kit import cache
from report.export import MIME, file_name, render
from report.slides import Deck, file_stem

_ICONS = {"pptx": ":material/slideshow:", "pdf": ":material/picture_as_pdf:"}


@st.cache_data(show_spinner="正在生成报告文件……", max_entries=16)
def _file(_deck: Deck, key: tuple[object, ...], fmt: str) -> bytes:
    del key  # identifies the deck: data version, principal, request, department, slide texts
    return render(_deck, fmt)


def fingerprint(deck: Deck) -> str:
    """A short key of every slide's text and tables (figures are fixed by data version and request)."""
    return hashlib.sha1(repr(deck.slides).encode()).hexdigest()[:16]


def deck_file(deck: Deck, fmt: str) -> bytes:
    """``deck`` as ``fmt`` (pptx or pdf) bytes, cached."""
    key = (cache.database().url, cache.version(), cache.principal(), deck.request, deck.dept, fingerprint(deck))
    return _file(deck, key, fmt)


def deck_downloads(deck: Deck, *, key: str, labels: dict[str, str], help: str) -> None:
    """One row of download buttons, PPTX then PDF, labelled ``labels[fmt]``; widget keys ``{key}_{fmt}``."""
    row = st.container(horizontal=True)
    for fmt in ("pptx", "pdf"):
        row.download_button(labels[fmt], data=partial(deck_file, deck, fmt), file_name=file_name(deck, fmt),
                            mime=MIME[fmt], key=f"{key}_{fmt}", icon=_ICONS[fmt], help=help, on_click="ignore")


def _built_file(build: Callable[[], Deck], fmt: str) -> bytes:
    return render(build(), fmt)


def built_downloads(build: Callable[[], Deck], stem: str, *, key: str, labels: dict[str, str],
                    help: str | None = None, formats: tuple[str, ...] = ("pptx", "pdf")) -> None:
    """Download buttons for the deck ``build()`` makes when one is clicked (see
    :func:`dashboard.kit.decks.deck_builder`), named ``stem`` (:func:`report.slides.file_stem`)."""
    row = st.container(horizontal=True)
    for fmt in formats:
        row.download_button(labels[fmt], data=partial(_built_file, build, fmt), file_name=f"{stem}.{fmt}",
                            mime=MIME[fmt], key=f"{key}_{fmt}", icon=_ICONS[fmt], help=help, on_click="ignore")


__all__ = ["built_downloads", "deck_downloads", "deck_file", "file_stem", "fingerprint"]
