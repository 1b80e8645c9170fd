"""The indicator engine with its heavy work done where the rows are (DuckDB or PostgreSQL).

:class:`ColumnarEngine` is a :class:`~metrics.engine.MetricsEngine`: the same families, the
same rules (:mod:`metrics.rules`), the same scores and weak links.  What changes is where
applications and cases live.  They are never loaded into pandas; their masks are Ibis
expressions over the database's tables (:mod:`metrics.columnar.relations`), and each
window's measures are one query per table (:mod:`metrics.columnar.batch`).  The small
tables (departments, service items, the negative list, disclosures, credit ratings) are
read into memory as the in-memory engine reads them, and their masks run on numpy as there.

A :class:`ColumnarSource` says where the data is: a Parquet snapshot read by an in-process
DuckDB (:func:`duckdb_source`), or a PostgreSQL database (:func:`postgres_source`), where the
same expressions become pushed-down SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, lru_cache, partial
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
from ibis.expr.types import Table

from data import contract, snapshots
from data.frames import Frames, empty_frames
from metrics.catalog import ALL_INDICATORS
from metrics.columnar.batch import Batch
from metrics.columnar.cubes import Cubes
from metrics.columnar.quantile_index import QuantileIndex
from metrics.columnar.reducer import ColumnarGrouping
from metrics.columnar.relations import (
    ColumnarApps,
    ColumnarCases,
    apps_relation,
    calendar,
    cases_relation,
    columnar_apps,
    columnar_cases,
    derivation_digest,
    derived_relation,
    run_sql,
)
from metrics.columnar.rows import application_rows, case_rows
from metrics.config import MetricsConfig, load_config
from metrics.coverage import APPLICATION_END, CASE_END
from metrics.engine import MONTHS_KEPT, MetricsEngine
from metrics.families import FAMILIES
from metrics.grouping import Measure, codes_for
from metrics.populations import Scope, Window
from metrics.prepared import Prepared, prepare

LARGE_TABLES = ("applications", "cases")
"""Tables left in the database; every other contract table is read into memory."""

SMALL_TABLES = tuple(t.id for t in contract.TABLES if t.id not in LARGE_TABLES)


@dataclass(frozen=True)
class ColumnarSource:
    """An Ibis backend holding the large tables, and the small tables read from it."""

    backend: Any
    applications: Table
    service_items: Table
    cases: Table
    small: dict[str, pd.DataFrame] = field(repr=False)
    name: str = ""
    materialize: bool = False  # derive the columns once into a temporary table (else a view)
    folder: Path | None = None  # a snapshot folder to keep the derived columns in, as Parquet

    def frames(self) -> Frames:
        """Frames of the small tables, with applications and cases empty (they stay put)."""
        base = empty_frames()
        return replace(base, **self.small)


DUCKDB_MEMORY_LIMIT = "2GB"
"""What DuckDB may hold (it spills to a temporary directory beyond): with the small tables
in pandas and the interpreter, the server stays within 3 GB at ten million applications."""


def duckdb_source(folder: Path, *, memory_limit: str | None = DUCKDB_MEMORY_LIMIT,
                  threads: int | None = None) -> ColumnarSource:
    """An in-process DuckDB reading the Parquet snapshot in ``folder`` (see :mod:`data.snapshots`)."""
    small = snapshots.read_tables(folder, SMALL_TABLES)
    if small is None:
        raise FileNotFoundError(f"no complete snapshot in {folder}")
    config: dict[str, Any] = {}
    if memory_limit is not None:
        config["memory_limit"] = memory_limit
    if threads is not None:
        config["threads"] = threads
    con = ibis.duckdb.connect(**config)
    tables = {t: con.read_parquet(snapshots.table_file(folder, t), table_name=f"ma_{t}")
              for t in ("applications", "service_items", "cases")}
    return ColumnarSource(con, tables["applications"], tables["service_items"], tables["cases"], small, "duckdb",
                          materialize=True, folder=folder)


def frames_source(frames: Frames) -> ColumnarSource:
    """An in-process DuckDB holding ``frames`` (tests, and data already in memory)."""
    con = ibis.duckdb.connect()
    tables = {t: con.create_table(f"ma_{t}", frames.table(t)) for t in ("applications", "service_items", "cases")}
    small = {t: frames.table(t) for t in SMALL_TABLES}
    return ColumnarSource(con, tables["applications"], tables["service_items"], tables["cases"], small, "duckdb",
                          materialize=True)


def postgres_source(url: str, small: dict[str, pd.DataFrame]) -> ColumnarSource:
    """The PostgreSQL database at SQLAlchemy ``url``; ``small`` are its small tables read
    into frames (:func:`data.frames.load_tables`)."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    con = ibis.postgres.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                                database=u.database)
    # The window's queries are wide (fifty filtered aggregates): compiling them with LLVM
    # costs more than running them, so the session runs them interpreted.
    run_sql(con, "SET jit = off")
    return ColumnarSource(con, con.table("applications"), con.table("service_items"), con.table("cases"),
                          small, "postgresql")


@dataclass(frozen=True)
class ColumnarPrepared(Prepared):
    """:class:`~metrics.prepared.Prepared` whose applications and cases are expressions."""

    def street_mask(self, table: str, street: str) -> Any:
        rel = self.apps.relation if table == "apps" else self.cases.relation  # type: ignore[attr-defined]
        return (rel.street_code == street).coalesce(False)

    def id_mask(self, table: str, record_id: str) -> Any:
        rel = self.apps.relation if table == "apps" else self.cases.relation  # type: ignore[attr-defined]
        return (rel.app_id if table == "apps" else rel.case_id) == str(record_id)

    def dept_mask(self, table: str, dept: str | None) -> Any:
        if dept is None:
            return True
        column = self.apps.dept if table == "apps" else self.cases.relation.dept_code  # type: ignore[attr-defined]
        return (column == dept).coalesce(False)


class ColumnarEngine(MetricsEngine):
    """:class:`~metrics.engine.MetricsEngine` over a :class:`ColumnarSource` (see the module)."""

    def __init__(self, source: ColumnarSource, config: MetricsConfig | None = None, *,
                 data_end: dt.date | None = None) -> None:
        self.source = source
        self.frames = source.frames()
        self.config = config if config is not None else load_config()
        be, folder, keep = source.backend, source.folder, source.materialize
        cal = cache(partial(calendar, be))  # only a derivation that is not kept needs it
        apps = columnar_apps(derived_relation(
            be, "ma_apps_prepared", lambda: apps_relation(source.applications, source.service_items, cal()),
            "comp_day", folder=folder, materialize=keep, inputs=(source.applications, source.service_items)))
        cases = columnar_cases(derived_relation(
            be, "ma_cases_prepared", lambda: cases_relation(source.cases, cal()), "received_day", folder=folder,
            materialize=keep, inputs=(source.cases,)))
        self.apps: ColumnarApps = apps
        self.cases: ColumnarCases = cases
        base = prepare(self.frames)
        self.data: Prepared = ColumnarPrepared(
            frames=base.frames, dept_keys=base.dept_keys, dept_names=base.dept_names,
            street_keys=base.street_keys, items=base.items, versions=base.versions,
            apps=apps,  # type: ignore[arg-type]
            cases=cases,  # type: ignore[arg-type]
        )
        self.data_end = data_end if data_end is not None else self._data_end()
        self._months = lru_cache(maxsize=MONTHS_KEPT)(self._month_measures)
        self.cubes = Cubes()  # daily counts and sums, shared by every window's queries
        # quantiles from values kept sorted, where the rows are in-process (not PostgreSQL's)
        tag = "|".join(derivation_digest(order, inputs) for order, inputs in (
            ("comp_day", (source.applications, source.service_items)), ("received_day", (source.cases,))))
        self.sorted_values = QuantileIndex(folder=folder, tag=tag) if source.name == "duckdb" else None

    def _data_end(self) -> dt.date | None:
        """数据截至, as :func:`metrics.coverage.data_end` judges it, asked of the database."""
        tables = {"applications": self.source.applications, "cases": self.source.cases}
        for columns in (APPLICATION_END, CASE_END):
            latest = [self.source.backend.execute(tables[t][c].max()) for t, c in columns]
            known = [pd.Timestamp(v).date() for v in latest if v is not None and not pd.isna(v)]
            if known:
                return max(known)
        return None

    # ------------------------------------------------------------------ groupings

    def _grouping(self, name: str, keys: tuple[str, ...], apps_key: Any, cases_key: Any,
                  items: Any = None, departments: bool = False) -> ColumnarGrouping:
        return ColumnarGrouping(
            name, keys, apps=apps_key, items=items, cases=cases_key, departments=departments,
            relations={"apps": self.apps.relation, "cases": self.cases.relation},
        )

    @cached_property
    def department_grouping(self) -> ColumnarGrouping:  # type: ignore[override]
        keys = self.data.dept_keys
        return self._grouping("dept", keys, self.apps.dept, self.cases.relation.dept_code,
                              items=codes_for(self.data.items.dept, keys), departments=True)

    @cached_property
    def street_grouping(self) -> ColumnarGrouping:  # type: ignore[override]
        return self._grouping("street", self.data.street_keys, self.apps.relation.street_code,
                              self.cases.relation.street_code)

    @cached_property
    def district_grouping(self) -> ColumnarGrouping:  # type: ignore[override]
        return self._grouping("district", (), None, None)

    def item_grouping(self, dept: str | None = None) -> ColumnarGrouping:
        items = self.data.items.frame
        if dept is not None:
            items = items[(items["dept_code"] == dept).fillna(False)]
        keys = tuple(str(k) for k in items["item_code"].tolist())
        rel = self.apps.relation
        key = rel.item_code if dept is None else ibis.ifelse(rel.dept == dept, rel.item_code, ibis.null("string"))
        return self._grouping("item", keys, key, None)

    # ------------------------------------------------------------------ records

    def record_rows(self, scope: Scope, table: str, mask: Any) -> pd.DataFrame:
        """The drill-down rows of ``mask`` fetched from the database (:mod:`metrics.columnar.rows`)."""
        if table == "apps":
            return application_rows(self.apps, self.data.items, scope, mask)
        return case_rows(self.cases, self.source.cases, mask)

    # ------------------------------------------------------------------ core

    def measures(
        self,
        window: Window,
        grouping: Any,
        street: str | None = None,
        indicators: Iterable[str] | None = None,
    ) -> dict[str, Measure]:
        """The families' measures in one window: recorded, one query per table, replayed."""
        wanted = set(ALL_INDICATORS if indicators is None else indicators)
        families = [f for f in FAMILIES if wanted & set(f.INDICATORS)]
        first = Scope(self.data, window, street)
        batch = Batch(self.source.backend, (first.completed, first.submitted, first.open, first.received),
                      cubes=self.cubes, sorted_values=self.sorted_values)
        with batch.active():
            for family in families:
                family.compute(first, grouping)
            batch.execute()
            out: dict[str, Measure] = {}
            scope = Scope(self.data, window, street)
            for family in families:
                out.update(family.compute(scope, grouping))
        return {k: v for k, v in out.items() if k in wanted}


__all__ = ["ColumnarEngine", "ColumnarSource", "duckdb_source", "frames_source", "postgres_source"]
