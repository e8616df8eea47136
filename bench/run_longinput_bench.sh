#!/usr/bin/env bash
# Long inputs (issue 16, section 2): a 4,096-token forward pass on the random-weight
# Qwen2.5-0.5B-shaped BF16 checkpoint (tools/fixtures/make_qwen25_shaped.py), AttnViz against a
# tuned PyTorch forward of the same weights (bench/torch_qwen2.py: float32, eager attention, the
# next-token logits), the two sides interleaved round by round on 2 threads. AttnViz runs as the
# app does for a decoder (next-token predictions on), keeping the maps its default 1 GiB attention
# budget allows (the layer shown); then one open + forward in a fresh process for the peak RSS.
# Usage: bench/run_longinput_bench.sh [ROUNDS] [TOKENS]   (default 3, 4096). Prints JSON lines and
# a summary; needs python3-torch, libopenblas0-openmp and libjemalloc2 (as run_bench.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
tokens=${2:-4096}
models=bench/models
model=$models/qwen25-0.5b-shaped-bf16

need=()
for p in python3-torch python3-numpy libopenblas0-openmp libjemalloc2; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then # without OpenBLAS, Debian's torch falls back to the reference BLAS
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${need[@]}"
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DATTNVIZ_BUILD_BENCH=ON >/dev/null
cmake --build build -j"$(nproc)" --target attnviz-bench >/dev/null
[ -f "$model/model.safetensors" ] || /usr/bin/python3 tools/fixtures/make_qwen25_shaped.py --out "$models" --only 0.5b

export OMP_NUM_THREADS=2
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
torch_side() {
    env -u OPENBLAS_CORETYPE \
        LD_LIBRARY_PATH="/usr/lib/$arch/openblas-openmp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
        LD_PRELOAD="/usr/lib/$arch/libjemalloc.so.2" \
        MALLOC_CONF="oversize_threshold:0,dirty_decay_ms:-1,muzzy_decay_ms:-1,thp:always" \
        /usr/bin/python3 bench/torch_qwen2.py "$model" "$tokens" 1
}
lines=()
for ((r = 0; r < rounds; r++)); do
    lines+=("torch $(torch_side)")
    lines+=("attnviz $(build/bin/attnviz-bench full "$model" "$tokens" 1)")
done
lines+=("memory $(build/bin/attnviz-bench compact "$model" "$tokens")")
printf '%s\n' "${lines[@]}"
printf '%s\n' "${lines[@]}" | /usr/bin/python3 -c '
import json, statistics, sys
torch, ours, memory = [], [], None
for line in sys.stdin:
    side, text = line.split(" ", 1)
    d = json.loads(text)
    if side == "torch": torch.append(d["median_ms"])
    elif side == "attnviz": ours.append(next(v["median_ms"] for k, v in d.items() if isinstance(v, dict)))
    else: memory = d
ratios = [a / t for a, t in zip(ours, torch)]
print("forward at %s tokens: AttnViz %.0f ms, PyTorch %.0f ms (medians); per-round ratios %s, median %.2f (target 0.8)"
      % (sys.argv[1], statistics.median(ours), statistics.median(torch), ", ".join("%.2f" % r for r in ratios), statistics.median(ratios)))
print("peak RSS %.0f MiB (target 4096), maps kept %.0f MiB, open %.0f ms, first forward %.0f ms"
      % (memory["peak_rss_mb"], memory["captured_maps_mb"], memory["open_ms"], memory["first_forward_ms"]))
' "$tokens"
