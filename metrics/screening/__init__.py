"""Hidden-barrier screening (隐性壁垒线索筛查, shared/spec/screening.md).

Compares, per service item, how 外地 (non-local) and 本地 (local) applicants fare, and lists
licensing items still approved after the current negative list dropped their basis.  A
signal is a lead for verification, never a finding.

Modules: :mod:`.rules` (settings and kind names, validated with the indicator
configuration), :mod:`.locality` (本地/外地 from the credit code), :mod:`.model` (frozen
requests and results), :mod:`.screener` (the vectorised screen and the records behind a
signal), :mod:`.output` (JSON and table as ``market-access screen`` prints them) and
:mod:`.cases` (a signal as the request that creates a case).  This file imports nothing so
that :mod:`metrics.config` can import :mod:`.rules` without a cycle.
"""
