#!/usr/bin/env python3
"""Combines the measurements of run_bench.sh into bench/results.json, or prints it as a table.

  report.py TORCH CORE RSS GEMM LATENCY VIEWS   (JSON strings) -> results JSON on stdout
  report.py --table results.json                -> table with ratios and targets
"""
import json
import platform
import sys
import time

LAYERS, D_MODEL = 12, 768


def combine(torch_r, core, rss, gemm, latency, views):
    lengths = [k for k in core if k.isdigit()]
    forward = {}
    for t in lengths:
        ours, ref = core[t]["median_ms"], torch_r[t]["median_ms"]
        forward[t] = {"attnviz_ms": ours, "torch_ms": ref, "ratio": ours / ref,
                      "attnviz_runs_ms": core[t]["runs_ms"], "torch_runs_ms": torch_r[t]["runs_ms"]}
    # Dense-layer FLOPs of the forward at T = 256 over the whole forward time: a lower bound of
    # the rate the dense layers reach (the time also includes attention, norms and GELU).
    t = 256
    dense_gflops = 2.0 * LAYERS * t * 12.0 * D_MODEL * D_MODEL / (core[str(t)]["median_ms"] * 1e6)
    return {
        "when": time.strftime("%Y-%m-%d %H:%M"), "machine": platform.processor() or platform.machine(),
        "threads": core.get("threads"), "torch": torch_r.get("torch"),
        "forward": forward,
        "gemm_peak_gflops": gemm["gflops"],
        "dense_gflops_t256": dense_gflops, "dense_fraction_of_peak_t256": dense_gflops / gemm["gflops"],
        "peak_rss_mb_t1024": {"attnviz": rss["peak_rss_mb"], "torch_process": torch_r["peak_rss_mb"]},
        "builtin_decoder_latency_ms": latency["latency"]["median_ms"],
        "views_ms": {k: v["median_ms"] for k, v in views.items() if isinstance(v, dict)},
    }


def table(r):
    rows = ["| measurement | AttnViz | PyTorch (tuned) | ratio | target |", "|---|---|---|---|---|"]
    for t, f in r["forward"].items():
        target = "≤ 0.8" if t in ("64", "256", "1024") else ""
        rows.append(f"| forward + all attention maps, T = {t} | {f['attnviz_ms']:.1f} ms | {f['torch_ms']:.1f} ms "
                    f"| {f['ratio']:.2f} | {target} |")
    rows.append(f"| SGEMM peak (2048³) | {r['gemm_peak_gflops']:.0f} GFLOP/s | | | |")
    rows.append(f"| dense layers at T = 256 (lower bound) | {r['dense_gflops_t256']:.0f} GFLOP/s | | "
                f"{r['dense_fraction_of_peak_t256']:.0%} of peak | ≥ 70% |")
    rss = r["peak_rss_mb_t1024"]
    rows.append(f"| peak RSS, T = 1024 | {rss['attnviz']:.0f} MiB | {rss['torch_process']:.0f} MiB (whole run) | | "
                f"≤ 1536 MiB |")
    rows.append(f"| built-in decoder, keystroke to attention | {r['builtin_decoder_latency_ms']:.2f} ms | | | ≤ 5 ms |")
    targets = {"heatmap_repaint_512": "≤ 16 ms", "model_grid_144_heads_128": "≤ 100 ms"}
    for k, v in r["views_ms"].items():
        rows.append(f"| render {k.replace('_', ' ')} | {v:.1f} ms | | | {targets.get(k, '')} |")
    return "\n".join(rows)


def main():
    if sys.argv[1] == "--table":
        print(table(json.load(open(sys.argv[2]))))
        return
    parsed = [json.loads(a) for a in sys.argv[1:7]]
    print(json.dumps(combine(*parsed), indent=2))


if __name__ == "__main__":
    main()
