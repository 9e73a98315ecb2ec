#!/usr/bin/env bash
# Sets up everything newscrawl and its tests need on a fresh Debian machine: system packages
# (Redis, Chromium), FerretDB (the embedded MongoDB-compatible server), and the Python venv.
# Idempotent: each step is skipped when already done. Set NEWSCRAWL_SKIP_SYSTEM=1 to skip apt/go.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
[ -x "${NEWSCRAWL_CHROMIUM:-/usr/lib/chromium/chromium}" ] || need_apt+=(chromium)
if [ "${NEWSCRAWL_SKIP_SYSTEM:-0}" != 1 ] && [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: apt-get install ${need_apt[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_apt[@]}" >/dev/null
  else
    echo "setup: please install: ${need_apt[*]} (apt-get install -y ${need_apt[*]})" >&2
  fi
fi

# FerretDB 1.24 with its embedded SQLite engine, unless a real mongod is on PATH.
if ! command -v mongod >/dev/null 2>&1 && [ ! -x bin/ferretdb ] && [ "${NEWSCRAWL_SKIP_SYSTEM:-0}" != 1 ]; then
  if command -v ferretdb >/dev/null 2>&1; then
    mkdir -p bin && ln -sf "$(command -v ferretdb)" bin/ferretdb
  else
    command -v go >/dev/null 2>&1 || { echo "setup: Go is needed to build FerretDB" >&2; exit 1; }
    echo "setup: building FerretDB v1.24.2 (go install, a few minutes the first time)"
    mkdir -p bin
    GOBIN="$PWD/bin" GOFLAGS=-mod=mod go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.sha
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat $stamp 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python requirements into .venv"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r requirements.txt
  .venv/bin/pip install -q --no-deps -e .
  echo "$want" > $stamp
fi
