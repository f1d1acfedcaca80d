#!/usr/bin/env bash
# Installs what the project needs, idempotently and only from the lock/pin files:
# Node packages from package-lock.json, and a Python virtualenv (.venv) with the pinned
# ML and test dependencies. Safe to run again; it skips what is already up to date.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.lock-installed; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.lock-installed
fi

PYTHON_BIN="${PYTHON_BIN:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> python venv (.venv)"
  "$PYTHON_BIN" -m venv .venv
fi
requirements=(ml/requirements-dev.txt test/sql/requirements.txt)
# requirements-dev.txt includes requirements.txt and requirements-snowflake.txt (the real
# snowflake-ml-python and snowpark, ~4 min on a fresh venv, mostly downloads): hash all three.
want="$(cat "${requirements[@]}" ml/requirements.txt ml/requirements-snowflake.txt ml/pyproject.toml | sha256sum)"
if [ "$(cat .venv/.installed 2>/dev/null)" != "$want" ]; then
  echo "==> pip install ${requirements[*]} (first time: a few minutes; one line per package)"
  .venv/bin/python -m pip install --disable-pip-version-check --progress-bar off $(printf -- '-r %s ' "${requirements[@]}") \
    | grep --line-buffered -E '^(Collecting|Successfully installed)' || test "${PIPESTATUS[0]}" -eq 0
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e ml
  echo "$want" > .venv/.installed
fi
