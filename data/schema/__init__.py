"""The database schema: contract tables generated from :mod:`data.contract`
(:mod:`.contract_tables`), the tables the product keeps itself (:mod:`.product`) and those of
the loops that reach people (:mod:`.loops`), all on one MetaData (:mod:`.base`).

Alembic owns the schema in a database (``data/migrations``); this metadata is what
migrations are generated from and what queries are written against.  Import tables from
here (``from data.schema import CONTRACT, users``).
"""

from __future__ import annotations

from data.schema.base import (
    BATCH_ID,
    NAMING,
    ROW_HASH,
    metadata,
)
from data.schema.contract_tables import CONTRACT
from data.schema.loops import (
    case_handling,
    case_steps,
    contacts,
    decisions,
    deliveries,
    feedback,
    feedback_attachments,
    feedback_challenges,
    feedback_hits,
    meetings,
    screening_cases,
    urgings,
)
from data.schema.product import (
    audit_log,
    auth_sessions,
    import_batches,
    import_counts,
    import_files,
    import_mappings,
    rectification_tasks,
    self_checks,
    settings,
    sign_in_throttle,
    task_events,
    users,
)

__all__ = [
    "BATCH_ID",
    "CONTRACT",
    "NAMING",
    "ROW_HASH",
    "audit_log",
    "auth_sessions",
    "case_handling",
    "case_steps",
    "contacts",
    "decisions",
    "deliveries",
    "feedback",
    "feedback_attachments",
    "feedback_challenges",
    "feedback_hits",
    "import_batches",
    "import_counts",
    "import_files",
    "import_mappings",
    "meetings",
    "metadata",
    "rectification_tasks",
    "screening_cases",
    "self_checks",
    "settings",
    "sign_in_throttle",
    "task_events",
    "urgings",
    "users",
]
