"""Benchmark of the joint meeting's deck (issue 7: a quarter of the demo data in < 30 s).

Writes the demo data (scale 1 unless ``--scale``), imports it into a temporary SQLite
database (or uses ``--db URL``), then times, for one quarter, what ``market-access report``
does: loading the frames and building the engine, building the slide model, drawing the
charts (kaleido on Chromium), writing the PPTX and the PDF.  Prints each step and the total.

Usage::

    python -m benchmarks.bench_report                       # demo data, 2026Q3
    python -m benchmarks.bench_report --db URL --from 2026-07-01 --to 2026-09-30 [--dept JH009]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from benchmarks.limits import allow_large_demo_files

TARGET_S = 30.0


def _demo_db(tmp: Path, scale: float) -> str:
    from data.db import Database
    from data.demo import write_demo_data
    from data.importer import import_files

    paths = write_demo_data(tmp / "demo", seed=2025, scale=scale)
    url = f"sqlite:///{tmp / 'demo.db'}"
    db = Database(url)
    with db.session() as session:
        report = import_files(session, sorted(paths.values()), user="bench")
    db.dispose()
    if not report.ok:
        raise SystemExit(f"demo import failed: {report.problems[:3]}")
    return url


def main() -> None:
    allow_large_demo_files()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--from", dest="date_from", default="2026-07-01")
    ap.add_argument("--to", dest="date_to", default="2026-09-30")
    ap.add_argument("--dept")
    args = ap.parse_args()

    from data.db import Database
    from data.frames import load_frames
    from metrics.engine import MetricsEngine
    from metrics.results import MetricsRequest
    from report.deck import build_deck
    from report.images import deck_images
    from report.pdf_writer import pdf_bytes
    from report.pptx_writer import pptx_bytes
    from report.tasks import database_source

    with tempfile.TemporaryDirectory() as tmp:
        url = args.db
        if url is None:
            t = time.perf_counter()
            url = _demo_db(Path(tmp), args.scale)
            print(f"demo data (scale {args.scale:g}) written and imported: {time.perf_counter() - t:.1f} s (not timed)")
        request = MetricsRequest(dt.date.fromisoformat(args.date_from), dt.date.fromisoformat(args.date_to))
        steps: list[tuple[str, float]] = []
        t0 = t = time.perf_counter()
        db = Database(url)
        with db.session() as session:
            frames = load_frames(session)
        engine = MetricsEngine(frames)
        steps.append(("load frames + engine", time.perf_counter() - t))
        t = time.perf_counter()
        deck = build_deck(engine, request, args.dept, database_source(db))
        steps.append((f"slide model ({len(deck)} slides)", time.perf_counter() - t))
        t = time.perf_counter()
        images = deck_images(deck)
        steps.append((f"chart images ({len(images)}, kaleido)", time.perf_counter() - t))
        t = time.perf_counter()
        pptx = pptx_bytes(deck, images)
        steps.append((f"PPTX ({len(pptx) // 1024} KB)", time.perf_counter() - t))
        t = time.perf_counter()
        pdf = pdf_bytes(deck, images)
        steps.append((f"PDF ({len(pdf) // 1024} KB)", time.perf_counter() - t))
        total = time.perf_counter() - t0
        db.dispose()
    print(f"deck for {args.date_from} .. {args.date_to} ({'dept ' + args.dept if args.dept else 'district'}), "
          f"{len(frames.applications)} applications")
    for name, secs in steps:
        print(f"  {name:<36} {secs:6.2f} s")
    print(f"  {'total (PPTX and PDF)':<36} {total:6.2f} s   target < {TARGET_S:.0f} s: "
          f"{'OK' if total < TARGET_S else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
