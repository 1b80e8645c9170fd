"""Performance benchmarks (see docs/performance.md); a package so that tests can reuse their
synthetic data (``benchmarks.bench_metrics.synthetic_tables``) from the repository root."""
