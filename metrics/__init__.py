"""The indicator engine: every indicator, score and weak link of indicators.md."""
