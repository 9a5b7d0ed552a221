#!/usr/bin/env bash
# Quickstart 2: set up and run everything CI runs: lint, types, import contracts, all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
echo "== ruff"; .venv/bin/ruff check src tests benchmarks
echo "== ruff format"; .venv/bin/ruff format --check src tests benchmarks
echo "== mypy"; .venv/bin/mypy
echo "== import contracts"; .venv/bin/lint-imports
echo "== pytest"; .venv/bin/pytest "$@"
echo "== schema fuzz"; .venv/bin/python benchmarks/schema_fuzz.py --examples 100
