#!/usr/bin/env python3
"""Combines the measurements of run_bench.sh into bench/results.json, or prints it as a table.

  report.py TORCH CORE FULL DENSE RSS GEMM LATENCY VIEWS   (JSON strings) -> results JSON on stdout
  report.py --table results.json                -> table with ratios and targets
"""
import json
import platform
import sys
import time



def median(values):
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else 0.5 * (v[n // 2 - 1] + v[n // 2])


def rounds_of(measured):
    """run_bench.sh interleaves the sides in rounds and passes a list of each side's rounds; a
    single object (an older call) is one round."""
    return measured if isinstance(measured, list) else [measured]


def forward_flops(t, d=768, layers=12):
    """FLOPs of the all-maps pass on GPT-2 small: per layer 24 T d^2 of dense products (QKV 6, W_O 2,
    MLP 16) and 4 T^2 d of attention (QK^T and A.V), minus the last layer's W_O and MLP (18 T d^2),
    which only feed hidden states the maps do not need."""
    return layers * (24.0 * t * d * d + 4.0 * t * t * d) - 18.0 * t * d * d


def combine(torch_r, core, full, dense, rss, gemm, latency, views):
    torch_rounds, core_rounds, full_rounds = rounds_of(torch_r), rounds_of(core), rounds_of(full)
    lengths = [k for k in core_rounds[0] if k.isdigit()]
    forward = {}
    for t in lengths:
        # Each round's sides ran back to back: its ratio sees the same machine state. The figures
        # are the medians of the rounds' medians and ratios.
        ours_r = [c[t]["median_ms"] for c in core_rounds]
        ref_r = [c[t]["median_ms"] for c in torch_rounds]
        whole_r = [c[t]["median_ms"] for c in full_rounds]
        forward[t] = {"attnviz_ms": median(ours_r), "torch_ms": median(ref_r),
                      "ratio": median([o / r for o, r in zip(ours_r, ref_r)]),
                      "round_ratios": [o / r for o, r in zip(ours_r, ref_r)],
                      "attnviz_full_ms": median(whole_r),
                      "full_ratio": median([w / r for w, r in zip(whole_r, ref_r)]),
                      "attnviz_runs_ms": [x for c in core_rounds for x in c[t]["runs_ms"]],
                      "attnviz_full_runs_ms": [x for c in full_rounds for x in c[t]["runs_ms"]],
                      "torch_runs_ms": [x for c in torch_rounds for x in c[t]["runs_ms"]]}
    torch_r = dict(torch_rounds[0])
    torch_r["matmul_gflops"] = max(c["matmul_gflops"] for c in torch_rounds)
    torch_r["peak_rss_mb"] = max(c["peak_rss_mb"] for c in torch_rounds)
    core = core_rounds[0]
    # The peak is the best 2048^3 product any of the three implementations reaches here.
    peaks = {"eigen": gemm["eigen_gflops"], "attnviz": gemm["attnviz_gflops"], "torch": torch_r["matmul_gflops"]}
    peak = max(peaks.values())
    # A lower bound from the real forward pass at T = 256: its dense FLOPs (12 d^2 per token and
    # layer, minus the 9 d^2 of the last layer's W_O and MLP it skips) over the whole forward time,
    # which also contains attention, norms and GELU.
    t, d = 256, 768
    forward_dense = 2.0 * t * (12 * 12 - 9) * d * d / (forward[str(t)]["attnviz_ms"] * 1e6)
    # The FLOP floor: the pass's FLOPs at the GEMM peak measured in this run.
    floor_ms = forward_flops(t) / (peak * 1e6)
    return {
        "when": time.strftime("%Y-%m-%d %H:%M"), "machine": platform.processor() or platform.machine(),
        "threads": core.get("threads"), "torch": torch_r.get("torch"),
        "forward": forward,
        "gemm_gflops_2048": peaks, "gemm_peak_gflops": peak,
        "dense_gflops_t256": dense["gflops"], "dense_fraction_of_peak_t256": dense["gflops"] / peak,
        "dense_gflops_in_forward_t256_lower_bound": forward_dense,
        "flop_floor_ms_t256": floor_ms, "forward_over_floor_t256": forward[str(t)]["attnviz_ms"] / floor_ms,
        "rounds": len(core_rounds),
        "peak_rss_mb_t1024": {"attnviz": rss["peak_rss_mb"], "torch_process": torch_r["peak_rss_mb"]},
        "builtin_decoder_latency_ms": latency["latency"]["median_ms"],
        "views_ms": {k: v["median_ms"] for k, v in views.items() if isinstance(v, dict)},
    }


def table(r):
    rows = ["| measurement | AttnViz | PyTorch (tuned) | ratio | target |", "|---|---|---|---|---|"]
    for t, f in r["forward"].items():
        target = "≤ 0.6" if t in ("64", "1024") else ""
        rounds = f.get("round_ratios")
        spread = f" ({', '.join(f'{x:.2f}' for x in rounds)})" if rounds and len(rounds) > 1 else ""
        rows.append(f"| all attention maps, T = {t} | {f['attnviz_ms']:.1f} ms | {f['torch_ms']:.1f} ms "
                    f"| {f['ratio']:.2f}{spread} | {target} |")
    if "flop_floor_ms_t256" in r:
        rows.append(f"| all attention maps, T = 256, against the FLOP floor (its FLOPs at the GEMM peak) "
                    f"| {r['forward']['256']['attnviz_ms']:.1f} ms | floor {r['flop_floor_ms_t256']:.1f} ms "
                    f"| {r['forward_over_floor_t256']:.2f} | ≤ 1.15 |")
    for t, f in r["forward"].items():
        rows.append(f"| full forward + next-token prediction, T = {t} | {f['attnviz_full_ms']:.1f} ms "
                    f"| {f['torch_ms']:.1f} ms (no LM head) | {f['full_ratio']:.2f} | |")
    g = r["gemm_gflops_2048"]
    rows.append(f"| SGEMM 2048³: AttnViz kernel / Eigen / PyTorch | {g['attnviz']:.0f} / {g['eigen']:.0f} GFLOP/s "
                f"| {g['torch']:.0f} GFLOP/s | peak = {r['gemm_peak_gflops']:.0f} | |")
    rows.append(f"| dense layers alone, T = 256 | {r['dense_gflops_t256']:.0f} GFLOP/s | | "
                f"{r['dense_fraction_of_peak_t256']:.0%} of peak | ≥ 70% |")
    if "dense_gflops_in_forward_t256_lower_bound" in r:
        low = r["dense_gflops_in_forward_t256_lower_bound"]
        rows.append(f"| dense layers inside the forward, T = 256 (lower bound) | {low:.0f} GFLOP/s | | "
                    f"{low / r['gemm_peak_gflops']:.0%} of peak | ≥ 70% |")
    rss = r["peak_rss_mb_t1024"]
    rows.append(f"| peak RSS, T = 1024 | {rss['attnviz']:.0f} MiB | {rss['torch_process']:.0f} MiB (whole run) | | "
                f"≤ 1536 MiB |")
    rows.append(f"| built-in decoder, keystroke to attention | {r['builtin_decoder_latency_ms']:.2f} ms | | | ≤ 5 ms |")
    targets = {"heatmap_repaint_512": "≤ 16 ms", "heatmap_repaint_8192": "≤ 16 ms", "model_grid_144_heads_128": "≤ 100 ms"}
    for k, v in r["views_ms"].items():
        rows.append(f"| render {k.replace('_', ' ')} | {v:.1f} ms | | | {targets.get(k, '')} |")
    return "\n".join(rows)


def main():
    if sys.argv[1] == "--table":
        print(table(json.load(open(sys.argv[2]))))
        return
    parsed = [json.loads(a) for a in sys.argv[1:9]]
    print(json.dumps(combine(*parsed), indent=2))


if __name__ == "__main__":
    main()
