#!/usr/bin/python3
"""Test-time writer of attention files through tools/export/attnviz_export.py, from a torch forward
of the GPT-2 fixture checkpoint (tests/data/models/gpt2), shaped like a transformers output
(outputs.attentions: one (1, heads, T, T) tensor per layer). test_models_attentionfile reopens
the files and compares them with AttnViz's own forward of the same checkpoint.

usage: export_fixture_attention.py OUT_DIR
"""
import json
import math
import os
import struct
import sys
import types

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools", "export"))
sys.path.insert(0, os.path.join(ROOT, "tools", "fixtures"))
import attnviz_export as ax  # noqa: E402
from make_model_fixtures import layer_norm, split_heads, merge_heads, attention  # noqa: E402

CASE = os.path.join(ROOT, "tests", "data", "models", "gpt2")


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        assert e["dtype"] == "F32"
        out[name.removeprefix("transformer.")] = torch.from_numpy(np.frombuffer(data[8 + n + b:8 + n + end], dtype="<f4").copy()
                                     .reshape(e["shape"])).double()
    return out


def gpt2_attentions(w, config, ids):
    """GPT-2's published forward (pre-norm blocks, Conv1D weights (in, out)); the maps of every layer."""
    H, d = config["n_head"], config["n_embd"]
    T = len(ids)
    x = w["wte.weight"][ids] + w["wpe.weight"][:T]
    mask = torch.tril(torch.ones(T, T, dtype=torch.bool))
    maps = []
    for l in range(config["n_layer"]):
        h = "h.%d." % l
        xn = layer_norm(x, w[h + "ln_1.weight"], w[h + "ln_1.bias"], config["layer_norm_epsilon"])
        q, k, v = (split_heads(p, H) for p in (xn @ w[h + "attn.c_attn.weight"] + w[h + "attn.c_attn.bias"]).split(d, 1))
        a, o = attention(q, k, v, mask)
        maps.append(a.unsqueeze(0))  # (1, heads, T, T) as transformers returns it
        x = x + merge_heads(o) @ w[h + "attn.c_proj.weight"] + w[h + "attn.c_proj.bias"]
        hn = layer_norm(x, w[h + "ln_2.weight"], w[h + "ln_2.bias"], config["layer_norm_epsilon"])
        m = hn @ w[h + "mlp.c_fc.weight"] + w[h + "mlp.c_fc.bias"]
        m = 0.5 * m * (1 + torch.tanh(math.sqrt(2 / math.pi) * (m + 0.044715 * m ** 3)))
        x = x + m @ w[h + "mlp.c_proj.weight"] + w[h + "mlp.c_proj.bias"]
    return tuple(maps)


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    config = json.load(open(os.path.join(CASE, "config.json")))
    ids = json.load(open(os.path.join(CASE, "expected.json")))["ids"]
    w = read_safetensors(os.path.join(CASE, "model.safetensors"))
    outputs = types.SimpleNamespace(attentions=gpt2_attentions(w, config, ids))
    cfg = types.SimpleNamespace(name_or_path="gpt2 fixture", **config)
    tokens = [ax.token("t%d" % i, id=i) for i in ids]
    ax.export_transformers_outputs(outputs, cfg, tokens, os.path.join(out_dir, "gpt2-f32.attention.safetensors"),
                                   dtype="f32")
    ax.export_transformers_outputs(outputs, cfg, tokens, os.path.join(out_dir, "gpt2-heads-f16.attention.safetensors"),
                                   heads=[(1, 2), (0, 3), (1, 0)])
    ax.export_transformers_outputs(outputs, cfg, tokens, os.path.join(out_dir, "gpt2-top3.attention.safetensors"),
                                   dtype="f32", top_k=3)
    print("wrote attention files to", out_dir)


if __name__ == "__main__":
    sys.exit(main())
