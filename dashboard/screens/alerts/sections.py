"""The pieces of 预警中心: the totals by light, the counts per department and kind (a row
selects its list), the list behind a count (a row selects the item), and one item whole with
its drill link, its 催办 record and — for a leader or the administrator, on a red item —
the 催办 form.

Drill state is the URL: the department is the global filter (``dept``), the kind, the light
and the item are this page's parameters ``kind``, ``light`` and ``id``, so the digests'
links (:func:`followup.digest.alerts_link`) open the item directly.
"""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import navigation
from dashboard.kit import application, cache, tables, url_state
from dashboard.kit.escape import escape_md
from dashboard.kit.filters import UNIT_WIDGETS
from dashboard.kit.lights import BACKGROUNDS, COLOURS, light_text, urgings_frame
from dashboard.labels import t
from data import urgings
from data.accounts import Principal
from metrics.alerts import AlertBoard, LightItem, urge
from metrics.lights import (
    APPLICATION,
    DECISION,
    GREEN,
    KEY_CASE,
    LIGHT_NAMES,
    LIGHTS,
    RED,
    TASK,
    TRANSFER,
    YELLOW,
)
from metrics.results import DatedRequest

QP_KIND, QP_LIGHT, QP_ID = "kind", "light", "id"
ALL = "all"


def kind_name(kind: str) -> str:
    return t(f"alerts.kind_{kind}")


def totals(board: AlertBoard, dept: str | None) -> None:
    """Three coloured cards: today's red, yellow and green counts of the scope."""
    items = board.select(dept=dept)
    cols = st.columns(3)
    for col, light in zip(cols, LIGHTS, strict=True):
        n = sum(i.light == light for i in items)
        with col.container(border=True):
            st.markdown(light_text(light), help=t(f"alerts.total_{light}_help"))
            st.markdown(f"### :{COLOURS[light]}[{n}]")


def counts_frame(board: AlertBoard, dept: str | None) -> pd.DataFrame:
    rows = [c for c in board.counts() if dept is None or c.dept_code == dept]
    return pd.DataFrame({
        "dept_code": [c.dept_code for c in rows], "dept_name": [c.dept_name for c in rows],
        "kind": [c.kind for c in rows], "alert_kind": [kind_name(c.kind) for c in rows],
        "alert_red": [c.red for c in rows], "alert_yellow": [c.yellow for c in rows],
        "alert_green": [c.green for c in rows],
    })


def _count_style(shown: pd.DataFrame) -> Any:
    colours = {t("columns.alert_red"): BACKGROUNDS[RED], t("columns.alert_yellow"): BACKGROUNDS[YELLOW],
               t("columns.alert_green"): BACKGROUNDS[GREEN]}

    def cell(col: pd.Series) -> list[str]:
        css = colours.get(str(col.name), "")
        return [css if css and v else "" for v in col]

    return shown.style.apply(cell, axis=0)


def counts(board: AlertBoard, dept: str | None, kind: str | None) -> None:
    """The red/yellow/green counts per (department, kind); selecting a row sets the department
    filter and the kind, and so shows the list behind it."""
    st.subheader(t("alerts.counts_header"))
    frame = counts_frame(board, dept)
    if frame.empty:
        tables.empty(t("alerts.counts_empty"))
        return
    st.caption(t("alerts.counts_hint"))
    keys = [f"{d}:{k}" for d, k in zip(frame["dept_code"], frame["kind"], strict=True)]
    widget = f"al_counts_{zlib.crc32('|'.join(keys).encode()):08x}"

    def picked() -> None:
        rows = st.session_state[widget].selection.rows
        if not rows:
            return
        code, kind_ = keys[rows[0]].split(":", 1)
        st.session_state[UNIT_WIDGETS["dept"]] = code
        url_state.put(QP_KIND, kind_, clear=(QP_ID,))

    current = f"{dept}:{kind}" if dept and kind else None
    default: Any = {"selection": {"rows": [keys.index(current)]}} if current in keys else None
    shown = tables.shown(frame, ["dept_name", "alert_kind", "alert_red", "alert_yellow", "alert_green"])
    st.dataframe(_count_style(shown), hide_index=True, key=widget, on_select=picked, selection_mode="single-row",
                 selection_default=default, height=min(420, 35 * len(shown) + 38))
    tables.downloads(shown, "预警统计", key="al_counts_dl")


def filters_row(kind: str | None, light: str | None) -> None:
    """The kind and light of the list (mirroring ``kind`` and ``light``), and 查看全部."""
    row = st.container(horizontal=True, vertical_alignment="bottom")
    with row:
        kinds = [ALL, APPLICATION, TASK, DECISION, KEY_CASE, TRANSFER]
        st.session_state["al_kind"] = kind or ALL
        st.selectbox(t("alerts.kind_filter"), kinds, key="al_kind", width=220,
                     format_func=lambda k: t("alerts.kind_all") if k == ALL else kind_name(k),
                     on_change=lambda: url_state.put(QP_KIND, _chosen("al_kind"), clear=(QP_ID,)))
        st.session_state["al_light"] = light or ALL
        st.segmented_control(t("alerts.light_filter"), [ALL, *LIGHTS], key="al_light",
                             format_func=lambda x: t("alerts.light_all") if x == ALL else LIGHT_NAMES[x],
                             on_change=lambda: url_state.put(QP_LIGHT, _chosen("al_light"), clear=(QP_ID,)))
        st.button(t("alerts.show_all"), key="al_all", icon=":material/filter_alt_off:", on_click=_show_all)


def _chosen(key: str) -> str | None:
    value = st.session_state.get(key)
    return None if value in (None, ALL) else str(value)


def _show_all() -> None:
    url_state.clear(QP_KIND, QP_LIGHT, QP_ID)
    p = cache.principal()
    if p is not None and not p.is_department:
        st.session_state[UNIT_WIDGETS["dept"]] = ""


def items_frame(items: tuple[LightItem, ...]) -> pd.DataFrame:
    return pd.DataFrame({
        "alert_light": [LIGHT_NAMES[i.light] for i in items], "alert_kind": [kind_name(i.kind) for i in items],
        "alert_item": [i.item_id for i in items], "dept_name": [i.dept_name for i in items],
        "alert_title": [i.title for i in items], "urgings": [i.urgings for i in items],
        "alert_detail": [i.detail for i in items], "alert_remaining": [i.remaining for i in items],
        "alert_elapsed": [i.elapsed for i in items], "alert_due": [i.due for i in items],
    })


def item_list(board: AlertBoard, dept: str | None, kind: str | None, light: str | None,
              unit_name: str) -> None:
    """The items behind the chosen count, red first; selecting one sets ``id`` (and ``kind``)."""
    st.subheader(t("alerts.list_header"))
    filters_row(kind, light)
    items = board.select(dept=dept, kind=kind, light=light)
    st.caption(t("alerts.list_scope", dept=unit_name, kind=kind_name(kind) if kind else t("alerts.kind_all"),
                 light=LIGHT_NAMES[light] if light else t("alerts.light_all"), n=len(items)))
    if not items:
        tables.empty(t("alerts.list_empty"))
        return
    st.caption(t("alerts.list_hint"))
    keys = [i.key for i in items]
    widget = f"al_items_{zlib.crc32('|'.join(keys).encode()):08x}"
    lights = [i.light for i in items]

    def picked() -> None:
        rows = st.session_state[widget].selection.rows
        if rows:
            chosen = items[rows[0]]
            url_state.put(QP_KIND, chosen.kind)
            url_state.put(QP_ID, chosen.item_id)
        else:
            url_state.clear(QP_ID)

    current = url_state.get(QP_ID)
    kind_now = url_state.get(QP_KIND)
    at = [n for n, i in enumerate(items) if i.item_id == current and (kind_now is None or i.kind == kind_now)]
    default: Any = {"selection": {"rows": at[:1]}} if at else None
    shown = tables.shown(items_frame(items))

    def style(df: pd.DataFrame) -> Any:
        return df.style.apply(lambda r: [BACKGROUNDS[lights[int(r.name)]] if j == 0 else ""  # type: ignore[arg-type]
                                         for j in range(len(r))], axis=1)

    st.dataframe(style(shown), hide_index=True, key=widget, on_select=picked, selection_mode="single-row",
                 selection_default=default, height=min(420, 35 * len(shown) + 38), placeholder="—")
    tables.downloads(shown, "预警事项清单", key="al_items_dl")


def _drill_link(item: LightItem) -> None:
    """The link to the item's record on the page that owns it."""
    if item.kind in (TASK, DECISION):
        st.page_link(navigation.script("tasks"), label=t("alerts.open_task"), icon=":material/task_alt:",
                     query_params={"task": item.item_id})
    elif item.kind in (KEY_CASE, TRANSFER):
        st.page_link(navigation.script("cases"), label=t("alerts.open_case"), icon=":material/gavel:",
                     query_params={"case": item.item_id, "dept": item.dept_code})


def _application(item: LightItem, today: dt.date) -> None:
    """The application whole as of today (its stage timeline against its limits, its fields),
    and the link to its item in 办事流程's drill."""
    record = application.fetch(DatedRequest(today, today, today), item.item_id)
    if record is None:
        return
    st.markdown(f"**{t('alerts.app_record')}**")
    application.application_detail(record, today, key="al_app")
    st.page_link(navigation.script("process"), label=t("alerts.open_process"), icon=":material/timer:",
                 query_params={"dept": item.dept_code, "item": str(record["item_code"])})


def item_detail(board: AlertBoard, kind: str | None, item_id: str | None, p: Principal) -> None:
    """One item whole: light, what it is, its drill link, its 催办 record and the 催办 form."""
    if not item_id:
        return
    st.subheader(t("alerts.detail_header"))
    found = [i for i in board.select(kind=kind) if i.item_id == item_id]
    if not found:
        st.info(t("alerts.detail_missing", id=escape_md(item_id)), icon=":material/search_off:")
        return
    item = found[0]
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"{light_text(item.light)} · {kind_name(item.kind)} **{escape_md(item.item_id)}**")
        if item.title:
            st.text(item.title)
        st.text(f"{t('alerts.detail_dept')}：{item.dept_name}\n{item.detail}")
        if item.kind == APPLICATION:
            _application(item, board.today)
        else:
            _drill_link(item)
    with right:
        st.markdown(f"**{t('alerts.urgings_header')}**")
        with cache.database().session() as session:
            found_u = urgings.list_urgings(session, p, kind=item.kind, item_id=item.item_id)
        if found_u:
            st.caption(t("alerts.urging_latest", at=found_u[0].at.strftime("%Y-%m-%d %H:%M"),
                         by=escape_md(found_u[0].user_name), kind=kind_name(item.kind), item=escape_md(item.item_id),
                         note=escape_md(found_u[0].note)))
            tables.table(urgings_frame(found_u, cache.all_units().names()), f"催办记录_{item.item_id}",
                         key="al_item_urgings", columns=["urged_at", "urged_by", "urge_note"])
        else:
            st.caption(t("alerts.no_urgings"))
        urge_form(board, item, p)


def urge_form(board: AlertBoard, item: LightItem, p: Principal) -> None:
    """催办 of a red item by a leader or the administrator, with a note."""
    if not p.can_edit_tasks:
        st.caption(t("alerts.urge_not_allowed"))
        return
    if item.light != RED:
        st.caption(t("alerts.urge_only_red"))
        return
    with st.form(f"al_urge_{item.kind}_{item.item_id}", border=True, clear_on_submit=True):
        st.markdown(f"**{t('alerts.urge_header')}**")
        note = st.text_area(t("alerts.urge_note"), key="al_urge_note", max_chars=urgings.MAX_NOTE,
                            help=t("alerts.urge_note_help"))
        if st.form_submit_button(t("alerts.urge_submit"), type="primary", icon=":material/campaign:"):
            try:
                with cache.database().session() as session:
                    urge(session, p, board, item.kind, item.item_id, note)
            except urgings.UrgingError as err:
                st.error(str(err), icon=":material/error:")
            else:
                st.session_state["al_urged"] = t("alerts.urge_done", n=item.urgings + 1, dept=item.dept_name)
                st.rerun()
