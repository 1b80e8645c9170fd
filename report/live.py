"""A deck's live parts, added as they stand today: the open rectification tasks (judged at
today, Asia/Shanghai) and, for the district's deck, the last meeting's decisions with their
status.  The deck itself is computed once per data version and request (and cached by the
dashboard); these parts change without a new import, so they are added on every read.
One place for 汇报模式 and 部门自查's own report."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from metrics.alerts import decision_review
from report.review import with_review
from report.slides import Deck
from report.table_sections import with_tasks
from report.tasks import database_tasks

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def with_live_parts(deck: Deck, session: Session, today: date, dept: str | None) -> Deck:
    """``deck`` with the tasks open today (``dept``'s, or all) and, when ``dept`` is None,
    the review of the last meeting held by today."""
    review = decision_review(session, today + timedelta(days=1), today) if dept is None else None
    return with_review(with_tasks(deck, database_tasks(session, today, dept), today), review)
