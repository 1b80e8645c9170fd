"""Today's early-warning lights for the signed-in principal, and how pages say them.

:func:`board` asks :func:`metrics.alerts.alert_board` (the one place the lights are judged)
for every live item the principal may see (:func:`totals` only for their counts), at today in Asia/Shanghai — never at the filter
bar's as_of.  The lights of the imported records are kept per day and data version
(:func:`dashboard.kit.cache.record_lights`); tasks and 催办 are read on every run, since they
change between two runs and a department must see an urging at once.  :func:`light_text`
colours a count the way every page shows it, and :func:`urgings_received` lists the 催办 a
department received (预警中心, 部门自查).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.kit import cache, tables
from dashboard.kit.escape import escape_md
from dashboard.labels import t
from data import urgings
from metrics.alert_settings import current_settings
from metrics.alerts import AlertBoard, AlertRequest, alert_board, alert_totals
from metrics.lights import GREEN, LIGHT_NAMES, RED, YELLOW

COLOURS = {RED: "red", YELLOW: "orange", GREEN: "green"}
"""Streamlit's markdown colour of each light."""
BACKGROUNDS = {RED: "background-color: #fbe3e4; color: #8a1015", YELLOW: "background-color: #fff4d6",
               GREEN: "background-color: #e6f4ea"}


def board() -> AlertBoard:
    """Every live item the signed-in principal may see, judged at today (a department: its own)."""
    p = cache.principal()
    assert p is not None, "pages check the principal first"
    request = AlertRequest()
    with cache.database().session() as session:
        rules = current_settings(session).lights
        return alert_board(session, cache.engine().data, p, request, rules, cache.record_lights(request.day, rules))


def totals(dept: str | None = None) -> tuple[dt.date, dict[str, int]]:
    """(today, the counts by light of :func:`board`, of ``dept`` when given), without ordering
    every item: 总览's line of today's lights."""
    p = cache.principal()
    assert p is not None, "pages check the principal first"
    request = AlertRequest()
    with cache.database().session() as session:
        rules = current_settings(session).lights
        counts = alert_totals(session, cache.engine().data, p, request, rules, cache.record_lights(request.day, rules),
                              dept=dept)
    return request.day, counts


def light_text(light: str, n: int | None = None) -> str:
    """Markdown of a light (and a count) in its colour: ``:red[**红灯 3**]``."""
    label = LIGHT_NAMES[light] + ("" if n is None else f" {n}")
    return f":{COLOURS[light]}[**{label}**]"


def judged_caption(today: dt.date) -> None:
    """Say on screen which day the lights are judged at."""
    st.caption(t("alerts.judged_at", day=today.isoformat()))


def urgings_frame(found: list[urgings.Urging], names: dict[str, str]) -> pd.DataFrame:
    """Urgings as a table people read (times local, Asia/Shanghai)."""
    return pd.DataFrame({
        "urged_at": [u.at.strftime("%Y-%m-%d %H:%M") for u in found],
        "urged_kind": [t(f"alerts.kind_{u.kind}") for u in found],
        "alert_item": [u.item_id for u in found],
        "dept_name": [names.get(u.dept_code, u.dept_code) for u in found],
        "urged_by": [u.user_name for u in found],
        "urge_note": [u.note for u in found],
    })


def urgings_received(dept: str | None, *, key: str, limit: int = 50) -> int:
    """The newest 催办 the principal may see (of ``dept`` when given) as a table; returns how many."""
    p = cache.principal()
    assert p is not None
    with cache.database().session() as session:
        found = urgings.list_urgings(session, p)
    if dept is not None:
        found = [u for u in found if u.dept_code == dept]
    if not found:
        tables.empty(t("alerts.no_urgings"))
        return 0
    newest = found[0]
    st.caption(t("alerts.urging_latest", at=newest.at.strftime("%Y-%m-%d %H:%M"), by=escape_md(newest.user_name),
                 kind=t(f"alerts.kind_{newest.kind}"), item=escape_md(newest.item_id), note=escape_md(newest.note)))
    tables.table(urgings_frame(found[:limit], cache.all_units().names()), t("alerts.urgings_file"), key=key,
                 height=min(320, 35 * min(len(found), limit) + 38))
    return len(found)
