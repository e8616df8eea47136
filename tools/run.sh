#!/usr/bin/env bash
# Installs the dependencies, builds AttnViz in Release and launches it on the built-in model.
# Extra arguments go to the app, e.g. tools/run.sh --text "The cat sat on the mat."
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
exec build/bin/attnviz "$@"
