"""Keeping the joint meeting's deck as presented: the file and the figures behind it.

:func:`capture_deck` renders the district deck of the period the meeting reviews (through
the report package's public export) and the metrics JSON of the same request, once; the
meeting record stores both (:func:`data.meetings.record_meeting`), so a later import never
changes what the meeting saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from data.accounts import Principal
from data.db import Database
from data.meetings import DecisionInput, MeetingInput, record_meeting
from metrics.engine import MetricsEngine
from metrics.output import to_json_dict
from metrics.results import MetricsRequest


@dataclass(frozen=True)
class CapturedDeck:
    data: bytes
    fmt: str  # pptx | pdf
    figures: dict[str, Any]  # metrics JSON (market-access metrics --format json) of the same request


def capture_deck(db: Database, engine: MetricsEngine, meeting: MeetingInput, fmt: str = "pptx") -> CapturedDeck:
    """The district deck and its figures for the period ``meeting`` reviews; the deck opens
    with the decisions of the meeting held before it and their status."""
    from report.export import export_deck
    from report.review import database_review
    from report.tasks import database_source, database_urgings

    request = MetricsRequest(meeting.period_from, meeting.period_to, meeting.as_of)
    data = export_deck(engine, request, None, fmt, tasks=database_source(db),
                       review=database_review(db, before=meeting.held_on), urgings=database_urgings(db))
    return CapturedDeck(data, fmt, to_json_dict(engine.compute(request)))


def record_with_deck(db: Database, actor: Principal, meeting: MeetingInput, deck: CapturedDeck,
                     decisions: Sequence[DecisionInput]) -> int:
    """Store the meeting with ``deck`` and its decisions (as tasks) in one transaction."""
    with db.session() as s:
        return record_meeting(s, actor, meeting, deck=deck.data, deck_format=deck.fmt, figures=deck.figures,
                              decisions_in=decisions)
