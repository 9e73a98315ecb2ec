"""Where the workshop finds things: the one place a repository root is worked out.

The installed package never computes a root; the tools run from a checkout (`python -m tools...`
from its root) and find bin/, samples/, tests/fixtures/, var/ and bench-results/ under ROOT, and the
development pages in SHARED (../shared beside the checkout, or $NEWSCRAWL_SHARED)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSCRAWL_SHARED") or ROOT.parent / "shared")
BENCH_RESULTS = ROOT / "bench-results"
