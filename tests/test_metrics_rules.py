"""Property test over every indicator of indicators.md: the records behind a figure give
the figure back.

On the demo data (small scale), for several periods (one judged before its end, one of a
street), the district and a few departments:

- a count: the records behind number exactly its value;
- a ratio: its population records (denominator) and qualifying records (numerator) give
  exactly the value, and the records behind are the population's shortfall (↑) or the
  numerator (↓ and unscored), as its rule says;
- a mean, quantile or time-saved share: the population records' values reproduce it (with
  pandas, independently of the engine's vectorised reducers);
- stage hours and the bottleneck: the population's per-stage medians;
- channel_coverage: the channels the records show published, ÷ 3; nl_coverage: distinct
  mapped codes ÷ distinct codes of the current list.

The engine's value comes from ``MetricsEngine.compute`` (all departments at once, grouped
by codes); the records from :func:`metrics.records.records_behind` (filtered rows).  The
rule set must equal ``catalog.ALL_INDICATORS``, so an indicator without a rule fails here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Iterator

import pandas as pd
import pytest

from data.contract import DISCLOSURE_CHANNELS
from data.demo import generate
from data.frames import frames_from
from metrics.catalog import ALL_INDICATORS, COUNT_INDICATORS, DISTRICT_ONLY, STAGES
from metrics.engine import MetricsEngine
from metrics.families import RULES
from metrics.process import bottleneck
from metrics.records import records_behind, rule_records
from metrics.results import MetricsRequest, MetricsResult
from metrics.scoping import request_scope

D = dt.date
REQUESTS = (
    MetricsRequest(D(2025, 4, 1), D(2025, 6, 30)),
    MetricsRequest(D(2026, 1, 1), D(2026, 6, 30), as_of=D(2026, 4, 15)),
    MetricsRequest(D(2025, 11, 1), D(2025, 11, 30)),
    MetricsRequest(D(2025, 7, 1), D(2025, 12, 31), street="JH017"),
)
DEPARTMENTS = (None, "JH004", "JH007", "JH011", "JH017")

# The identity of a record in each table (to compare sets of records).
KEYS = {
    "apps": ["app_id"],
    "items": ["item_code"],
    "cases": ["case_id"],
    "ratings": ["entity_id", "dept_code", "rated_date", "grade"],
    "negative_list": ["version", "nl_code"],
}

Of = Callable[[pd.DataFrame], float | None]


# Hand-written: the records column each mean or quantile is taken of, and how the value
# follows from it.  Must cover exactly the indicators whose rule is of such a kind.
def _mean(col: str, scale: float = 1.0) -> Of:
    return lambda rows: None if not len(rows) else float(rows[col].astype(float).mean()) / scale


def _quantile(col: str, q: float) -> Of:
    return lambda rows: None if not len(rows) else float(rows[col].astype(float).quantile(q))


def _saved(rows: pd.DataFrame) -> float | None:
    limits = float(rows["legal_limit_days"].sum())
    return None if not len(rows) or not limits else 1.0 - float(rows["processing_wd"].astype(float).sum()) / limits


VALUE_OF: dict[str, Of] = {
    "avg_processing_wd": _mean("processing_wd"),
    "median_processing_wd": _quantile("processing_wd", 0.5),
    "p90_processing_wd": _quantile("processing_wd", 0.9),
    "speedup_rate": _saved,
    "avg_visits": _mean("visits"),
    "compression_rate": _mean("compression"),
    "avg_materials": _mean("materials"),
    "disclosure_rate": _mean("pub_count", 5.0),
}


@pytest.fixture(scope="module")
def engine() -> MetricsEngine:
    return MetricsEngine(frames_from(generate(seed=2025, scale=0.1)))


@pytest.fixture(scope="module")
def results(engine: MetricsEngine) -> dict[MetricsRequest, MetricsResult]:
    return {req: engine.compute(req) for req in REQUESTS}


def cases() -> Iterator[tuple[str, int, str | None]]:
    for ind in ALL_INDICATORS:
        for r in range(len(REQUESTS)):
            for dept in DEPARTMENTS:
                if dept is None or ind not in DISTRICT_ONLY:
                    yield ind, r, dept


def keys(rows: pd.DataFrame, table: str) -> list[tuple[object, ...]]:
    return sorted(tuple(str(v) for v in row) for row in rows[KEYS[table]].itertuples(index=False))


def close(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)  # type: ignore[arg-type]


def test_every_indicator_has_exactly_one_rule() -> None:
    assert list(RULES) == list(ALL_INDICATORS)
    assert all(rule.indicator == ind for ind, rule in RULES.items())
    assert {i for i, r in RULES.items() if r.kind in ("mean", "quantile", "saved_share")} == set(VALUE_OF)
    assert {i for i, r in RULES.items() if r.kind == "count"} == COUNT_INDICATORS


def test_the_demo_periods_have_records(engine: MetricsEngine, results: dict[MetricsRequest, MetricsResult]) -> None:
    """The cases below are not vacuous: most figures have data in these periods."""
    for req, result in results.items():
        present = sum(v is not None for v in result.district.values())
        assert present >= len(ALL_INDICATORS) - 3, req
        assert result.district["case_count"] > 0 and result.district["overdue_count"] > 0, req


@pytest.mark.parametrize(("indicator", "r", "dept"), list(cases()))
def test_records_behind_give_the_value(
    engine: MetricsEngine, results: dict[MetricsRequest, MetricsResult], indicator: str, r: int, dept: str | None
) -> None:
    req = REQUESTS[r]
    result = results[req]
    value = result.district[indicator] if dept is None else result.departments[dept][indicator]
    rule = RULES[indicator]
    scope = request_scope(engine, req)
    behind = records_behind(engine, req, dept, indicator)
    population = rule_records(engine, scope, dataclasses.replace(rule, behind="population"), dept)
    numerator = rule_records(engine, scope, dataclasses.replace(rule, behind="counted"), dept)

    if rule.kind == "count":
        assert len(behind) == value
        assert keys(behind, rule.table) == keys(population, rule.table)
    elif rule.kind == "ratio":
        assert close(value, len(numerator) / len(population) if len(population) else None)
        pop, num = keys(population, rule.table), keys(numerator, rule.table)
        assert set(num) <= set(pop)
        expected = sorted(set(pop) - set(num)) if rule.behind == "short" else num
        assert keys(behind, rule.table) == expected
    elif rule.kind in ("mean", "quantile", "saved_share"):
        assert close(value, VALUE_OF[indicator](population))
        if rule.behind == "population":
            assert keys(behind, rule.table) == keys(population, rule.table)
        else:  # disclosure_rate: the items not fully disclosed
            assert keys(behind, rule.table) == sorted(set(keys(population, rule.table)) - set(keys(numerator, rule.table)))
    elif rule.kind in ("stage_medians", "bottleneck"):
        medians = {s: (float(population[f"{s}_hours"].median()) if population[f"{s}_hours"].notna().any() else None)
                   for s in STAGES}
        if rule.kind == "stage_medians":
            assert value.keys() == medians.keys()
            assert all(close(value[s], medians[s]) for s in STAGES)
        else:
            assert value == bottleneck(medians)
        assert len(behind) == len(population)
    elif rule.kind == "channel_share":
        assert list(behind["channel"]) == list(DISCLOSURE_CHANNELS)
        if scope.current_version is None:
            assert value is None
        else:
            assert close(value, behind["published"].sum() / 3)
    elif rule.kind == "distinct_share":
        wanted, mapped = set(population["nl_code"]), set(numerator["nl_code"])
        assert close(value, len(mapped) / len(wanted) if wanted else None)
        assert set(behind["nl_code"]) == wanted - mapped
    else:  # pragma: no cover - a new kind must be checked here
        pytest.fail(f"no check for kind {rule.kind}")
