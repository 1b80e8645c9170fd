"""隐性壁垒筛查: signs in the records that 外地 applicants fare worse than 本地 ones for the
same item, and licensing items still approved after the negative list dropped their basis
(shared/spec/screening.md) — each a lead to verify, never a finding; one click turns a
signal into a case of 案例线索.

Drill state (query parameters): ``signal`` = ``<kind>:<item_code>`` (the selected signal),
``app_id`` = the selected application of its records.  A department user sees only its own
items' signals (its restricted engine, and the screen narrowed to its department).
"""

import streamlit as st

from dashboard.kit import cache, filters, signals, url_state
from dashboard.kit.escape import escape_md
from dashboard.kit.page import page
from dashboard.labels import t
from dashboard.screens.screening import sections

ctx = page("screening")
request = signals.request(ctx)
result, links = signals.screen(ctx)
rules = cache.engine().config.screening

st.title(f"{t('nav.screening')} · {escape_md(ctx.dept_name) if ctx.dept_name else t('common.district')}")
filters.period_caption(ctx.filters)
sections.intro(result, rules, ctx.filters.street)
sections.summary(result, rules, links)
sections.kind_lists(result, rules, links)

st.divider()
chosen = url_state.get(sections.SIGNAL)
signal = next((s for s in result.signals if sections.param(s) == chosen), None) if chosen else None
if chosen and signal is None:
    sections.unknown_signal()
elif signal is None:
    sections.pick_hint()
else:
    sections.detail(ctx.principal, request, result, rules, links, signal)
    sections.records(request, signal)
