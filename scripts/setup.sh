#!/usr/bin/env bash
# Set up PayAtlas in ./.venv (idempotent). Usage: scripts/setup.sh [--dev]
# --dev also installs the test tools and Debian's chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.payatlas-installed
want="$(cat pyproject.toml | sha256sum | cut -c1-16)${1:-}"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  if [ "${1:-}" = "--dev" ]; then
    .venv/bin/python -m pip install -q -e ".[dev]"
  else
    .venv/bin/python -m pip install -q -e .
  fi
  echo "$want" > "$stamp"
fi
if [ "${1:-}" = "--dev" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "installing chromium (Debian package) for the browser tests..."
    (apt-get update -q && apt-get install -y -q chromium) >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    (sudo apt-get update -q && sudo apt-get install -y -q chromium) >/dev/null
  else
    echo "warning: chromium is missing and cannot be installed without root" >&2
  fi
fi
# axe-core (package.json, pinned in package-lock.json) for the dashboard accessibility test
if [ "${1:-}" = "--dev" ] && [ ! -f node_modules/axe-core/axe.min.js ]; then
  if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "installing npm (Debian package) for the accessibility test..."
    (apt-get update -q && apt-get install -y -q npm) >/dev/null
  fi
  if command -v npm >/dev/null 2>&1; then
    npm ci --no-audit --no-fund >/dev/null || npm install --no-audit --no-fund >/dev/null
  else
    echo "warning: npm is missing: the accessibility test (axe-core) will fail" >&2
  fi
fi
