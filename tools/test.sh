#!/usr/bin/env bash
# Installs the dependencies, builds AttnViz with its tests and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DATTNVIZ_BUILD_TESTS=ON
cmake --build build -j"$(nproc)"
# GUI tests run offscreen; ctest's closing line reports passed/failed counts.
QT_QPA_PLATFORM=offscreen ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 600
