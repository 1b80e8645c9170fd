"""指标设置's early-warning sections (administrator): the light thresholds, validated as a
whole and audited (:func:`metrics.alert_settings.save_overrides`), and the reminder contacts
per department (:mod:`data.contacts`), whose secrets are stored but never shown again."""

from __future__ import annotations

from dataclasses import fields

import pandas as pd
import streamlit as st

from dashboard.kit import cache, tables
from dashboard.labels import t
from data import contacts as store
from data import settings as settings_store
from data.accounts import Principal
from metrics.alert_settings import (
    SETTINGS_KEY,
    AlertSettingsError,
    LightRules,
    current_settings,
    save_overrides,
)

NEW = 0


def thresholds(p: Principal) -> None:
    """The five working-day thresholds of the lights."""
    st.subheader(t("alert_settings.header"))
    st.caption(t("alert_settings.intro"))
    with cache.database().session() as session:
        rules = current_settings(session).lights
        overrides = settings_store.get(session, SETTINGS_KEY) or {}
    with st.form("alert_thresholds", border=True):
        cols = st.columns(len(fields(LightRules)))
        values = {f.name: int(c.number_input(t(f"alert_settings.{f.name}"), 0, 60, int(getattr(rules, f.name)),
                                             step=1, key=f"al_set_{f.name}"))
                  for c, f in zip(cols, fields(LightRules), strict=True)}
        if not st.form_submit_button(t("alert_settings.save"), type="primary"):
            return
    try:
        with cache.database().session() as session:
            save_overrides(session, p, {**overrides, "lights": values})
    except AlertSettingsError as err:
        st.error(str(err), icon=":material/error:")
    else:
        st.success(t("alert_settings.saved"), icon=":material/check_circle:")


def _contacts_frame(found: list[store.Contact], names: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({
        "contact_name": [c.name for c in found],
        "contact_dept": [names.get(c.dept_code, c.dept_code) if c.dept_code else t("alert_settings.contact_leader")
                         for c in found],
        "contact_email": [c.email for c in found],
        "contact_channels": ["、".join(store.CHANNEL_NAMES[x] for x in c.channels) for c in found],
        "active": [c.active for c in found],
    })


def _contact_form(p: Principal, current: store.Contact | None, names: dict[str, str]) -> None:
    key = f"ct_{current.id if current and current.id else NEW}"
    depts = ["", *names]
    with st.form(key, border=True):
        c = st.columns(3)
        name = c[0].text_input(t("alert_settings.contact_name"), value=current.name if current else "", max_chars=64)
        dept = c[1].selectbox(t("alert_settings.contact_dept"), depts,
                              index=depts.index(current.dept_code or "") if current else 0,
                              format_func=lambda code: names.get(code, code) if code
                              else t("alert_settings.contact_leader"))
        email = c[2].text_input(t("alert_settings.contact_email"), value=(current.email or "") if current else "")
        w = st.columns(2)
        wecom = w[0].text_input(t("alert_settings.contact_wecom"), value=(current.wecom_url or "") if current else "")
        feishu = w[1].text_input(t("alert_settings.contact_feishu"),
                                 value=(current.feishu_url or "") if current else "")
        d = st.columns(2)
        dingtalk = d[0].text_input(t("alert_settings.contact_dingtalk"),
                                   value=(current.dingtalk_url or "") if current else "")
        keep = t("alert_settings.contact_secret_keep") if current else None
        ding_secret = d[1].text_input(t("alert_settings.contact_dingtalk_secret"), type="password", help=keep)
        s = st.columns([1, 1])
        feishu_secret = s[0].text_input(t("alert_settings.contact_feishu_secret"), type="password", help=keep)
        active = s[1].checkbox(t("alert_settings.contact_active"), value=current.active if current else True)
        b = st.columns([1, 1, 4])
        save = b[0].form_submit_button(t("alert_settings.contact_save"), type="primary")
        remove = b[1].form_submit_button(t("alert_settings.contact_delete")) if current else False
    if not (save or remove):
        return
    try:
        with cache.database().session() as session:
            if remove and current is not None and current.id is not None:
                store.delete_contact(session, p, current.id)
                message = t("alert_settings.contact_deleted")
            else:
                new = store.Contact(
                    name=name, dept_code=dept or None, email=email, wecom_url=wecom, dingtalk_url=dingtalk,
                    dingtalk_secret=ding_secret or (current.dingtalk_secret if current and dingtalk else None),
                    feishu_url=feishu,
                    feishu_secret=feishu_secret or (current.feishu_secret if current and feishu else None),
                    active=active)
                if current is None or current.id is None:
                    store.add_contact(session, p, new)
                else:
                    store.update_contact(session, p, current.id, new)
                message = t("alert_settings.contact_saved")
    except store.ContactError as err:
        st.error(str(err), icon=":material/error:")
        return
    st.session_state["ct_done"] = message
    st.rerun()


def contacts(p: Principal) -> None:
    """The reminder contacts: the list (no secrets), a form to add one, and one to change or delete."""
    st.subheader(t("alert_settings.contacts_header"))
    st.caption(t("alert_settings.contacts_intro"))
    if "ct_done" in st.session_state:
        st.success(st.session_state.pop("ct_done"), icon=":material/check_circle:")
    names = cache.all_units().names()
    with cache.database().session() as session:
        found = store.list_contacts(session)
    if found:
        tables.table(_contacts_frame(found, names), "提醒联系人", key="ct_list")
    else:
        tables.empty(t("alert_settings.contacts_empty"))
    by_id = {c.id: c for c in found if c.id is not None}
    pick = st.selectbox(t("alert_settings.contact_pick"), [NEW, *by_id], key="ct_pick",
                        format_func=lambda i: t("alert_settings.contact_new") if i == NEW else
                        f"{by_id[i].name}（{names.get(by_id[i].dept_code or '', t('alert_settings.contact_leader'))}）")
    _contact_form(p, by_id.get(pick), names)
