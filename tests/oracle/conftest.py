"""The oracle tests' engine over the hand-built data set (tests/fixtures/oracle.py)."""

from __future__ import annotations

import pytest

from data.frames import Frames, frames_from
from metrics.engine import MetricsEngine
from tests.fixtures.oracle import Q1, fixture_tables


@pytest.fixture(scope="module")
def frames() -> Frames:
    return frames_from(fixture_tables())


@pytest.fixture(scope="module")
def engine(frames: Frames) -> MetricsEngine:
    return MetricsEngine(frames)


@pytest.fixture(scope="module")
def q1(engine: MetricsEngine):  # type: ignore[no-untyped-def]
    return engine.compute(Q1)
