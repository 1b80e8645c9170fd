"""Entry file: page config and the navigation for the signed-in principal (with the shared
sidebar); then the chosen page script (``screens/<page>/page.py``) runs.  Without a
signed-in principal every page's address shows the sign-in form (see
:mod:`dashboard.screens.login.form`), so a shared link opens after sign-in."""

import streamlit as st

from dashboard import navigation
from dashboard.kit import auth
from dashboard.kit.sidebar import sidebar
from dashboard.labels import t
from dashboard.screens.login import form as login_form

st.set_page_config(page_title=t("app.title"), page_icon="app/static/favicon.svg", layout="wide")
# Streamlit's skip link (shown on the first Tab key) says "Skip to main content": say it in
# Chinese; a card's label wraps instead of being cut ("负面清单许可事项…" at 1440 px)
st.html("<style>[data-testid='stSkipToContent']{font-size:0!important}"
        f"[data-testid='stSkipToContent']::after{{content:'{t('app.skip_to_content')}';font-size:1rem}}"
        "[data-testid='stMetricLabel'] :is(div,p){white-space:normal!important;text-overflow:clip!important;"
        "overflow:visible!important}</style>")
user = auth.current()
if user is None:
    # every page's URL shows the sign-in form: a shared link survives sign-in
    page = st.navigation(navigation.signed_out(login_form.render), position="hidden")
else:
    page = st.navigation(navigation.build(user, refused=auth.refusal), position="sidebar", expanded=True)
    sidebar(user, with_filters=navigation.has_period(page.url_path))
page.run()
