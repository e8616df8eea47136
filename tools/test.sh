#!/usr/bin/env bash
# Installs the dependencies, builds AttnViz with its tests and runs the whole test suite, then the
# reliability jobs: the suite again under ASan + UBSan, and every libFuzzer harness for a bounded
# time. ATTNVIZ_TEST_JOBS picks jobs (default "release kernels asan fuzz"); each prints its time.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
llamacpp_libs="$(tools/llamacpp/install.sh)" # the GGUF tests' reference (test tools only)
jobs="${ATTNVIZ_TEST_JOBS:-release kernels asan fuzz}"
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
timed() { # timed NAME COMMAND...: runs a job and reports its wall time
    local name="$1" start=$SECONDS; shift
    echo "==== job $name"
    "$@"
    echo "==== job $name passed in $((SECONDS - start)) s"
}

release_job() {
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DATTNVIZ_BUILD_TESTS=ON "${launcher[@]}" \
        -DATTNVIZ_REQUIRE_LLAMACPP=ON -DATTNVIZ_LLAMACPP_LIBS="$llamacpp_libs"
    cmake --build build -j"$(nproc)"
    # GUI tests run offscreen; ctest's closing line reports passed/failed counts.
    QT_QPA_PLATFORM=offscreen ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 600
}

# The matrix kernel has AVX-512, AVX2 + FMA and plain-loop versions (core/compute/microkernel.h);
# the native build above runs one of them, the ASan build (ATTNVIZ_NATIVE=OFF) the plain loops.
# Build and run the numerical tests with AVX2 + FMA too, where this CPU can run it.
kernels_job() {
    local kernel_targets=(test_compute test_attention test_attention_reference test_models_gpt2 test_models_llama
        test_models_llama2c test_models_bert test_models_bart test_models_runoptions test_builtin_metrics
        test_ggml_dequant test_ggml_panel test_encodedmatrix)
    if ! grep -qw avx2 /proc/cpuinfo || ! grep -qw fma /proc/cpuinfo; then
        echo "no AVX2 + FMA on this CPU: skipped"
        return
    fi
    local dir="build-kernels-haswell"
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DATTNVIZ_BUILD_TESTS=ON -DATTNVIZ_NATIVE=OFF \
        -DCMAKE_CXX_FLAGS="-march=haswell" -DATTNVIZ_REQUIRE_LLAMACPP=ON -DATTNVIZ_LLAMACPP_LIBS="$llamacpp_libs" \
        "${launcher[@]}" >/dev/null
    cmake --build "$dir" -j"$(nproc)" --target "${kernel_targets[@]}"
    local regex="^($(IFS='|'; echo "${kernel_targets[*]}"))\$"
    ctest --test-dir "$dir" -R "$regex" --output-on-failure -j"$(nproc)" --timeout 600
}

# The whole suite, UI tests included, under AddressSanitizer (leak checks on) and UBSan: the asan
# preset (Debug, plain kernel) at -O1, since unoptimised Eigen makes the suite many times slower.
asan_job() {
    cmake --preset asan -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" "${launcher[@]}" >/dev/null
    cmake --build --preset asan -j"$(nproc)"
    ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0" \
    LSAN_OPTIONS="suppressions=$PWD/tools/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" QT_QPA_PLATFORM=offscreen \
        ctest --preset asan -j"$(nproc)" --timeout 1800
}

# libFuzzer harnesses (tests/fuzz), built with clang, each run for a bounded time with a fixed
# seed; any crash, leak, timeout or memory blow-up fails the job and prints the input.
fuzz_job() {
    CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTNVIZ_BUILD_TESTS=OFF \
        -DATTNVIZ_BUILD_GUI=OFF -DATTNVIZ_NATIVE=OFF -DATTNVIZ_BUILD_FUZZERS=ON "${launcher[@]}" >/dev/null
    cmake --build build-fuzz -j"$(nproc)" --target fuzzers
    tests/fuzz/run_fuzzers.sh build-fuzz "${ATTNVIZ_FUZZ_SECONDS:-60}"
}

for job in $jobs; do
    timed "$job" "${job}_job"
done
