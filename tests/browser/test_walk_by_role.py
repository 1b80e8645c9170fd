"""The walk (issue 13): signed in as `serve` runs it, each role — 领导, 管理员, 部门用户, a
street's user (a 部门用户 of a street) and 展示 — opens every page of its navigation on the
default period and on a period beyond the data (2026年第四季度; the demo ends 2026-10-30),
and every page is looked at for what a leader must never see:

- not drawn: an exception block or an error alert;
- English: any Latin word left in the page text (sidebar included), the table cells and the
  chart texts once Material icon names are taken out, but for the few words the interface
  uses on purpose (:data:`ALLOWED_WORDS`), and the English error text of
  :data:`tests.fixtures.browser.ENGLISH_ERRORS` (None, nan, untranslated prompts…);
- a code where a name belongs: a department or street code (JH0xx) or a period key (2026H1)
  in the page text, a table cell or a chart text (codes stay in the downloads);
- an uncoloured change: a card's change against 上期 (and its 同比 under it) that is not
  green or red as its indicator's direction says (grey only for 持平 or an indicator with no
  better way); on the period beyond the data every change is grey (part of a period against
  a whole one is neither better nor worse);
- a card whose label is cut (an ellipsis where the indicator's name should be read whole);
- a figure contradicting its table: 负面清单落实's departments on all three channels against
  the table of departments not on all channels, 案例线索's 线索数 against its chart's total,
  督查督办台账's key cases against its overdue key cases and its ledger's rows;
- on the period beyond the data: 数据不完整 said on every page the period applies to, and no
  score and no weak link anywhere.

Findings are collected over the whole walk and reported together; screenshots of every page
go to ``test-artifacts/screenshots/walk_<user>_<page>_<period>.png``, and the overview at
phone width (390 px) and the overview and 汇报模式 at 1920×1080 for the projector.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import create_engine, text

from cli.server import start_server, stop_server
from dashboard.kit.indicator_text import config
from dashboard.labels import t
from dashboard.navigation import available
from data import accounts
from data.accounts import ADMIN, DEPT_USER, DISPLAY, LEADER
from data.db import Database
from data.schema import CONTRACT
from tests.fixtures.browser import ENGLISH_ERRORS, SHOTS, grid, open_drawn, shot, wait_ready

pytestmark = pytest.mark.browser

USERS = {  # name: (password, role, unit)
    "lingdao": ("Zt5-Maple-Court", LEADER, None),
    "guanli": ("Qm4-Delta-River", ADMIN, None),
    "wenlv": ("Kx7-Harbour-Lane", DEPT_USER, "JH010"),
    "jiangnan": ("Rw3-Cedar-Wharf", DEPT_USER, "JH017"),
    "zhanshi": ("Pd2-Screen-Hall", DISPLAY, None),
}
BEYOND = "2026Q4"  # 2026-10-01 to 2026-12-31: the demo's data end on 2026-10-30
ALLOWED_WORDS = frozenset({
    "CSV", "Excel", "PDF", "PPTX",  # the download formats, as office users call them
    "PageUp", "PageDown", "Esc",  # the keys a presenter presses (汇报模式: next, previous, leave the show)
    "Benjamini", "Hochberg",  # the name of the multiple-testing correction (隐性壁垒筛查's 口径)
    "market", "access", "import",  # the command an administrator runs (数据导入)
})
TEST_DATA = ("tests",)  # the name the test databases' import is recorded under (操作日志)
"""Latin words the interface uses on purpose; single letters (credit grades A–D, p and q
values) are not words."""
WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2,}(?![A-Za-z0-9])")  # not part of an id (JH2026…, XS…, 9144…MA4U…)
URL = re.compile(r"https?://\S+")  # a publication's address (负面清单公开记录) is data, not text
FILE_NAME = re.compile(r"[\w/.-]+\.(?:csv|xlsx|toml)\b", re.IGNORECASE)  # files an administrator names
CODED = re.compile(r"\b(?=[0-9A-Z-]*\d)[0-9A-Z]+(?:-[0-9A-Z]+)+\b")  # an item code: 440704-XK-0101-01
PERIOD_KEY = re.compile(r"\b20\d\d(?:Q[1-4]|H[12])\b")
GREY_TOLERANCE = 40  # |red − green| of a neutral (grey) colour; Streamlit's green and red differ by > 70
SCORED_PAGES = ("overview", "scorecard", "weak_links")  # the pages that show scores and weak links
LIVE_PAGES = ("tasks", "ledger")  # live work, judged at today whatever the period: the page must say so
SECOND_UNIT = "jiangnan"  # a street's user: the 部门用户 role again, walked on the default period only

PAGE_TEXTS = """() => {
  const icons = new Set([...document.querySelectorAll('span, i, div')].filter(e => !e.childElementCount
      && getComputedStyle(e).fontFamily.includes('Material')).map(e => e.textContent.trim()).filter(Boolean));
  icons.add('Skip to main content');  // Streamlit's skip link: its ::after says it in Chinese (checked below)
  const skip = document.querySelector("[data-testid='stSkipToContent']");
  const tables = [...document.querySelectorAll("[data-testid='stDataFrame'] table")].map(t => t.innerText);
  const charts = [...document.querySelectorAll('.js-plotly-plot')].map(gd => [...gd.querySelectorAll('text')]
      .map(e => e.textContent).join('\\n'));
  const modebar = [...document.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title') || '');
  return {body: document.body.innerText, icons: [...icons], tables, charts, modebar,
          skip: skip ? getComputedStyle(skip, '::after').content : null,
          period: document.querySelector("[data-testid='stMain']").innerText.includes('DATA_END')};
}"""
METRICS = """() => [...document.querySelectorAll("[data-testid='stMetric']")].map(m => {
  const delta = m.querySelector("[data-testid='stMetricDelta']");
  const column = m.closest("[data-testid='stColumn']");
  const caption = column ? [...column.querySelectorAll("[data-testid='stCaptionContainer']")]
      .find(c => c.innerText.startsWith('同比')) : null;
  const coloured = caption ? caption.querySelector("span[class*='ColoredText'], span[style*='color']") : null;
  const label = m.querySelector("[data-testid='stMetricLabel']");
  return {label: label.innerText.trim(),
          cut: [label, ...label.querySelectorAll("*")].some(e => e.scrollWidth > e.clientWidth + 1),
          value: m.querySelector("[data-testid='stMetricValue']").innerText.trim(),
          delta: delta ? delta.innerText.trim() : null, colour: delta ? getComputedStyle(delta).color : null,
          yoy: caption ? caption.innerText.trim() : null,
          yoy_colour: coloured ? getComputedStyle(coloured).color : (caption ? getComputedStyle(caption).color : null)};
})"""
CHART_TOTAL = """key => { const gd = document.querySelector('.st-key-' + key + ' .js-plotly-plot');
  if (!gd) return null;
  const totals = gd.data.find(d => d.mode === 'text');
  return totals.text.reduce((s, v) => s + Number(v), 0); }"""
HEATMAP_NUMBERS = """() => { const gd = document.querySelector('.st-key-sc_heatmap .js-plotly-plot');
  return gd ? gd.data[0].z.flat().filter(v => v !== null && v !== undefined).length : null; }"""  # score cells only


@dataclass
class Walk:
    """The findings and figures of one account's walk."""

    user: str
    findings: list[str] = field(default_factory=list)
    pages: int = 0
    metrics: int = 0
    coloured: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, where: str, what: str) -> None:
        self.findings.append(f"{where}: {what}")


@pytest.fixture(scope="module")
def walk_server(_demo_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, re.Pattern[str]]]:
    """(base URL, the pattern of the units' codes) of the dashboard with sign-in, on a demo
    database with an account of each role."""
    from tests.fixtures.databases import copy_of

    with copy_of(_demo_template, tmp_path_factory.mktemp("walk")) as url:
        db = Database(url)
        with db.session() as s:
            for name, (password, role, unit) in USERS.items():
                accounts.add_user(s, name, password, role, dept=unit, display_name=f"{name}用户")
        db.dispose()
        eng = create_engine(url)
        with eng.connect() as c:
            codes = sorted(str(r[0]) for r in c.execute(text("select dept_code from departments")))
        eng.dispose()
        unit_code = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(map(re.escape, codes)) + r")(?!\d)")
        proc, base = start_server(url, demo=False)
        try:
            yield base, unit_code
        finally:
            stop_server(proc)


def _sign_in(page: Page, base: str, user: str) -> None:
    page.goto(base)
    wait_ready(page)
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(USERS[user][0])
    page.get_by_role("button", name="登录").click()
    page.wait_for_function("() => !location.pathname.startsWith('/_auth') && document.querySelector("
                           "\"[data-testid='stSidebarNav']\")", timeout=60_000)
    wait_ready(page)


def _open(page: Page, url: str) -> None:
    """Open ``url`` (a fresh session, in the context's viewport) and wait until its tables
    and charts are drawn."""
    open_drawn(page, url, height=None)


def _tone(colour: str | None) -> str:
    """green, red or grey of a CSS ``rgb(r, g, b)`` colour."""
    r, g, _ = (int(v) for v in re.findall(r"\d+", colour or "")[:3]) if colour else (0, 0, 0)
    if g - r > GREY_TOLERANCE:
        return "green"
    if r - g > GREY_TOLERANCE:
        return "red"
    return "grey"


def _expected(label: str, delta: str) -> str:
    """The colour a change ``delta`` of the indicator named ``label`` must have."""
    if delta.startswith("持平"):
        return "grey"
    ind = next((i for i in config().indicators.values() if i.name == label), None)
    polarity = ind.polarity if ind is not None else "?"
    if polarity == "none":
        return "grey"
    rose = delta.lstrip("↑↓ ").startswith("+")
    if polarity == "?":
        return "green or red"
    return "green" if rose == (polarity == "up") else "red"


def _look_at_texts(page: Page, walk: Walk, where: str, unit_code: re.Pattern[str]) -> dict[str, object]:
    got = page.evaluate(PAGE_TEXTS.replace("DATA_END", "数据截至"))
    seen = "\n".join([got["body"], *got["tables"], *got["charts"], *got["modebar"]])
    # icon names; the accounts' login names and the test data's own names; for the administrator, the
    # indicators' codes of the 指标编码 column 指标设置 edits by (beside each name) and the tables' ids a
    # file or sheet may be named by (数据导入: “service_items”, .csv)
    admin = (*config().indicators, *CONTRACT, ".csv") if walk.user == "guanli" else ()
    own = {*got["icons"], *USERS, *TEST_DATA, *admin}
    for term in sorted(own, key=len, reverse=True):
        seen = seen.replace(term, " ")
    seen = CODED.sub(" ", URL.sub(" ", FILE_NAME.sub(" ", seen)))
    words = {w for w in WORD.findall(seen) if w not in ALLOWED_WORDS}
    if words:
        walk.add(where, f"English words {sorted(words)[:12]}")
    error = ENGLISH_ERRORS.search(re.sub(r"[a-z_]+", " ", seen))
    if error:
        walk.add(where, f"English error text {error.group(0)!r}")
    if got["skip"] is not None and "跳到主要内容" not in str(got["skip"]):
        walk.add(where, "the skip link says 'Skip to main content'")
    for name, content in (("text", got["body"]), ("table", "\n".join(got["tables"])), ("chart", "\n".join(got["charts"]))):
        codes = sorted(set(unit_code.findall(content)))
        if codes:
            walk.add(where, f"unit codes in the {name}: {codes[:6]}")
        keys = sorted(set(PERIOD_KEY.findall(content)))
        if keys:
            walk.add(where, f"period keys in the {name}: {keys[:6]}")
    return got


def _look_at_changes(page: Page, walk: Walk, where: str, partial: bool) -> list[dict[str, str | None]]:
    """Each card's changes are coloured by its indicator's direction; on a period beyond the
    data (``partial``: part of a period against a whole one) they are all uncoloured."""
    cards = page.evaluate(METRICS)
    for card in cards:
        walk.metrics += 1
        if card["cut"]:
            walk.add(where, f"the card label {card['label']} is cut")
        for kind, delta, colour in (("上期", card["delta"], card["colour"]), ("同比", card["yoy"], card["yoy_colour"])):
            if not delta or "无可比数据" in delta:
                continue
            change = delta.removeprefix("同比").strip()
            wanted, got = "grey" if partial else _expected(card["label"], change), _tone(colour)
            walk.coloured += got != "grey"
            if got not in wanted.split(" or "):
                walk.add(where, f"{card['label']} {kind} {change} is {got}, not {wanted}")
    return cards


def _number(value: str) -> float:
    return float(re.sub(r"[^\d.\-]", "", value.split("/")[0]) or "nan")


def _card(cards: list[dict[str, str | None]], label: str) -> dict[str, str | None] | None:
    return next((c for c in cards if c["label"] == label), None)


def _look_at_figures(page: Page, walk: Walk, where: str, name: str, cards: list[dict[str, str | None]],
                     district_view: bool) -> None:
    """A figure against the table or chart under it."""
    if name == "negative_list" and district_view:
        card = _card(cards, t("negative_list.all_channels_depts"))
        if card is None:
            walk.add(where, "no card of the departments on all channels")
            return
        full, total = (int(v) for v in re.findall(r"\d+", str(card["value"]))[:2])
        if page.get_by_text(t("negative_list.channel_gaps_none")).count():
            gaps = 0
        else:
            _, rows = grid(page, t("columns.nl_missing_channels"))
            gaps = len(rows)
        if total - full != gaps:
            walk.add(where, f"{full} / {total} departments on all channels beside {gaps} departments that are not")
    if name == "cases":
        card = _card(cards, config().indicators["case_count"].name)
        chart = page.evaluate(CHART_TOTAL, "cs_received")
        if card is not None and _number(str(card["value"])) != (chart or 0):
            walk.add(where, f"线索数 {card['value']} beside a chart totalling {chart}")
    if name == "ledger":
        key_cases = _card(cards, t("ledger.kpi_total"))
        overdue = _card(cards, config().indicators["key_overdue_count"].name)
        if key_cases is None or overdue is None:
            walk.add(where, "no key case or overdue key case card")
            return
        if _number(str(overdue["value"])) > _number(str(key_cases["value"])):
            walk.add(where, f"{key_cases['value']} key cases beside {overdue['value']} overdue key cases")
        if _number(str(key_cases["value"])) == 0 and not page.get_by_text(t("ledger.ledger_empty")).count():
            walk.add(where, "0 key cases above a ledger that is not empty")


def _look_beyond(page: Page, walk: Walk, where: str, name: str) -> None:
    main = str(page.locator("[data-testid='stMain']").inner_text())
    if "数据不完整" not in main:
        walk.add(where, "a period beyond the data without 数据不完整")
    if f"period={BEYOND}" not in page.url:  # the filter bar writes the period it chose back to the link
        walk.add(where, f"the link's period {BEYOND} is not the one chosen: {page.url}")
    if name in SCORED_PAGES and "不评分、不生成短板" not in main:
        walk.add(where, "a period beyond the data without 不评分、不生成短板")
    if page.get_by_role("columnheader", name="严重程度").count():
        walk.add(where, "weak links listed for a period beyond the data")
    if name == "scorecard" and (numbers := page.evaluate(HEATMAP_NUMBERS)):
        walk.add(where, f"{numbers} scores drawn in the heatmap of a period beyond the data")


def _walk(browser: Browser, base: str, unit_code: re.Pattern[str], user: str) -> Walk:
    walk = Walk(user)
    role, unit = USERS[user][1], USERS[user][2]
    ctx = browser.new_context(viewport={"width": 1440, "height": 2000}, locale="zh-CN")
    page = ctx.new_page()
    try:
        _sign_in(page, base, user)
        for i, spec in enumerate(available(role=role)):
            path = "/" if i == 0 else f"/{spec.url_path}"
            for beyond in (False, True) if user != SECOND_UNIT else (False,):
                where = f"{user} {path}{' ' + BEYOND if beyond else ''}"
                _open(page, base + path + (f"?period={BEYOND}" if beyond else ""))
                walk.pages += 1
                if not beyond or i == 0 or spec.page in SCORED_PAGES:
                    shot(page, f"walk_{user}_{spec.page}_{'beyond' if beyond else 'default'}")
                if page.locator("[data-testid='stException']").count():
                    walk.add(where, "an exception block")
                if page.locator("[data-testid='stAlertContentError']").count():
                    walk.add(where, "an error alert")
                got = _look_at_texts(page, walk, where, unit_code)
                cards = _look_at_changes(page, walk, where, partial=beyond)
                _look_at_figures(page, walk, where, spec.page, cards, district_view=unit is None)
                if spec.page in LIVE_PAGES and "状态按今天" not in str(got["body"]):
                    walk.add(where, "live work that does not say it is judged at today")
                if beyond:
                    _look_beyond(page, walk, where, spec.page)
                elif not got["period"]:  # no 数据截至: the page shows no period's data (administration)
                    break  # one look is enough
    finally:
        ctx.close()
    print(f"\n{user}: {walk.pages} page views, {walk.metrics} cards ({walk.coloured} coloured changes), "
          f"{time.monotonic() - walk.started:.0f} s; {len(walk.findings)} findings", *walk.findings, sep="\n", flush=True)
    return walk


@pytest.mark.parametrize("user", list(USERS))
def test_walk_every_page_as_each_role(walk_server: tuple[str, re.Pattern[str]], browser: Browser, user: str) -> None:
    base, unit_code = walk_server
    walk = _walk(browser, base, unit_code, user)
    pages = len(available(role=USERS[user][1]))
    assert walk.pages >= (pages if user == SECOND_UNIT else pages + 10)  # most pages on both periods
    assert walk.coloured > 0  # the demo's changes: some are drawn in colour, so the colour check can fail
    assert walk.findings == [], "\n".join(walk.findings)


def test_phone_and_projector_views(walk_server: tuple[str, re.Pattern[str]], browser: Browser) -> None:
    """The overview at phone width (390 px) has no sideways scrolling; the overview and
    汇报模式 at 1920×1080, as a projector shows them (the 展示 account)."""
    base, _ = walk_server
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = ctx.new_page()
    try:
        _sign_in(page, base, "zhanshi")
        _open(page, base + "/")
        shot(page, "walk_projector_overview")
        _open(page, base + "/present")
        page.screenshot(path=str(SHOTS / "walk_projector_present.png"))  # the screen as projected
        page.set_viewport_size({"width": 390, "height": 844})
        _open(page, base + "/")
        widths = page.evaluate("() => [document.documentElement.scrollWidth, "
                               "document.querySelector(\"[data-testid='stMain']\").scrollWidth, window.innerWidth]")
        shot(page, "walk_phone_overview")
    finally:
        ctx.close()
    assert max(widths[:2]) <= widths[2], f"sideways scrolling at 390 px: {widths}"
