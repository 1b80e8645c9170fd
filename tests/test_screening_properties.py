"""Property tests of the screen: the batched Mann–Whitney equals scipy pair by pair, and on
random data every signal obeys the spec's rules whatever the row order."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from data.frames import frames_from
from metrics.engine import MetricsEngine
from metrics.screening import screener as screener_module
from metrics.screening.model import ScreeningRequest
from metrics.screening.screener import Screener, _mann_whitney_greater
from metrics.screening_rules import TESTED_KINDS
from tests.fixtures.screening import code, tables


@pytest.mark.parametrize("seed", range(5))
def test_batched_mann_whitney_equals_pairwise_scipy(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(seed)
    monkeypatch.setattr(screener_module, "BATCH_CELLS", int(rng.integers(50, 400)))  # several batches
    xs = [rng.integers(0, 6, int(rng.integers(1, 60))).astype(float) for _ in range(40)]
    ys = [rng.integers(0, 6, int(rng.integers(1, 90))).astype(float) for _ in range(40)]
    xs[3], ys[3] = np.full(7, 2.0), np.full(9, 2.0)  # every value equal: no evidence
    got = _mann_whitney_greater(xs, ys)
    for k, (x, y) in enumerate(zip(xs, ys, strict=True)):
        with np.errstate(invalid="ignore", divide="ignore"):
            want = stats.mannwhitneyu(x, y, alternative="greater", method="asymptotic", use_continuity=True).pvalue
        assert got[k] == pytest.approx(1.0 if np.isnan(want) else want, rel=1e-12, abs=1e-15), k


def random_tables(seed: int) -> dict[str, pd.DataFrame]:
    """The oracle's reference tables with 600 random March applications over I1, I2, I5."""
    rng = np.random.default_rng(seed)
    base = tables()
    entities = [code(d, i) for i, d in enumerate(["440704", "440703", "440106", "450103"] * 5)]
    n = 600
    status = rng.choice(["已办结", "在办", "不予受理", "撤回"], n, p=[0.7, 0.15, 0.1, 0.05])
    done = status == "已办结"
    day = rng.integers(3, 8, n)
    comp_day = day + rng.integers(0, 18, n)
    apps = pd.DataFrame({
        "app_id": [f"R{i:04d}" for i in range(n)],
        "item_code": rng.choice(["I1", "I2", "I5"], n),
        "channel": "网上办理", "route": "承诺件",
        "submitted_at": [f"2025-03-{d:02d} 09:00" for d in day],
        "accepted_at": [None if s in ("不予受理", "撤回") else f"2025-03-{d:02d} 10:00" for s, d in zip(status, day, strict=True)],
        "completed_at": [f"2025-03-{c:02d} 16:00" if ok else None for c, ok in zip(comp_day, done, strict=True)],
        "status": status,
        "result": np.where(done, rng.choice(["准予", "不予"], n, p=[0.85, 0.15]), None),
        "suspended_days": np.where(done & (rng.random(n) < 0.2), 1, 0),
        "visits": np.where(rng.random(n) < 0.1, None, rng.integers(0, 3, n)),
        "entity_id": np.where(rng.random(n) < 0.05, None, rng.choice(entities, n)),
    })
    return {**base, "applications": apps}


@pytest.mark.parametrize("seed", range(4))
def test_signals_obey_the_rules_whatever_the_row_order(seed: int) -> None:
    import dataclasses

    t = random_tables(seed)
    request = ScreeningRequest(dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    engine = MetricsEngine(frames_from(t))
    rules = dataclasses.replace(engine.config.screening, min_group=5, fdr=0.5, min_rate_gap=0.0,
                                min_days_gap=0.0, min_visits_gap=0.0)
    screener = Screener(engine, rules)
    result = screener.screen(request)
    shuffled = {**t, "applications": t["applications"].sample(frac=1.0, random_state=seed)}
    again = Screener(MetricsEngine(frames_from(shuffled)), rules).screen(request)
    assert again.tested == result.tested
    assert [(s.kind, s.item_code) for s in again.signals] == [(s.kind, s.item_code) for s in result.signals]
    for a, b in zip(again.signals, result.signals, strict=True):
        assert a.p_value == pytest.approx(b.p_value) and a.q_value == pytest.approx(b.q_value)
    for kind in TESTED_KINDS:
        compared = screener.comparisons(request, kind)
        assert len(compared) == result.tested[kind]
        flagged = {s.item_code for s in compared if s.flagged}
        assert flagged == {s.item_code for s in result.signals if s.kind == kind}
        for s in compared:
            assert s.local is not None and s.nonlocal_ is not None
            assert min(s.local.n, s.nonlocal_.n) >= 5 and s.records == s.local.n + s.nonlocal_.n
            assert 0 <= s.p_value <= s.q_value <= 1  # type: ignore[operator]
            assert s.flagged == (s.effect >= 0 and s.q_value <= 0.5)  # type: ignore[operator]
            rows = screener.records(request, s)
            assert len(rows) == s.records
            assert (rows["group"] == "外地").sum() == s.nonlocal_.n
