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
# A plain `go install ...@v1.24.2` builds a binary that panics at start ("Invalid
# build/version/version.txt"): the module zip lacks that generated file. So build from the
# module source with the file written, as FerretDB's own build does.
FERRETDB_VERSION=v1.24.2
if ! command -v mongod >/dev/null 2>&1 && [ ! -x bin/ferretdb ] && [ "${NEWSCRAWL_SKIP_SYSTEM:-0}" != 1 ]; then
  command -v go >/dev/null 2>&1 || { echo "setup: Go is needed to build FerretDB" >&2; exit 1; }
  echo "setup: building FerretDB $FERRETDB_VERSION (about a minute the first time)"
  src=$(GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
        "$PY" -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  tmp=$(mktemp -d)
  cp -r "$src" "$tmp/ferretdb" && chmod -R u+w "$tmp/ferretdb"
  echo "$FERRETDB_VERSION" > "$tmp/ferretdb/build/version/version.txt"
  mkdir -p bin
  (cd "$tmp/ferretdb" && GOFLAGS=-mod=mod go build -o "$OLDPWD/bin/ferretdb" ./cmd/ferretdb)
  rm -rf "$tmp"
  bin/ferretdb --version > /dev/null && echo "setup: bin/ferretdb built"
fi

# mongosh (the npm package), for the analysts' queries in docs/ and their tests: into .node/,
# linked as bin/mongosh. Needs Node.js >= 16.15 (Debian: nodejs npm).
MONGOSH_VERSION=2.12.0
if [ ! -x bin/mongosh ] && [ "${NEWSCRAWL_SKIP_SYSTEM:-0}" != 1 ]; then
  if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup: apt-get install nodejs npm"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null
  fi
  if command -v npm >/dev/null 2>&1; then
    echo "setup: installing mongosh $MONGOSH_VERSION (npm, into .node/)"
    npm install --prefix .node --no-audit --no-fund --loglevel=error "mongosh@$MONGOSH_VERSION" >/dev/null
    mkdir -p bin && ln -sf ../.node/node_modules/.bin/mongosh bin/mongosh
  else
    echo "setup: mongosh skipped: install Node.js and npm (apt-get install -y nodejs npm)" >&2
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
  .venv/bin/pip install -q --no-deps -e . 2>/dev/null
  echo "$want" > $stamp
fi
