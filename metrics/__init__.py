"""The indicator engine: every indicator, score and weak link of indicators.md.

Public API (see the report in the engine's commit history and each module's docstring)::

    from metrics import MetricsEngine, MetricsRequest, load_config
    engine = MetricsEngine(frames)            # frames = data.frames.load_frames(session)
    result = engine.compute(MetricsRequest(date(2025, 1, 1), date(2025, 3, 31)))
    result.district, result.departments, result.scores, result.weak_links
    from metrics.records import link_records, records_behind   # the records behind a figure
    link_records(engine, result.weak_links[0])

Each indicator's definition is one :class:`metrics.rules.Rule` in its family's ``RULES``
(all of them: :data:`metrics.families.RULES`); compute, records, views and tables read it.

metrics never imports streamlit and never writes SQL: it reads ``data.frames.Frames`` only.
"""

from metrics.config import ConfigError, MetricsConfig, load_config
from metrics.engine import MetricsEngine
from metrics.results import (
    DepartmentScore,
    MetricsRequest,
    MetricsRequestError,
    MetricsResult,
    Period,
    WeakLink,
)

__all__ = [
    "ConfigError",
    "DepartmentScore",
    "MetricsConfig",
    "MetricsEngine",
    "MetricsRequest",
    "MetricsRequestError",
    "MetricsResult",
    "Period",
    "WeakLink",
    "load_config",
]
