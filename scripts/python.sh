#!/usr/bin/env bash
# Runs the project's Python (the .venv made by scripts/setup.sh) from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh
exec .venv/bin/python "$@"
