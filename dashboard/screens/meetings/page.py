"""联席会议 (administrator, leader): record a joint meeting — date, convener, attending member
units, the period reviewed — with the deck as presented kept beside it and its decisions
(议定事项) made rectification tasks; the list of meetings with their decisions and today's
lights; and the next meeting's deck, which opens with the previous meeting's decisions."""

import streamlit as st

from dashboard.kit import lights
from dashboard.kit.page import page
from dashboard.labels import t
from dashboard.screens.meetings import sections

ctx = page("meetings")
st.title(t("meetings.page_title"))
st.caption(t("meetings.intro"))
board = lights.board()
lights.judged_caption(board.today)
if "mt_saved" in st.session_state:
    st.success(st.session_state.pop("mt_saved"), icon=":material/task_alt:")

sections.meeting_list(board)
sections.next_deck(ctx.request, ctx.filters.label)
sections.record_form(ctx.principal, ctx.request)
