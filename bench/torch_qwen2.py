#!/usr/bin/env python3
"""The PyTorch side of the long-input benchmark: a Qwen2 forward pass (the published architecture:
RMSNorm, RoPE on the halves, grouped-query attention with Q/K/V biases, SwiGLU MLP, tied LM head
on the last token) in float32, every layer's attention maps computed as eager attention does
(output_attentions), one layer's maps kept at a time as AttnViz keeps what fits its budget.

usage: torch_qwen2.py FOLDER T RUNS   (FOLDER from tools/fixtures/make_qwen25_shaped.py)
Prints one JSON object: {"T": ..., "median_ms": ..., "runs_ms": [...], "peak_rss_mb": ...}.
run_longinput_bench.sh starts it with the tuned environment (OpenMP OpenBLAS, jemalloc, 2 threads).
"""
import json
import resource
import sys
import time

import numpy as np
import torch


def load(folder):
    """BF16 safetensors widened to float32 (numpy has no bfloat16: the bits go through int32)."""
    with open(f"{folder}/model.safetensors", "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(n))
        data = np.memmap(f"{folder}/model.safetensors", dtype=np.uint8, mode="r", offset=8 + n)
    w = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        assert info["dtype"] == "BF16"
        bits = np.frombuffer(data[a:b], dtype="<u2").astype(np.uint32) << 16
        w[name] = torch.from_numpy(bits.view(np.float32).reshape(info["shape"]))
    return json.load(open(f"{folder}/config.json")), w


def rms_norm(x, g, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * g


def rope(x, cos, sin):  # x (H, T, hd), rotate_half
    half = x.shape[-1] // 2
    rotated = torch.cat((-x[..., half:], x[..., :half]), dim=-1)
    return x * cos + rotated * sin


def forward(cfg, w, ids):
    t, d = ids.shape[0], cfg["hidden_size"]
    h, kv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd, eps = d // h, cfg["rms_norm_eps"]
    inv = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))
    angles = torch.outer(torch.arange(t, dtype=torch.float32), inv)
    cos, sin = torch.cat((angles.cos(), angles.cos()), -1), torch.cat((angles.sin(), angles.sin()), -1)
    causal = torch.ones(t, t, dtype=torch.bool).tril()
    x = w["model.embed_tokens.weight"][ids]
    kept = None
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        a = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = torch.addmm(w[p + "self_attn.q_proj.bias"], a, w[p + "self_attn.q_proj.weight"].t()).view(t, h, hd).transpose(0, 1)
        k = torch.addmm(w[p + "self_attn.k_proj.bias"], a, w[p + "self_attn.k_proj.weight"].t()).view(t, kv, hd).transpose(0, 1)
        v = torch.addmm(w[p + "self_attn.v_proj.bias"], a, w[p + "self_attn.v_proj.weight"].t()).view(t, kv, hd).transpose(0, 1)
        q, k = rope(q, cos, sin), rope(k, cos, sin)
        k, v = k.repeat_interleave(h // kv, 0), v.repeat_interleave(h // kv, 0)
        scores = torch.matmul(q, k.transpose(-1, -2)) / hd ** 0.5
        scores = scores.masked_fill(~causal, torch.finfo(scores.dtype).min)
        probs = torch.softmax(scores, dim=-1)
        if i == 0:
            kept = probs  # the maps one layer keeps (AttnViz's budget keeps the layer shown)
        ctx = torch.matmul(probs, v).transpose(0, 1).reshape(t, d)
        x = x + torch.matmul(ctx, w[p + "self_attn.o_proj.weight"].t())
        m = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = torch.matmul(m, w[p + "mlp.gate_proj.weight"].t())
        up = torch.matmul(m, w[p + "mlp.up_proj.weight"].t())
        x = x + torch.matmul(torch.nn.functional.silu(gate) * up, w[p + "mlp.down_proj.weight"].t())
    last = rms_norm(x[-1:], w["model.norm.weight"], eps)
    logits = torch.matmul(last, w["model.embed_tokens.weight"].t())
    return kept, logits


def main():
    folder, t, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(2)
    cfg, w = load(folder)
    ids = torch.randint(0, cfg["vocab_size"], (t,), generator=torch.Generator().manual_seed(0))
    times = []
    with torch.inference_mode():
        for _ in range(runs):
            start = time.perf_counter()
            forward(cfg, w, ids)
            times.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"T": t, "median_ms": float(np.median(times)), "runs_ms": times,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
