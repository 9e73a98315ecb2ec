"""Benchmarks: `python -m tools.bench extraction` (see README "Benchmarks")."""
