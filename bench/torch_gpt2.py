#!/usr/bin/env python3
"""The reference side of the benchmark: GPT-2 forward in PyTorch returning every attention map.

Loads the checkpoint written by make_gpt2_small.py and times the forward pass (median of N runs
after warm-up) for each T. Written the way HF's eager GPT-2 attention computes it
(output_attentions=True), without the LM head, since only the attention maps are compared.
Also times a 2048 x 2048 x 2048 matmul, one of the candidates for this machine's SGEMM peak.
Prints one JSON object: {"T": {"median_ms": ..., "runs_ms": [...]}, ..., "peak_rss_mb": ...,
"matmul_gflops": ...}.
run_bench.sh starts it with the tuned environment (OpenMP OpenBLAS, jemalloc, 2 threads).
"""
import json
import math
import resource
import sys
import time

import numpy as np
import torch


def load(folder):
    with open(f"{folder}/model.safetensors", "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
        data = f.read()
    cfg = json.load(open(f"{folder}/config.json"))
    w = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        w[name] = torch.from_numpy(np.frombuffer(data, dtype=np.float32, count=(b - a) // 4, offset=a).copy()
                                   .reshape(info["shape"]))
    return cfg, w


def forward(cfg, w, ids):
    t, d, h = ids.shape[0], cfg["n_embd"], cfg["n_head"]
    dk = d // h
    x = w["wte.weight"][ids] + w["wpe.weight"][:t]
    causal = torch.ones(t, t, dtype=torch.bool).tril()
    attentions = []
    for i in range(cfg["n_layer"]):
        p = f"h.{i}."
        a = torch.nn.functional.layer_norm(x, (d,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], 1e-5)
        qkv = torch.addmm(w[p + "attn.c_attn.bias"], a, w[p + "attn.c_attn.weight"])
        q, k, v = (m.view(t, h, dk).transpose(0, 1) for m in qkv.split(d, dim=1))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(dk)
        scores = scores.masked_fill(~causal, torch.finfo(scores.dtype).min)
        probs = torch.softmax(scores, dim=-1)
        attentions.append(probs)
        ctx = torch.matmul(probs, v).transpose(0, 1).reshape(t, d)
        x = x + torch.addmm(w[p + "attn.c_proj.bias"], ctx, w[p + "attn.c_proj.weight"])
        m = torch.nn.functional.layer_norm(x, (d,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], 1e-5)
        m = torch.nn.functional.gelu(torch.addmm(w[p + "mlp.c_fc.bias"], m, w[p + "mlp.c_fc.weight"]),
                                     approximate="tanh")
        x = x + torch.addmm(w[p + "mlp.c_proj.bias"], m, w[p + "mlp.c_proj.weight"])
    return attentions


def matmul_gflops(n, runs):
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.matmul(a, b)  # warm-up
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        torch.matmul(a, b)
        best = min(best, time.perf_counter() - start)
    return 2.0 * n ** 3 / best / 1e9


def main():
    folder, lengths, runs = sys.argv[1], [int(v) for v in sys.argv[2].split(",")], int(sys.argv[3])
    torch.set_num_threads(2)
    cfg, w = load(folder)
    gen = torch.Generator().manual_seed(0)
    results = {}
    with torch.inference_mode():
        for t in lengths:
            ids = torch.randint(0, cfg["vocab_size"], (t,), generator=gen)
            forward(cfg, w, ids)  # warm-up
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                forward(cfg, w, ids)
                times.append((time.perf_counter() - start) * 1000)
            results[str(t)] = {"median_ms": float(np.median(times)), "runs_ms": times}
    results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["matmul_gflops"] = matmul_gflops(2048, runs)
    results["torch"] = torch.__version__
    results["blas"] = torch.__config__.show().split("BLAS_INFO=")[-1].split(",")[0] if "BLAS_INFO" in torch.__config__.show() else "?"
    print(json.dumps(results))


if __name__ == "__main__":
    main()
