"""Hidden-barrier screening (隐性壁垒线索筛查, shared/spec/screening.md).

Compares, per service item, how 外地 (non-local) and 本地 (local) applicants fare, and lists
licensing items still approved after the current negative list dropped their basis.  A
signal is a lead for verification, never a finding.

Settings and kind names live beside the indicator configuration in
:mod:`metrics.screening_rules` (validated with it, so that :mod:`metrics.config` imports no
module of this package).  Modules: :mod:`.locality` (本地/外地 from the credit code), :mod:`.model` (frozen
requests and results), :mod:`.screener` (the vectorised screen and the records behind a
signal), :mod:`.output` (JSON and table as ``market-access screen`` prints them) and
:mod:`.cases` (a signal as the request that creates a case).
"""
