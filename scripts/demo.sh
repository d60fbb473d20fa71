#!/usr/bin/env bash
# The main job on the embedded database: install orbitnet into .venv, load the curated data,
# compute the metrics, print the top brokers and write an interactive map.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/orbitnet ]; then
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e .
fi
.venv/bin/orbitnet load
.venv/bin/orbitnet analyze --write
.venv/bin/orbitnet rank --by betweenness --top 10
.venv/bin/orbitnet map --out orbitnet-map.html
echo "Open orbitnet-map.html in a browser (it works offline)."
