#!/usr/bin/env bash
# The performance benchmark: AttnViz's core against tuned PyTorch in one run, on 2 threads.
# Usage: bench/run_bench.sh [RUNS] [ROUNDS]   (default 5 runs per side in each of 3 interleaved
# rounds). Writes bench/results.json and prints a table, with the FLOP floor at T = 256.
# Needs python3-torch, libopenblas0-openmp and libjemalloc2 (installed here if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
rounds=${2:-3}
lengths=16,64,256,1024
model=bench/models/gpt2-small-random

need=()
for p in python3-torch python3-numpy libopenblas0-openmp libjemalloc2; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${need[@]}"
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DATTNVIZ_BUILD_BENCH=ON >/dev/null
cmake --build build -j"$(nproc)" --target attnviz-bench >/dev/null
/usr/bin/python3 bench/make_gpt2_small.py "$model"

export OMP_NUM_THREADS=2
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
# PyTorch tuned as a skilled user would: OpenMP OpenBLAS first, jemalloc with these settings.
torch_side() {
    env -u OPENBLAS_CORETYPE \
        LD_LIBRARY_PATH="/usr/lib/$arch/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
        LD_PRELOAD="/usr/lib/$arch/libjemalloc.so.2" \
        MALLOC_CONF="oversize_threshold:0,dirty_decay_ms:-1,muzzy_decay_ms:-1,thp:always" \
        /usr/bin/python3 bench/torch_gpt2.py "$model" "$lengths" "$runs"
}
# The sides interleaved (torch, AttnViz, torch, AttnViz, ...): a noisy machine then slows both
# sides of a round alike, and the report takes the median of the rounds' ratios.
torch_rounds=(); core_rounds=(); full_rounds=()
for ((r = 0; r < rounds; r++)); do
    torch_rounds+=("$(torch_side)")
    core_rounds+=("$(build/bin/attnviz-bench core "$model" "$lengths" "$runs")")
    full_rounds+=("$(build/bin/attnviz-bench full "$model" "$lengths" "$runs")")
done
as_list() { local IFS=,; echo "[$*]"; }
torch_json=$(as_list "${torch_rounds[@]}")
core_json=$(as_list "${core_rounds[@]}")
full_json=$(as_list "${full_rounds[@]}")
dense_json=$(build/bin/attnviz-bench dense 256 "$runs")
rss_json=$(build/bin/attnviz-bench rss "$model" 1024)
gemm_json=$(build/bin/attnviz-bench gemm 2048 5)
latency_json=$(build/bin/attnviz-bench latency builtin:decoder "The animal didn't cross the street because it was too tired." 20)
views_json=$(build/bin/attnviz-bench views "$runs")

/usr/bin/python3 bench/report.py "$torch_json" "$core_json" "$full_json" "$dense_json" "$rss_json" "$gemm_json" \
    "$latency_json" "$views_json" \
    > bench/results.json
/usr/bin/python3 bench/report.py --table bench/results.json
