"""Benchmarks: `python -m tools.bench extraction` (see docs/benchmarks.md)."""
