"""The indicator ids the engine computes, by family (module), in the order of indicators.md.

This is the engine's side of the dictionary: :mod:`metrics.config` checks the TOML against
it, so the configuration can neither invent an indicator nor forget one.
"""

from __future__ import annotations

PROCESS = (
    "on_time_rate", "overdue_count", "legal_overdue_count", "avg_processing_wd",
    "median_processing_wd", "p90_processing_wd", "speedup_rate", "open_overdue_count",
    "open_overdue_rate", "stage_hours", "bottleneck_stage",
)
CHANNELS = (
    "online_rate", "mobile_rate", "zero_visit_rate", "one_visit_rate", "avg_visits",
    "good_rating_rate", "bad_rating_count", "online_item_rate", "full_online_item_rate",
)
ROUTES = (
    "instant_rate", "commitment_rate", "tolerance_rate", "parallel_rate", "streamlined_rate",
    "rejection_rate", "compression_rate", "avg_materials",
)
SUPERVISION = (
    "case_count", "verified_count", "transfer_on_time_rate", "rectify_on_time_rate",
    "overdue_rectification_count", "key_overdue_count", "unreported_count", "self_found_rate",
    "credit_entities", "high_risk_share",
)
PUBLICITY = (
    "disclosure_rate", "mapping_rate", "guide_update_rate", "channel_coverage",
    "data_completeness", "nl_coverage",
)

ALL_INDICATORS: tuple[str, ...] = PROCESS + CHANNELS + ROUTES + SUPERVISION + PUBLICITY
KNOWN_INDICATORS: frozenset[str] = frozenset(ALL_INDICATORS)

DISTRICT_ONLY: frozenset[str] = frozenset({"nl_coverage"})

# Indicators computed from applications alone (populations S, C, O): these can be broken
# down by street or by item, because an application carries its street and item.
APPLICATION_BASED: tuple[str, ...] = (
    *PROCESS,
    "online_rate", "mobile_rate", "zero_visit_rate", "one_visit_rate", "avg_visits",
    "good_rating_rate", "bad_rating_count",
    "instant_rate", "commitment_rate", "tolerance_rate", "parallel_rate", "streamlined_rate",
    "rejection_rate",
    "data_completeness",
)

COUNT_INDICATORS: frozenset[str] = frozenset({
    "overdue_count", "legal_overdue_count", "open_overdue_count", "bad_rating_count",
    "case_count", "verified_count", "overdue_rectification_count", "key_overdue_count",
    "unreported_count", "credit_entities",
})

STAGES: tuple[str, ...] = ("受理", "审查", "决定", "送达")
