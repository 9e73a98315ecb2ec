#!/usr/bin/env bash
# Runs the test suite. Servers the tests need (FerretDB/mongod, Redis, scrapyd, Chromium) are
# started by the tests' own fixtures on free loopback ports and stopped after.
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest -q -p no:cacheprovider tests "$@"
rc=$?
if [ $rc -eq 5 ]; then echo "no tests collected" >&2; exit 1; fi
exit $rc
