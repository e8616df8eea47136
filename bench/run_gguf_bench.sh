#!/usr/bin/env bash
# GGUF benchmark: AttnViz on a Llama-3.2-1B-shaped Q4_K_M file (random weights, written by
# tools/gguf/make_llama32_1b_shaped.py and quantised by llama.cpp's own quantiser) against
# llama.cpp's prompt evaluation of the same file, both on 2 threads, their runs interleaved
# (llama.cpp, AttnViz, llama.cpp, AttnViz, ...) so both see the same machine; medians compared.
# Usage: bench/run_gguf_bench.sh [ROUNDS]   (default 3). Writes bench/results-gguf.json, prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
tokens=512
text="The animal didn't cross the street because it was too tired."
models=bench/models
f16=$models/llama32-1b-shaped-f16.gguf
q4=$models/llama32-1b-shaped-q4_k_m.gguf

libs=$(tools/llamacpp/install.sh)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DATTNVIZ_BUILD_TESTS=ON -DATTNVIZ_BUILD_BENCH=ON \
    -DATTNVIZ_LLAMACPP_LIBS="$libs" >/dev/null
cmake --build build -j"$(nproc)" --target attnviz-bench llamacpp_reference >/dev/null
mkdir -p "$models"
[ -f "$f16" ] || [ -f "$q4" ] || /usr/bin/python3 tools/gguf/make_llama32_1b_shaped.py --out "$models"
[ -f "$q4" ] || build/tools/llamacpp_reference quantize "$f16" "$q4" Q4_K_M --threads 2 >/dev/null

export OMP_NUM_THREADS=2
llama=() attnviz=()
for ((r = 0; r < rounds; r++)); do
    llama+=("$(build/tools/llamacpp_reference bench "$q4" --tokens $tokens --threads 2 --reps 1 2>/dev/null)")
    attnviz+=("$(build/bin/attnviz-bench full "$q4" $tokens 1)")
done
open_json=$(build/bin/attnviz-bench open "$q4" "$text" 3)
rss_json=$(build/bin/attnviz-bench rss "$q4" $tokens)

/usr/bin/python3 - "$q4" "$tokens" "$open_json" "$rss_json" "${llama[@]}" -- "${attnviz[@]}" <<'PY' | tee bench/results-gguf.json
import json, os, statistics, sys
model, tokens, open_json, rss_json = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3]), json.loads(sys.argv[4])
rest = sys.argv[5:]
cut = rest.index("--")
llama = [json.loads(x)["median_ms"] for x in rest[:cut]]
attnviz = [json.loads(x)[str(tokens)]["median_ms"] for x in rest[cut + 1:]]
file_mib = os.path.getsize(model) / 2**20
maps_mib = 16 * 32 * tokens * tokens * 4 / 2**20  # every attention map of the 1B shape, float32
out = {
    "model": os.path.basename(model), "file_mib": round(file_mib, 1), "tokens": tokens, "threads": 2,
    "llamacpp_prompt_eval_ms": llama, "attnviz_forward_with_maps_ms": attnviz,
    "ratio_attnviz_to_llamacpp": round(statistics.median(attnviz) / statistics.median(llama), 3),
    "target_ratio": 1.5,
    "open_to_first_heatmap_ms": open_json["open_to_attention"]["median_ms"], "target_open_ms": 2000,
    "peak_rss_mib": round(rss_json["peak_rss_mb"], 1),
    "rss_bound_mib": round(1.1 * file_mib + maps_mib, 1),
    "rss_bound": "1.1 x file + captured maps (activations not counted, so the bound is stricter)",
}
print(json.dumps(out, indent=2))
PY
