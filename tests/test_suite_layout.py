"""The suite itself: pytest's default import mode keys test modules by basename."""

from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).parent


def test_no_two_test_modules_share_a_basename():
    # Two tests/*/test_x.py without packages make pytest abort collection
    # ("import file mismatch"), failing the whole run, not one test.
    seen = defaultdict(list)
    for path in TESTS.rglob("test_*.py"):
        seen[path.name].append(str(path.relative_to(TESTS)))
    clashes = {name: paths for name, paths in seen.items() if len(paths) > 1}
    assert not clashes, clashes
