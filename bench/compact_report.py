#!/usr/bin/env python3
"""Combines the measurements of run_compact_bench.sh into bench/results-compact.json, or prints it.

  compact_report.py MODELS_DIR TOKENS DENSE_LAYERS < lines   -> results JSON on stdout
      each line: "SIZE KIND JSON", KIND one of gemm, dense, dense16, forward, open, memory, in round order
  compact_report.py --table results-compact.json            -> table with ratios and targets
"""
import json
import os
import platform
import statistics
import sys
import time

MIB, GIB = 2**20, 2**30
TARGET_RSS_FACTOR, TARGET_OPEN_S_PER_GIB, TARGET_DENSE_FRACTION = 1.15, 1.5, 0.70


def shape(folder):
    c = json.load(open(os.path.join(folder, "config.json")))
    d, heads, kv = c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"]
    hd = d // heads
    return {"d": d, "layers": c["num_hidden_layers"], "heads": heads, "q": heads * hd, "kv": kv * hd,
            "inner": c["intermediate_size"]}


def dense_flops(s, tokens):
    """(per layer, in an attention-only forward): q|k|v, o, gate|up, down as 2·T·K·N. The forward
    without a prediction skips the last layer's o and MLP (as bench/report.py counts GPT-2's)."""
    qkv = 2 * tokens * s["d"] * (s["q"] + 2 * s["kv"])
    rest = 2 * tokens * (s["q"] * s["d"] + 3 * s["d"] * s["inner"])
    return qkv + rest, s["layers"] * (qkv + rest) - rest


def activations_mib(s, tokens):
    """Estimate of the largest live activations (float32): residual, normed input, q|k|v, gate|up,
    the gated product and the MLP output, all counted at once (an upper estimate: they are not all
    alive together). Attention scores are written into the captured maps, counted separately."""
    return 4 * tokens * (4 * s["d"] + s["q"] + 2 * s["kv"] + 3 * s["inner"]) / MIB


def median(xs):
    return statistics.median(xs)


def model_result(folder, rounds, tokens, dense_layers):
    s = shape(folder)
    file_bytes = os.path.getsize(os.path.join(folder, "model.safetensors"))
    layer_flops, forward_flops = dense_flops(s, tokens)
    peaks = [r["gemm"]["attnviz_gflops"] for r in rounds]
    # Best run of each side, as attnviz-bench gemm reports its peak: the least disturbed on a shared machine.
    def rate(side):
        return [dense_layers * layer_flops / (min(r["dense"][side]["runs_ms"]) * 1e6) for r in rounds]
    enc, packed = rate("encoded"), rate("packed_f32")
    # 16 rows: each weight takes part in few flops, so decoding the 16-bit rows per product shows.
    short = [min(r["dense16"]["packed_f32"]["runs_ms"]) / min(r["dense16"]["encoded"]["runs_ms"]) for r in rounds]
    fwd_ms = [r["forward"][str(tokens)]["median_ms"] for r in rounds]
    open_ms = [r["open"]["open_to_attention"]["median_ms"] for r in rounds]
    mem = [r["memory"] for r in rounds]
    maps = median([m["captured_maps_mb"] for m in mem])
    act = activations_mib(s, tokens)
    peak_rss = median([m["peak_rss_mb"] for m in mem])
    bound = TARGET_RSS_FACTOR * file_bytes / MIB + maps + act
    floor_ms = [forward_flops / (p * 1e6) for p in peaks]  # the dense FLOPs at the GEMM peak
    return {
        "file_mib": round(file_bytes / MIB, 1), "tokens": tokens, "shape": s,
        "weight_storage": {"encoded_matrices": mem[0]["encoded_matrices"], "float_matrices": mem[0]["float_matrices"]},
        "gemm_peak_gflops": [round(p, 1) for p in peaks],
        "dense_encoded_gflops": [round(x, 1) for x in enc], "dense_packed_f32_gflops": [round(x, 1) for x in packed],
        "dense_encoded_fraction_of_peak": round(median([e / p for e, p in zip(enc, peaks)]), 3),
        "dense_packed_fraction_of_peak": round(median([x / p for x, p in zip(packed, peaks)]), 3),
        "dense_encoded_to_packed": round(median([e / x for e, x in zip(enc, packed)]), 3),
        "target_dense_fraction": TARGET_DENSE_FRACTION,
        "dense_16_rows_encoded_to_packed": round(median(short), 3),
        "forward_ms": [round(x, 1) for x in fwd_ms],
        "forward_to_dense_floor": round(median([f / fl for f, fl in zip(fwd_ms, floor_ms)]), 3),
        "forward_dense_fraction_of_peak": round(median([fl / f for f, fl in zip(fwd_ms, floor_ms)]), 3),
        "open_to_first_heatmap_16_ids_ms": [round(x, 1) for x in open_ms],
        "open_s_per_gib": round(median(open_ms) / 1e3 / (file_bytes / GIB), 3),
        "open_s_per_gib_best": round(min(open_ms) / 1e3 / (file_bytes / GIB), 3),
        "target_open_s_per_gib": TARGET_OPEN_S_PER_GIB,
        "open_alone_ms": [round(m["open_ms"], 1) for m in mem],
        "first_forward_ms": [round(m["first_forward_ms"], 1) for m in mem],
        "rss_after_open_mib": round(median([m["rss_after_open_mb"] for m in mem]), 1),
        "anonymous_after_open_mib": round(median([m["anon_after_open_mb"] for m in mem]), 1),
        "peak_rss_mib": round(peak_rss, 1), "captured_maps_mib": round(maps, 1),
        "activations_estimate_mib": round(act, 1), "rss_bound_mib": round(bound, 1),
        "rss_bound": "1.15 x file + captured maps + activations estimate; peak RSS includes the process's own ~16 MiB",
        "rss_over_file_after_maps_and_activations": round((peak_rss - maps - act) / (file_bytes / MIB), 3),
    }


def combine(models_dir, tokens, dense_layers, lines):
    per = {}
    for line in lines:
        size, kind, payload = line.split(" ", 2)
        rounds = per.setdefault(size, [])
        if kind == "gemm":
            rounds.append({})
        rounds[-1][kind] = json.loads(payload)
    out = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": platform.processor() or platform.machine(),
           "threads": 2, "rounds": len(next(iter(per.values()))), "models": {}}
    for size, rounds in per.items():
        folder = os.path.join(models_dir, f"qwen25-{size}-shaped-bf16")
        out["models"][f"qwen2.5-{size}-shaped-bf16"] = model_result(folder, rounds, tokens, dense_layers)
    return out


def table(results):
    rows = [("", "open-to-heatmap (best)", "peak RSS / bound", "dense / GEMM peak", "encoded / packed (T 512, 16)",
             "forward / floor")]
    for name, m in results["models"].items():
        rows.append((f"{name} ({m['file_mib'] / 1024:.2f} GiB)",
                     f"{m['open_s_per_gib']:.2f} ({m['open_s_per_gib_best']:.2f}) s/GiB (<= {m['target_open_s_per_gib']})",
                     f"{m['peak_rss_mib']:.0f} / {m['rss_bound_mib']:.0f} MiB",
                     f"{m['dense_encoded_fraction_of_peak']:.2f} (>= {m['target_dense_fraction']})",
                     f"{m['dense_encoded_to_packed']:.2f}, {m['dense_16_rows_encoded_to_packed']:.2f}",
                     f"{m['forward_to_dense_floor']:.2f}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    print(f"{results['when']}, {results['threads']} threads, {results['rounds']} interleaved rounds, medians")
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))


if __name__ == "__main__":
    if sys.argv[1] == "--table":
        table(json.load(open(sys.argv[2])))
    else:
        json.dump(combine(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.stdin.read().splitlines()),
                  sys.stdout, indent=2)
        print()
