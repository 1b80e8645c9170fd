"""On the demo data the screen flags exactly the planted barriers (data.demo.planted), at the
default scale and at the scale the dashboard tests use, for the demo's main periods."""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cache

import pandas as pd
import pytest

from data.demo import generate, planted
from data.frames import frames_from
from data.values import is_valid_uscc
from metrics.engine import MetricsEngine
from metrics.screening.model import ScreeningRequest
from metrics.screening.screener import Screener
from tests.fixtures.databases import DEMO_SCALE

D = dt.date
PERIODS = {
    "2025": ScreeningRequest(D(2025, 1, 1), D(2025, 12, 31)),
    "2026 年初至今": ScreeningRequest(D(2026, 1, 1), D(2026, 10, 31)),
    "最近一年": ScreeningRequest(D(2025, 11, 1), D(2026, 10, 31)),
}
PLANTED = {
    *((kind, dept, name) for kind, (dept, name) in planted.NONLOCAL_BARRIERS.items()),
    ("lifted_still_approved", *planted.LIFTED_ITEM),
}


@cache
def demo(scale: float) -> tuple[dict[str, pd.DataFrame], Screener]:
    tables = generate(scale=scale)
    return tables, Screener(MetricsEngine(frames_from(tables)))


@pytest.mark.parametrize("scale", [1.0, DEMO_SCALE])
@pytest.mark.parametrize("period", list(PERIODS))
def test_screen_flags_exactly_the_planted_barriers(scale: float, period: str) -> None:
    _, screener = demo(scale)
    result = screener.screen(PERIODS[period])
    found = {(s.kind, s.dept_code, s.item_name) for s in result.signals}
    assert found == PLANTED
    assert all(n >= 15 for n in result.tested.values())  # ordinary items were tested and stayed quiet


@pytest.mark.parametrize("period", list(PERIODS))
def test_each_department_sees_exactly_its_planted_barriers(period: str) -> None:
    """BH runs over a department's own tested items (a smaller m): still no ordinary item."""
    tables, screener = demo(1.0)
    for dept in tables["departments"]["dept_code"]:
        own = screener.screen(dataclasses.replace(PERIODS[period], dept=dept))
        assert {(s.kind, s.dept_code, s.item_name) for s in own.signals} == {p for p in PLANTED if p[1] == dept}


def test_planted_signals_are_strong() -> None:
    _, screener = demo(1.0)
    for s in screener.screen(PERIODS["2025"]).signals:
        if s.kind != "lifted_still_approved":
            assert s.q_value is not None and s.q_value < 1e-6, s
            assert s.local is not None and s.nonlocal_ is not None and s.nonlocal_.n >= 50, s
        else:
            assert s.effect == s.records >= 10, s


def test_outside_applicants_are_realistic() -> None:
    tables, _ = demo(1.0)
    codes = tables["applications"]["entity_id"].dropna().astype(str)
    division = codes.str.slice(2, 8)
    outside = ~division.str.startswith("4407")
    assert 0.15 <= outside.mean() <= 0.25
    other_cities = division[outside].str.startswith("44")
    assert 0.5 < other_cities.mean() < 0.8  # other Guangdong cities, and other provinces
    assert {"4401", "4403", "4406"} <= set(division[outside].str.slice(0, 4))
    assert all(is_valid_uscc(c) for c in codes[outside].unique())


def test_lifted_item_basis_is_only_in_the_2022_list() -> None:
    tables, _ = demo(1.0)
    items = tables["service_items"]
    dept, name = planted.LIFTED_ITEM
    item = items[(items["dept_code"] == dept) & (items["item_name"] == name)].iloc[0]
    nl = tables["negative_list"]
    versions = set(nl.loc[nl["nl_code"] == item["nl_code"], "version"])
    assert item["item_type"] == "行政许可" and versions == {"2022"}
