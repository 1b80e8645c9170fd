"""Applications and cases as Ibis relations with the engine's derived columns.

:mod:`metrics.prepared` derives, once per load, each record's period-independent columns
(its department, day numbers, working-day indices, ``processing_wd``, its item's limits,
enum codes, stage hours) as numpy arrays.  Here the same columns are Ibis expressions over
the stored contract tables, so a database computes them where the rows are:

- working days stay exact: a calendar table ``(date, day, cum)`` holds the cumulative working-day
  index of :mod:`metrics.calendar` (holidays and 调休 included), and ``wd(a, b)`` is
  ``cum(b) − cum(a)``, one join on each date column (which also gives its day number);
- enum values get the codes of :data:`metrics.prepared.STATUS`, ``CHANNEL`` and ``ROUTE``, so
  a mask's ``a.status == STATUS["已办结"]`` means the same on both engines;
- a missing value is NULL where numpy holds NaN (see :func:`metrics.ops.present`).

The namespaces :class:`ColumnarApps` and :class:`ColumnarCases` carry the attribute names of
:class:`~metrics.prepared.PreparedApps` and :class:`~metrics.prepared.PreparedCases` that
masks read; every expression is bound to the namespace's ``relation``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import ibis
import numpy as np
import pandas as pd
from ibis.expr.types import Table

from metrics.calendar import _START_DAY, _cumulative
from metrics.prepared import CHANNEL, ROUTE, STAGE_COLUMNS, STATUS

CALENDAR_TABLE = "ma_workday_calendar"


def calendar(backend: Any) -> Table:
    """The calendar as a table ``(date, day, cum)`` in ``backend``: each date of
    :mod:`metrics.calendar`'s range, its day number (days since 1970) and its cumulative
    working-day index.  A temporary table of about 26,000 rows, created once per connection."""
    cum = _cumulative()
    days = np.arange(_START_DAY, _START_DAY + len(cum), dtype=np.int64)
    frame = pd.DataFrame({"date": (np.datetime64("1970-01-01") + days.astype("timedelta64[D]")),
                          "day": days, "cum": cum.astype(np.int64)})
    frame["date"] = frame["date"].dt.date
    table = backend.create_table(CALENDAR_TABLE, frame, schema=ibis.schema(
        {"date": "date", "day": "int64", "cum": "int64"}), temp=True, overwrite=True)
    if backend.name == "postgres":  # a temporary table has no statistics until analysed
        run_sql(backend, f"ANALYZE {CALENDAR_TABLE}")
    return table


def run_sql(backend: Any, sql: str) -> None:
    """Run a statement on the connection (PostgreSQL's cursor is closed; DuckDB's
    ``raw_sql`` returns the connection itself, which must stay open)."""
    result = backend.raw_sql(sql)
    if backend.name == "postgres":
        result.close()


def derived_relation(backend: Any, name: str, build: Callable[[], Table], order: str, *,
                     folder: Path | None = None, materialize: bool = False, inputs: Sequence[Table] = ()) -> Table:
    """The derived columns ``build()`` as a plain table of the connection, in one of three ways.

    - ``folder`` (DuckDB on a snapshot): written once as Parquet beside the snapshot, sorted
      by ``order`` (a day column), and read from there.  The file's name holds
      :func:`derivation_digest` (of the definitions, the calendar and the ``inputs``' schemas),
      so a changed definition or holiday table is derived anew; the next process on the same
      data starts without building or compiling the derivation, and a window's range on
      that day column lets DuckDB skip the row groups outside it.
    - ``materialize`` (DuckDB on frames in memory): a temporary table, sorted the same way.
    - otherwise (PostgreSQL): a temporary view, so that every query is pushed down over the
      stored rows.

    Each window's query then compiles against a flat table rather than the whole chain of
    joins and derivations (compiling that chain costs more than running it).
    """
    if folder is not None:
        path = folder / f"derived-{name}-{derivation_digest(order, inputs)}.parquet"
        try:
            if not path.exists():
                sql = backend.compile(build().order_by(order))
                tmp = folder / f".{path.name}.{os.getpid()}.tmp"
                run_sql(backend, f"COPY ({sql}) TO '{_quoted(tmp)}' (FORMAT PARQUET)")
                os.replace(tmp, path)
            return backend.read_parquet(path, table_name=name)
        except (OSError, duckdb.Error):
            materialize = True  # a snapshot folder that cannot be written is only slower
    if materialize:
        sql = backend.compile(build().order_by(order))
        run_sql(backend, f'CREATE OR REPLACE TEMPORARY TABLE "{name}" AS {sql}')
    else:
        run_sql(backend, f'CREATE OR REPLACE TEMPORARY VIEW "{name}" AS {backend.compile(build())}')
    return backend.table(name)


def derivation_digest(order: str, inputs: Sequence[Table]) -> str:
    """What a derived file's rows depend on besides the snapshot's rows, as a digest: this
    module's source (every derived column's expression), the codes and stages it reads from
    :mod:`metrics.prepared`, the calendar, the sort column, the versions of Ibis and DuckDB
    that compile and run the derivation, and the schemas of the tables it reads.  Nothing in
    it is built or compiled (compiling the derivation was a tenth of a cold start at 10M),
    and nothing depends on the process (hash seeds)."""
    parts: list[bytes | str] = [
        Path(__file__).read_bytes(),
        repr((STATUS, CHANNEL, ROUTE, STAGE_COLUMNS, _START_DAY, order, ibis.__version__, duckdb.__version__)),
        _calendar_digest(),
        *(repr(list(t.schema().items())) for t in inputs),
    ]
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _calendar_digest() -> str:
    return hashlib.sha256(_cumulative().tobytes()).hexdigest()


def date_of(column: Any) -> Any:
    """The date of a date or timestamp column (NULL stays NULL)."""
    return column.date() if column.type().is_timestamp() else column


def _days(rel: Table, cal: Table, dates: dict[str, tuple[Any, str | None]]) -> Table:
    """``rel`` with, for each ``day_column: (date expression, cum column or None)``, the date's
    day number and (where named) its cumulative working-day index, by joining the calendar
    on the date.  A date outside the calendar's range gets its day number computed and the
    index of the range's nearest end, as :func:`metrics.calendar.cum_index` clips."""
    first, last = _START_DAY, _START_DAY + len(_cumulative()) - 1
    first_cum, last_cum = int(_cumulative()[0]), int(_cumulative()[-1])
    for day_column, (date, cum_column) in dates.items():
        key = f"{day_column}__date"
        rel = rel.mutate(**{key: date})
        look = cal.select(**{f"{key}_c": cal.date, f"{day_column}__day": cal.day, f"{day_column}__cum": cal.cum})
        rel = rel.left_join(look, rel[key] == look[f"{key}_c"])
        d = rel[key]
        found = rel[f"{day_column}__day"]
        # only for a date the calendar does not hold (never, in practice) is the day computed
        day = found.coalesce(d.epoch_days().cast("int64"))
        derived = {day_column: day}
        if cum_column is not None:
            clipped = ibis.ifelse(day < first, first_cum, ibis.ifelse(day > last, last_cum, rel[f"{day_column}__cum"]))
            derived[cum_column] = ibis.ifelse(d.isnull(), ibis.null("int64"), clipped)
        rel = rel.mutate(**derived)
        helpers = {key, f"{key}_c", f"{day_column}__day", f"{day_column}__cum"}
        # an explicit column list (not drop(), whose SQL lists a set: the file digest must be stable)
        rel = rel.select(*[c for c in rel.columns if c not in helpers])
    return rel


STORED_FOR_RECORDS = ("channel", "route", "status", "result", "submitted_at", "accepted_at", "reviewed_at",
                      "decided_at", "completed_at", "entity_id", "visits", "rating")
"""Stored columns of an application kept beside the derived ones, so that the records behind a
figure are one filtered read of the derived table (:mod:`metrics.columnar.rows`), with no
join back to the stored rows."""

APP_COLUMNS = (
    "app_id", "item_code", "street_code", "dept", "sub_day", "acc_day", "comp_day", "acc_cum", "suspended",
    "processing", "promised", "legal", "status_code", "channel_code", "route_code", "result_refused",
    "visits_f", "rating_f", "has_reviewed", "has_decided", *(f"hours_{i}" for i in range(len(STAGE_COLUMNS))),
    "division",
    *STORED_FOR_RECORDS,
)
"""The derived columns of an application that masks, groupings and the screen read (and its id),
and the stored ones its drill-down row shows."""

CASE_COLUMNS = (
    "case_id", "dept_code", "street_code", "received_day", "received_cum", "transferred_day",
    "transferred_cum", "deadline_day", "rectified_day", "true", "self_source", "dept_reported_b", "key_b",
)
"""The derived columns of a case that masks and groupings read (and its id)."""


def _code(column: Any, codes: dict[str, int]) -> Any:
    return column.substitute(codes, else_=-1).cast("int8")


def apps_relation(applications: Table, service_items: Table, cal: Table) -> Table:
    """Applications with the derived columns of :func:`metrics.prepared.prepare_apps`."""
    items = service_items.select(
        i_code=service_items.item_code,
        i_dept=service_items.dept_code,
        i_promised=service_items.promised_limit_days,
        i_legal=service_items.legal_limit_days,
    )
    a = applications.left_join(items, applications.item_code == items.i_code)
    known = a.i_code.notnull()
    a = a.mutate(
        dept=a.dept_code.coalesce(a.i_dept),
        promised=ibis.ifelse(known, a.i_promised.coalesce(0), 0).cast("int64"),
        legal=ibis.ifelse(known, a.i_legal.coalesce(0), 0).cast("int64"),
        suspended=a.suspended_days.coalesce(0).cast("int64"),
        status_code=_code(a.status, STATUS),
        channel_code=_code(a.channel, CHANNEL),
        route_code=_code(a.route, ROUTE),
        result_refused=(a.result == "不予").coalesce(False),
        visits_f=a.visits.cast("float64"),
        rating_f=a.rating.cast("float64"),
        has_reviewed=a.reviewed_at.notnull(),
        has_decided=a.decided_at.notnull(),
        division=a.entity_id.substr(2, 6),  # the registering authority's code (see metrics.screening.locality)
        **{f"hours_{i}": (a[end].epoch_seconds() - a[start].epoch_seconds()).cast("float64") / 3600.0
           for i, (_stage, start, end) in enumerate(STAGE_COLUMNS)},
    )
    a = _days(a, cal, {"sub_day": (a.submitted_at.date(), None), "acc_day": (a.accepted_at.date(), "acc_cum"),
                       "comp_day": (a.completed_at.date(), "comp_cum")})
    both = a.acc_day.notnull() & a.comp_day.notnull()
    processing = ibis.greatest(0, a.comp_cum - a.acc_cum - a.suspended)
    a = a.mutate(processing=ibis.ifelse(both, processing, 0).cast("int64"))
    return a.select(*APP_COLUMNS)


def cases_relation(cases: Table, cal: Table) -> Table:
    """Cases with the derived columns of :func:`metrics.prepared.prepare_cases`."""
    c = cases.mutate(
        true=(cases.verified == "属实").coalesce(False),
        self_source=(cases.source == "部门自查").coalesce(False),
        dept_reported_b=cases.dept_reported.coalesce(False),
        key_b=cases.key_case.coalesce(False),
    )
    c = _days(c, cal, {
        "received_day": (date_of(cases.received_date), "received_cum"),
        "transferred_day": (date_of(cases.transferred_date), "transferred_cum"),
        "deadline_day": (date_of(cases.rectify_deadline), None),
        "rectified_day": (date_of(cases.rectified_date), None),
    })
    return c.select(*CASE_COLUMNS)


@dataclass(frozen=True)
class ColumnarApps:
    """The columns of :class:`~metrics.prepared.PreparedApps` that masks read, as expressions."""

    relation: Table
    dept: Any
    sub_day: Any
    acc_day: Any
    comp_day: Any
    has_acc: Any
    has_comp: Any
    acc_cum: Any
    suspended: Any
    processing: Any
    promised: Any
    legal: Any
    status: Any
    result_refused: Any
    channel: Any
    route: Any
    visits: Any
    rating: Any
    has_reviewed: Any
    has_decided: Any
    stage_hours: dict[str, Any]
    processing_order: None = None  # a database sorts for itself
    stage_order: dict[str, None] = field(default_factory=dict)


def columnar_apps(rel: Table) -> ColumnarApps:
    return ColumnarApps(
        relation=rel, dept=rel.dept, sub_day=rel.sub_day, acc_day=rel.acc_day, comp_day=rel.comp_day,
        has_acc=rel.acc_day.notnull(), has_comp=rel.comp_day.notnull(), acc_cum=rel.acc_cum,
        suspended=rel.suspended, processing=rel.processing, promised=rel.promised, legal=rel.legal,
        status=rel.status_code, result_refused=rel.result_refused, channel=rel.channel_code,
        route=rel.route_code, visits=rel.visits_f, rating=rel.rating_f, has_reviewed=rel.has_reviewed,
        has_decided=rel.has_decided,
        stage_hours={stage: rel[f"hours_{i}"] for i, (stage, _s, _e) in enumerate(STAGE_COLUMNS)},
        stage_order={stage: None for stage, _s, _e in STAGE_COLUMNS},
    )


@dataclass(frozen=True)
class ColumnarCases:
    """The columns of :class:`~metrics.prepared.PreparedCases` that masks read, as expressions."""

    relation: Table
    received_day: Any
    received_cum: Any
    transferred: Any
    transferred_cum: Any
    true: Any
    self_source: Any
    dept_reported: Any
    key: Any
    deadline_day: Any
    has_deadline: Any
    rectified_day: Any
    has_rectified: Any


def columnar_cases(rel: Table) -> ColumnarCases:
    return ColumnarCases(
        relation=rel, received_day=rel.received_day, received_cum=rel.received_cum,
        transferred=rel.transferred_day.notnull(), transferred_cum=rel.transferred_cum, true=rel.true,
        self_source=rel.self_source, dept_reported=rel.dept_reported_b, key=rel.key_b,
        deadline_day=rel.deadline_day, has_deadline=rel.deadline_day.notnull(),
        rectified_day=rel.rectified_day, has_rectified=rel.rectified_day.notnull(),
    )


__all__ = ["ColumnarApps", "ColumnarCases", "apps_relation", "calendar", "cases_relation",
           "columnar_apps", "columnar_cases", "date_of", "derivation_digest", "derived_relation"]
