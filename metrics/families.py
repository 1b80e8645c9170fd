"""The five indicator families and every indicator's rule, gathered in one mapping.

:data:`RULES` holds the :class:`~metrics.rules.Rule` of each indicator of ``indicators.md``
(in catalog order); importing this module fails if a family's rules and
:data:`metrics.catalog.ALL_INDICATORS` disagree, so no indicator is computed without a
declared rule or declared without being computed.
"""

from __future__ import annotations

from types import ModuleType

from metrics import channels, process, publicity, routes, supervision
from metrics.catalog import ALL_INDICATORS
from metrics.rules import Rule

FAMILIES: tuple[ModuleType, ...] = (process, channels, routes, supervision, publicity)
FAMILY_OF: dict[str, ModuleType] = {i: fam for fam in FAMILIES for i in fam.INDICATORS}

_declared: dict[str, Rule] = {}
for _family in FAMILIES:
    if set(_family.RULES) != set(_family.INDICATORS):
        raise RuntimeError(f"{_family.__name__}: RULES and INDICATORS differ: "
                           f"{sorted(set(_family.RULES) ^ set(_family.INDICATORS))}")
    _declared.update(_family.RULES)

RULES: dict[str, Rule] = {i: _declared[i] for i in ALL_INDICATORS}
"""Every indicator's rule, by id, in the order of indicators.md."""

__all__ = ["FAMILIES", "FAMILY_OF", "RULES"]
