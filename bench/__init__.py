"""Benchmarks: `.venv/bin/python bench/run.py <benchmark>`; results go to bench/RESULTS.md."""
