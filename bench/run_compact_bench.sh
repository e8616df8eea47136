#!/usr/bin/env bash
# Compact 16-bit weights: AttnViz on random-weight BF16 checkpoints of Qwen2.5-0.5B's and
# Qwen2.5-1.5B's shape (tools/fixtures/make_qwen25_shaped.py), on 2 threads. Per model and round:
# the GEMM peak (attnviz-bench gemm), the model's dense layers on its 16-bit rows and on the same
# weights widened to packed floats (512 rows, and 16 rows where decoding the rows dominates), a forward pass at 512 tokens with every map captured,
# open-to-first-heatmap on 16 ids, and one open + forward at 512 tokens for memory. The rounds
# interleave every measurement (the machine is shared); bench/compact_report.py takes medians of
# the per-round ratios (each side's best run within a round) and checks the targets of issue 16, section 1.
# Usage: bench/run_compact_bench.sh [ROUNDS]   (default 3). Writes bench/results-compact.json, prints a table.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
tokens=512
dense_layers=4 # every layer has the same shapes: 4 give the rate without widening the whole model
models=bench/models

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DATTNVIZ_BUILD_BENCH=ON >/dev/null
cmake --build build -j"$(nproc)" --target attnviz-bench >/dev/null
mkdir -p "$models"
for size in 0.5b 1.5b; do
    [ -f "$models/qwen25-$size-shaped-bf16/model.safetensors" ] ||
        /usr/bin/python3 tools/fixtures/make_qwen25_shaped.py --out "$models" --only "$size"
done

export OMP_NUM_THREADS=2
bench=build/bin/attnviz-bench
lines=()
for ((r = 0; r < rounds; r++)); do
    for size in 0.5b 1.5b; do
        m=$models/qwen25-$size-shaped-bf16
        lines+=("$size gemm $($bench gemm 2048 3)")
        lines+=("$size dense $($bench dense-model "$m" $dense_layers $tokens 3)")
        lines+=("$size dense16 $($bench dense-model "$m" $dense_layers 16 3)")
        lines+=("$size forward $($bench core "$m" $tokens 1)")
        lines+=("$size open $($bench open-ids "$m" 16 1)")
        lines+=("$size memory $($bench compact "$m" $tokens)")
    done
done

printf '%s\n' "${lines[@]}" | /usr/bin/python3 bench/compact_report.py "$models" $tokens $dense_layers \
    > bench/results-compact.json
/usr/bin/python3 bench/compact_report.py --table bench/results-compact.json
