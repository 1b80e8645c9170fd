"""汇报模式: the period as large slides for the joint meeting — the same slides as the
PowerPoint and PDF files (one slide model, report.slides), one at a time, with 上一页/下一页
(or a presenter's PageUp/PageDown), the slide number in the URL (``slide``) and downloads;
projected (全屏放映, ``show=1``; the 展示 role's default) the slide alone fills the screen
(see :mod:`dashboard.screens.present.projection`)."""

import streamlit as st

from dashboard.kit import cache, deck_files, decks, url_state
from dashboard.kit.escape import escape_md
from dashboard.kit.page import page
from dashboard.labels import t
from dashboard.screens.present import projection, slides
from data import clock
from metrics.results import MetricsRequestError
from report.live import with_live_parts

QP_SLIDE = "slide"

projected = projection.active(cache.principal())
ctx = page("present", with_preamble=not projected)
f, dept, request = ctx.filters, ctx.dept, ctx.request
try:
    deck = decks.deck(request, dept)
except MetricsRequestError as err:
    st.warning(str(err), icon=":material/warning:")
    st.stop()
with cache.database().session() as session:  # open tasks and the last meeting's decisions, as they are now
    deck = with_live_parts(deck, session, clock.today_local(), dept)
total = len(deck)


def _current() -> int:
    try:
        n = int(url_state.get(QP_SLIDE) or "1")
    except ValueError:
        n = 1
    return min(max(n, 1), total)


def _go(step: int) -> None:
    url_state.put(QP_SLIDE, str(min(max(_current() + step, 1), total)))


def _jump() -> None:
    url_state.put(QP_SLIDE, str(st.session_state["pm_jump"]))


n = _current()
url_state.put(QP_SLIDE, str(n))
current = deck.slides[n - 1]

slides.css(projected)
if projected:
    projection.chrome()
    if n > 1:  # the cover's title is its own heading
        st.title(escape_md(current.title))
    slides.slide(current, key=f"pm_{n}", projected=True)
    # what the filter bar and the page's captions would say: scope, street, 数据截至
    end = f.data_end
    data_end = t("trust.data_end", day=f"{end:%Y-%m-%d}") if end else ""
    street = ctx.units.name(f.street) if f.street else ""
    footer = " · ".join(x for x in (deck.footer, street, data_end + (t("trust.incomplete_mark") if f.incomplete else ""))
                        if x)
    projection.controls(ctx.principal, n, total, _go, footer)
    st.stop()

st.title(escape_md(current.title) if n > 1 else t("present.page_title"))
st.caption(f"{escape_md(deck.footer)} · {t('present.counter', n=n, total=total)}")
if dept and n == 1:
    st.info(t("present.dept_report", dept=deck.dept_name), icon=":material/apartment:")
if f.street and n == 1:
    st.info(t("present.street_note", street=ctx.units.name(f.street)), icon=":material/location_on:")

slides.slide(current, key=f"pm_{n}")

nav = st.container(horizontal=True, vertical_alignment="center")
nav.button(t("present.prev"), icon=":material/arrow_back:", on_click=_go, args=(-1,), disabled=n <= 1,
           key="pm_prev", shortcut="PageUp")
nav.button(t("present.next"), icon=":material/arrow_forward:", on_click=_go, args=(1,), disabled=n >= total,
           key="pm_next", shortcut="PageDown", type="primary")
nav.markdown(f"**{t('present.counter', n=n, total=total)}**")
st.session_state["pm_jump"] = n
nav.selectbox(t("present.jump"), list(range(1, total + 1)), key="pm_jump", on_change=_jump,
              format_func=lambda i: f"{i}. {deck.slides[i - 1].title}", label_visibility="collapsed", width=360)
with nav:
    projection.start_button()
st.caption(t("present.keys_hint"))

st.divider()
st.subheader(t("present.downloads"))
deck_files.deck_downloads(deck, key="pm_dl", help=t("present.download_help"),
                          labels={"pptx": t("present.download_pptx"), "pdf": t("present.download_pdf")})
