#!/usr/bin/env bash
# Quickstart 1: set up and run PayAtlas on the embedded store with the bundled data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/payatlas serve "$@"
