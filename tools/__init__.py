"""The workshop: benchmarks, the embedded MongoDB-compatible server, the demo. Run from the repository
root (`python -m tools.bench extraction`); not part of the installed package."""
