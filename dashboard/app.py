"""Entry file: page config, the navigation, the shared sidebar; then the chosen page runs."""

import streamlit as st

from dashboard import navigation, shell
from dashboard.labels import t

st.set_page_config(page_title=t("app.title"), page_icon=":material/account_balance:", layout="wide")
page = st.navigation(navigation.build(), position="sidebar", expanded=True)
shell.sidebar()
page.run()
