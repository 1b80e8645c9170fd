"""Sign-in throttling counted atomically in the database, per account and per client address.

Policy (issue 19, OWASP ASVS 2.2.1):

- Every sign-in attempt first *reserves* itself: one conditional ``UPDATE … SET failures =
  failures + 1 … WHERE blocked_until <= now RETURNING failures``.  The database serialises
  concurrent reservations of the same counter (a row lock on PostgreSQL, the write lock on
  SQLite), so 20 parallel attempts are 20 counted attempts and nothing is checked past a
  block.  A successful sign-in clears the counters it reserved; a failed one leaves them.
- After ``free`` counted failures each further attempt sets a delay before the next one may
  be made, doubling from ``first_delay`` up to ``max_delay``: an account waits 1, 2, 4, 8
  then 15 minutes at most; an address (20 free attempts over all accounts) 1 minute
  doubling up to 1 hour.  Attempts refused during a delay are not counted, so they do not
  prolong it.  Counters are forgotten after ``forget`` seconds without a failure.
- The account delay is capped (15 minutes), never a permanent lock, and it does not apply
  to an address from which the user has signed in before (see
  :func:`data.accounts.authenticate`), so somebody else cannot keep a user out of their own
  account; the per-address counter still limits guessing from there.

Times are epoch seconds (integers), so that the arithmetic is the same SQL on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from data.schema import sign_in_throttle

ACCOUNT, ADDRESS = "账户", "地址"
KEY_LENGTH = 255


@dataclass(frozen=True)
class Rule:
    """How many failures are free, and the delays after them (seconds)."""

    free: int
    first_delay: int
    max_delay: int
    forget: int = 24 * 3600

    def delay(self, failures: int) -> int:
        """The wait after the ``failures``-th counted attempt."""
        if failures <= self.free:
            return 0
        return min(self.first_delay * 2 ** (failures - self.free - 1), self.max_delay)


ACCOUNT_RULE = Rule(free=4, first_delay=60, max_delay=15 * 60)
ADDRESS_RULE = Rule(free=20, first_delay=60, max_delay=3600)
RULES = {ACCOUNT: ACCOUNT_RULE, ADDRESS: ADDRESS_RULE}


@dataclass(frozen=True)
class Reservation:
    """The outcome of reserving an attempt: admitted (with its count and the delay it set), or
    refused with the seconds still to wait."""

    admitted: bool
    failures: int = 0
    delay: int = 0
    wait: int = 0


def _ensure_row(session: Session, kind: str, key: str) -> None:
    values = {"kind": kind, "key": key, "failures": 0, "last_failure": 0, "blocked_until": 0}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(pg_insert(sign_in_throttle).values(**values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        session.execute(sqlite_insert(sign_in_throttle).values(**values).on_conflict_do_nothing())
    else:  # pragma: no cover - the product supports SQLite and PostgreSQL
        raise RuntimeError(f"unsupported database {dialect}")


def _delay_sql(count: ColumnElement[int], rule: Rule) -> ColumnElement[int]:
    """``rule.delay(count)`` as a SQL CASE over the new count."""
    steps = []
    n = rule.free + 1
    while rule.delay(n) < rule.max_delay:
        steps.append((count == n, rule.delay(n)))
        n += 1
    return case((count <= rule.free, 0), *steps, else_=rule.max_delay)


def reserve(session: Session, kind: str, key: str, now: int) -> Reservation:
    """Count one attempt on the ``kind`` counter of ``key`` unless it is blocked at ``now``."""
    key = key[:KEY_LENGTH]
    rule = RULES[kind]
    _ensure_row(session, kind, key)
    t = sign_in_throttle.c
    count = case((t.last_failure < now - rule.forget, 1), else_=t.failures + 1)
    stmt = (
        update(sign_in_throttle)
        .where(t.kind == kind, t.key == key, t.blocked_until <= now)
        .values(failures=count, last_failure=now, blocked_until=now + _delay_sql(count, rule))
        .returning(t.failures, t.blocked_until)
    )
    row = session.execute(stmt).first()
    if row is not None:
        return Reservation(True, int(row.failures), int(row.blocked_until) - now)
    blocked = session.execute(select(t.blocked_until).where(t.kind == kind, t.key == key)).scalar_one()
    return Reservation(False, wait=max(1, int(blocked) - now))


def clear(session: Session, kind: str, key: str) -> None:
    """Forget the counted attempts of ``key`` (after a successful sign-in or a password reset)."""
    t = sign_in_throttle.c
    session.execute(update(sign_in_throttle).where(t.kind == kind, t.key == key[:KEY_LENGTH])
                    .values(failures=0, blocked_until=0))


def purge(session: Session, now: int) -> int:
    """Drop counters that are forgotten anyway (quiet for longer than their rule's ``forget``
    and not blocking), so that names typed once do not pile up; returns how many."""
    t = sign_in_throttle.c
    removed = 0
    for kind, rule in RULES.items():
        res = session.execute(delete(sign_in_throttle).where(
            t.kind == kind, t.last_failure < now - rule.forget, t.blocked_until <= now))
        removed += int(res.rowcount or 0)  # type: ignore[attr-defined]
    return removed
