#!/usr/bin/env bash
# Install everything the tests need and run them all: Python packages into .venv, Debian's
# chromium for the browser tests (when apt-get is available), the npm package for the Cypher
# lint; then ruff, mypy and pytest. Exits non-zero if any check fails or if no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

if command -v apt-get >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"

if command -v npm >/dev/null 2>&1; then
  (cd tools/cypher-lint && npm ci --no-audit --no-fund --loglevel=error)
fi

.venv/bin/ruff check orbitnet tests benchmarks
.venv/bin/mypy
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing" >&2
  exit 1
fi
exit "$status"
