#!/usr/bin/env bash
# AttnViz's ggml dequantiser against ggml's own dequantize_row_* (the pinned llama.cpp libraries,
# tools/llamacpp/install.sh), per type, single-threaded, interleaved rounds in one run.
# Usage: bench/run_dequant_bench.sh [VALUES [ROUNDS]]   (default 65536 values, 9 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
libs=$(tools/llamacpp/install.sh)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DATTNVIZ_BUILD_TESTS=ON -DATTNVIZ_LLAMACPP_LIBS="$libs" >/dev/null
cmake --build build --target ggml_dequant_bench >/dev/null
build/tests/ggml_dequant_bench "$@"
