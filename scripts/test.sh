#!/usr/bin/env bash
# Every test of the project (the README's test command and what CI runs):
# type check, eslint (with Pulumi's rules), jest (program under mocks per stack, policies, workflows + actionlint),
# ruff, pytest (ml/ pipeline, and the SQL checks of test/sql).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "==> tsc --noEmit"
npx tsc --noEmit -p .
echo "==> eslint"
npx eslint .
echo "==> jest"
npx jest --ci
echo "==> ruff"
.venv/bin/ruff check ml tools test/workflow_scripts .github/scripts
echo "==> pip check (the procedures' pinned package set installs together)"
.venv/bin/python -m pip check
echo "==> pytest"

.venv/bin/python -m pytest ml/tests test/sql test/workflow_scripts
