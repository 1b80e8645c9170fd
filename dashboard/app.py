"""Entry file: page config and the navigation for the signed-in principal (with the shared
sidebar); then the chosen page script (``screens/<page>/page.py``) runs.  Without a
signed-in principal only the sign-in page exists."""

import streamlit as st

from dashboard import navigation
from dashboard.kit import auth
from dashboard.kit.sidebar import sidebar
from dashboard.labels import t

st.set_page_config(page_title=t("app.title"), page_icon="app/static/favicon.svg", layout="wide")
user = auth.current()
if user is None:
    page = st.navigation([navigation.login_page()], position="hidden")
else:
    page = st.navigation(navigation.build(user, refused=auth.refusal), position="sidebar", expanded=True)
    sidebar(user)
page.run()
