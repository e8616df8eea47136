#!/usr/bin/env bash
# Installs the dependencies, builds AttnViz with its tests and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DATTNVIZ_BUILD_TESTS=ON
cmake --build build -j"$(nproc)"
# GUI tests run offscreen; ctest's closing line reports passed/failed counts.
QT_QPA_PLATFORM=offscreen ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 600

# The matrix kernel has AVX-512, AVX2 + FMA and plain-loop versions (core/compute/microkernel.h);
# the native build above runs one of them. Build and run the numerical tests with the others too,
# where this CPU can run them (each variant is a core-only build of a few minutes).
kernel_targets=(test_compute test_attention test_attention_reference test_models_gpt2 test_models_llama
    test_models_llama2c test_models_bert test_models_bart test_models_runoptions test_builtin_metrics)
variants=(x86-64)
if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then variants+=(haswell); fi
for arch in "${variants[@]}"; do
    dir="build-kernels-$arch"
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DATTNVIZ_BUILD_TESTS=ON -DATTNVIZ_NATIVE=OFF \
        -DCMAKE_CXX_FLAGS="-march=$arch" >/dev/null
    cmake --build "$dir" -j"$(nproc)" --target "${kernel_targets[@]}"
    regex="^($(IFS='|'; echo "${kernel_targets[*]}"))\$"
    echo "== numerical tests with -march=$arch"
    ctest --test-dir "$dir" -R "$regex" --output-on-failure -j"$(nproc)" --timeout 600
done
