"""Running the dashboard's pages once after an import, so that their first users read them.

:mod:`dashboard.kit.warm_up` computes every period's district figures.  What the pages then
make of them is computed on a page's first run: its views (records behind, item and street
tables, trends, the screen), its charts and tables as drawn, the meeting deck.  Under a
joint meeting's load those first runs are most of the work (1M applications, 60 sessions on
a new store: about 1,400 views, 1,400 figures and 65 decks in the first minute).

This module runs every page about a period, as the district's leader sees it, for each
selection of :func:`dashboard.kit.warm_up.page_plan`: the page's own code, so the results
(and their keys) are exactly those a user's run asks for, and they go into the results
store through the same wrappers.  It runs in a child process of the warming server,
because Streamlit's headless runner (``AppTest``) takes over the process's runtime while a
script runs.  The child runs at low priority (``nice`` 10: users' runs come first) and stops
when its parent ends or the data or settings change.  It reads the database and writes
only the results folder.  With two cores or more, two children share the plan (every other
selection each): at 1M applications one child took 909 s, most of it one core's work.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from dashboard.kit import results_store, served_data, warm_up
from dashboard.kit.connection import DEMO_ENV
from dashboard.navigation import PAGES, script
from data.accounts import LEADER
from data.db import ENV_VAR

JOB = "pages"
ENV = "MARKET_ACCESS_WARM_PAGES"  # "0": warm the district figures only, never run the pages
NICE = 10
CHILDREN = max(1, min(2, os.cpu_count() or 1))
"""How many children share a plan: a core each, at low priority (users' runs come first)."""
RUN_SECONDS = 600  # one page run's limit (10M applications, a cold view)
APP = Path(__file__).resolve().parents[1] / "app.py"
_LOG = logging.getLogger(__name__)

Plan = Sequence[tuple[str, str | None]]


def period_pages() -> list[str]:
    """The pages about a period that the district's leader opens, the start page first."""
    return [p.page for p in PAGES if p.period and LEADER in p.roles]


def spawn(url: str, where: Path, plan: Plan) -> bool:
    """Start the children that run the pages for ``plan`` into ``where`` (:data:`CHILDREN`,
    each every n-th selection), unless ``$MARKET_ACCESS_WARM_PAGES`` is 0 or the folder's page
    warm-up is claimed; True when started.  The last child to finish marks the job done."""
    if not plan or os.environ.get(ENV) == "0" or not results_store.claim(where, JOB):
        return False
    env = {**os.environ, ENV_VAR: url, DEMO_ENV: "1", warm_up.ENV: "0"}  # a child never warms by itself
    n = min(CHILDREN, len(plan))
    for share in range(n):
        child = subprocess.Popen(
            [sys.executable, "-m", __name__, "--folder", str(where), "--parent", str(os.getpid()),
             "--share", str(share), "--of", str(n)],
            stdin=subprocess.PIPE, env=env, close_fds=True, start_new_session=True)
        assert child.stdin is not None
        with child.stdin:
            child.stdin.write(json.dumps([list(s) for s in plan[share::n]]).encode())
    return True


def warm(plan: Plan, pages: Sequence[str], wanted: Callable[[], bool]) -> int:
    """Run each of ``pages`` for each selection of ``plan`` (the database and store of this
    process's settings), while ``wanted()``; the number of page runs.  A page that fails is
    logged and the rest go on: a cache warming, not a check."""
    from streamlit.testing.v1 import AppTest

    runs = 0
    for period, dept in plan:
        if not wanted():
            break
        app = AppTest.from_file(str(APP), default_timeout=RUN_SECONDS)
        app.session_state["demo_role"] = LEADER
        app.query_params["period"] = period
        if dept is not None:
            app.query_params["dept"] = dept
        for i, page in enumerate(pages):
            if i and not wanted():
                break
            try:
                if i:  # the first run opens the start page, with the selection from the query
                    app.switch_page(script(page))
                app.run()
            except Exception:
                _LOG.exception("warming page %s for %s %s", page, period, dept or "全区")
                continue
            runs += 1
            for e in app.exception:
                _LOG.warning("page %s for %s %s: %s", page, period, dept or "全区", e.value)
    return runs


def _wanted(where: Path, parent: int) -> Callable[[], bool]:
    def wanted() -> bool:
        return os.getppid() == parent and where.is_dir() and served_data.current_folder() == where
    return wanted


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="run the dashboard's pages once into a results folder")
    ap.add_argument("--folder", type=Path, required=True)
    ap.add_argument("--parent", type=int, required=True, help="stop when this process ends")
    ap.add_argument("--share", type=int, default=0, help="this child's share of the plan")
    ap.add_argument("--of", type=int, default=1, help="how many children share it")
    args = ap.parse_args(argv)
    os.nice(NICE)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    for noisy in ("streamlit", "tornado", "alembic"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    plan = [(str(period), dept) for period, dept in json.load(sys.stdin)]
    t0 = time.monotonic()
    runs = warm(plan, period_pages(), _wanted(args.folder, args.parent))
    results_store.finish(args.folder, f"{JOB}-{args.share}")
    if all(results_store.finished(args.folder, f"{JOB}-{i}") for i in range(args.of)):
        results_store.finish(args.folder, JOB)
    _LOG.info("page warm-up %d/%d: %d page runs for %d selections in %.0f s", args.share + 1, args.of, runs,
              len(plan), time.monotonic() - t0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
