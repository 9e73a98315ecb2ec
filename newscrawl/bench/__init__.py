"""Benchmarks: `python -m newscrawl.bench extraction` (see README "Benchmarks")."""
