"""服务渠道 (service channels): online application, visits, ratings and online items.

``RULES`` declares each indicator once (see :mod:`metrics.rules`).
"""

from __future__ import annotations

import numpy as np

from metrics.catalog import CHANNELS
from metrics.grouping import Grouping, Measure
from metrics.ops import isin, present
from metrics.populations import Scope, per_scope
from metrics.prepared import CHANNEL
from metrics.rules import Rule, evaluate, rule_map

INDICATORS = CHANNELS
ONLINE = (CHANNEL["网上办理"], CHANNEL["掌上办理"])
MOBILE = CHANNEL["掌上办理"]


def submitted(scope: Scope) -> np.ndarray:
    """S: the applications submitted in the period."""
    return scope.submitted


@per_scope
def online(scope: Scope) -> np.ndarray:
    """Applied 网上办理 or 掌上办理."""
    return isin(scope.data.apps.channel, ONLINE)


@per_scope
def mobile(scope: Scope) -> np.ndarray:
    return scope.data.apps.channel == MOBILE


@per_scope
def with_visits(scope: Scope) -> np.ndarray:
    """S with the number of on-site visits present."""
    return scope.submitted & present(scope.data.apps.visits)


def visits(scope: Scope) -> np.ndarray:
    return scope.data.apps.visits


@per_scope
def zero_visits(scope: Scope) -> np.ndarray:
    return scope.data.apps.visits == 0


@per_scope
def one_visit_at_most(scope: Scope) -> np.ndarray:
    return scope.data.apps.visits <= 1


@per_scope
def rated(scope: Scope) -> np.ndarray:
    """C with a 好差评 rating."""
    return scope.completed & present(scope.data.apps.rating)


@per_scope
def good_rating(scope: Scope) -> np.ndarray:
    return scope.data.apps.rating >= 4


@per_scope
def bad_rating(scope: Scope) -> np.ndarray:
    """C rated 1 or 2 (bad_rating_count)."""
    return rated(scope) & (scope.data.apps.rating <= 2)


@per_scope
def every_item(scope: Scope) -> np.ndarray:
    return np.ones(len(scope.data.items.online), dtype=bool)


def item_online(scope: Scope) -> np.ndarray:
    return scope.data.items.online


def item_full_online(scope: Scope) -> np.ndarray:
    return scope.data.items.full_online


RULES: dict[str, Rule] = rule_map([
    Rule("online_rate", "apps", "ratio", submitted, online, behind="short"),
    Rule("mobile_rate", "apps", "ratio", submitted, mobile, behind="counted"),
    Rule("zero_visit_rate", "apps", "ratio", with_visits, zero_visits, behind="short", sort="visits"),
    Rule("one_visit_rate", "apps", "ratio", with_visits, one_visit_at_most, behind="short", sort="visits"),
    Rule("avg_visits", "apps", "mean", with_visits, values=visits, behind="population", sort="visits"),
    Rule("good_rating_rate", "apps", "ratio", rated, good_rating, behind="short"),
    Rule("bad_rating_count", "apps", "count", bad_rating),
    Rule("online_item_rate", "items", "ratio", every_item, item_online, behind="counted"),
    Rule("full_online_item_rate", "items", "ratio", every_item, item_full_online, behind="short"),
])


def compute(scope: Scope, grouping: Grouping) -> dict[str, Measure]:
    return evaluate(RULES, scope, grouping)
