"""Page-shaped breakdowns: pure functions ``fn(engine, ...)`` that the dashboard pages (and
the deck) render.  Each module serves one page; none of them writes SQL or imports Streamlit."""
