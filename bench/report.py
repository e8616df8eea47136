#!/usr/bin/env python3
"""Combines the measurements of run_bench.sh into bench/results.json, or prints it as a table.

  report.py TORCH CORE FULL DENSE RSS GEMM LATENCY VIEWS   (JSON strings) -> results JSON on stdout
  report.py --table results.json                -> table with ratios and targets
"""
import json
import platform
import sys
import time



def combine(torch_r, core, full, dense, rss, gemm, latency, views):
    lengths = [k for k in core if k.isdigit()]
    forward = {}
    for t in lengths:
        ours, ref, whole = core[t]["median_ms"], torch_r[t]["median_ms"], full[t]["median_ms"]
        forward[t] = {"attnviz_ms": ours, "torch_ms": ref, "ratio": ours / ref,
                      "attnviz_full_ms": whole, "full_ratio": whole / ref,
                      "attnviz_runs_ms": core[t]["runs_ms"], "attnviz_full_runs_ms": full[t]["runs_ms"],
                      "torch_runs_ms": torch_r[t]["runs_ms"]}
    # The peak is the best 2048^3 product any of the three implementations reaches here.
    peaks = {"eigen": gemm["eigen_gflops"], "attnviz": gemm["attnviz_gflops"], "torch": torch_r["matmul_gflops"]}
    peak = max(peaks.values())
    # A lower bound from the real forward pass at T = 256: its dense FLOPs (12 d^2 per token and
    # layer, minus the 9 d^2 of the last layer's W_O and MLP it skips) over the whole forward time,
    # which also contains attention, norms and GELU.
    t, d = 256, 768
    forward_dense = 2.0 * t * (12 * 12 - 9) * d * d / (core[str(t)]["median_ms"] * 1e6)
    return {
        "when": time.strftime("%Y-%m-%d %H:%M"), "machine": platform.processor() or platform.machine(),
        "threads": core.get("threads"), "torch": torch_r.get("torch"),
        "forward": forward,
        "gemm_gflops_2048": peaks, "gemm_peak_gflops": peak,
        "dense_gflops_t256": dense["gflops"], "dense_fraction_of_peak_t256": dense["gflops"] / peak,
        "dense_gflops_in_forward_t256_lower_bound": forward_dense,
        "peak_rss_mb_t1024": {"attnviz": rss["peak_rss_mb"], "torch_process": torch_r["peak_rss_mb"]},
        "builtin_decoder_latency_ms": latency["latency"]["median_ms"],
        "views_ms": {k: v["median_ms"] for k, v in views.items() if isinstance(v, dict)},
    }


def table(r):
    rows = ["| measurement | AttnViz | PyTorch (tuned) | ratio | target |", "|---|---|---|---|---|"]
    for t, f in r["forward"].items():
        target = "≤ 0.8" if t in ("64", "256", "1024") else ""
        rows.append(f"| all attention maps, T = {t} | {f['attnviz_ms']:.1f} ms | {f['torch_ms']:.1f} ms "
                    f"| {f['ratio']:.2f} | {target} |")
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
