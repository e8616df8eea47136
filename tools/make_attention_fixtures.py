#!/usr/bin/env python3
"""Reference fixtures for the core's multi-head attention, computed with PyTorch.

Run with Debian's interpreter, which has python3-torch:
    /usr/bin/python3 tools/make_attention_fixtures.py
It writes tests/data/attention/torch_reference.json. The C++ test (test_attention_reference)
reads the inputs from that file, runs the core and compares with torch's numbers within 1e-5.
The maths here is torch's own (matmul, softmax, masked_fill), independent of the C++ code.
"""
import json
import math
import pathlib

import torch

SEED = 20261123
OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "attention" / "torch_reference.json"

# (name, T, S, d_model, heads, d_k, d_v, d_out or None, mask kind, scale)
CASES = [
    ("self_none_scaled", 5, 5, 8, 2, 4, 4, 8, "none", True),
    ("self_causal_wo", 7, 7, 12, 3, 4, 5, 6, "causal", True),
    ("self_causal_unscaled", 6, 6, 6, 2, 3, 3, None, "causal", False),
    ("cross_s_ne_t", 4, 9, 10, 4, 3, 2, 10, "none", True),
    ("padding", 6, 6, 8, 2, 4, 4, 8, "padding", True),
    ("custom_with_empty_row", 5, 6, 8, 2, 4, 3, None, "custom", True),
    ("large_logits", 4, 4, 4, 1, 4, 4, None, "none", True),
]


def rows(t):
    return [[float(x) for x in r] for r in t.tolist()]


def make_mask(kind, t, s, gen):
    if kind == "none":
        return torch.ones(t, s, dtype=torch.bool)
    if kind == "causal":
        offset = s - t
        return torch.tensor([[j <= i + offset for j in range(s)] for i in range(t)])
    if kind == "padding":
        valid = torch.ones(s, dtype=torch.bool)
        valid[-2:] = False
        return valid.unsqueeze(0).expand(t, s).clone()
    m = torch.rand(t, s, generator=gen) > 0.4
    m[1, :] = False  # one query that may attend to nothing: expect an all-zero row
    return m


def attend(x, src, w, mask, scale):
    q, k, v = x @ w["wq"], src @ w["wk"], src @ w["wv"]
    scores = q @ k.T
    scaled = scores / math.sqrt(q.shape[1]) if scale else scores
    logits = scaled.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(logits, dim=-1)
    weights = torch.nan_to_num(weights, nan=0.0)  # fully masked rows: softmax gives NaN, we want 0
    return q, k, v, scores, scaled, weights, weights @ v


def main():
    gen = torch.Generator().manual_seed(SEED)
    cases = []
    for name, t, s, d, h, dk, dv, dout, mask_kind, scale in CASES:
        x = torch.randn(t, d, generator=gen, dtype=torch.float64)
        cross = s != t or name.startswith("cross")
        src = torch.randn(s, d, generator=gen, dtype=torch.float64) if cross else x
        if name == "large_logits":
            x = x * 40.0
            src = x
        heads = [{k: torch.randn(d, n, generator=gen, dtype=torch.float64) for k, n in
                  (("wq", dk), ("wk", dk), ("wv", dv))} for _ in range(h)]
        wo = torch.randn(h * dv, dout, generator=gen, dtype=torch.float64) if dout else None
        mask = make_mask(mask_kind, t, s, gen)
        # Round inputs to float32 first so both sides start from the same numbers.
        x, src = x.float().double(), src.float().double()
        heads = [{k: m.float().double() for k, m in hw.items()} for hw in heads]
        wo = wo.float().double() if wo is not None else None
        out_heads = []
        for hw in heads:
            q, k, v, scores, scaled, weights, out = attend(x, src, hw, mask, scale)
            out_heads.append({"wq": rows(hw["wq"]), "wk": rows(hw["wk"]), "wv": rows(hw["wv"]),
                              "q": rows(q), "k": rows(k), "v": rows(v), "scores": rows(scores),
                              "scaled": rows(scaled), "weights": rows(weights), "output": rows(out)})
        concat = torch.cat([torch.tensor(hh["output"], dtype=torch.float64) for hh in out_heads], dim=1)
        final = concat @ wo if wo is not None else concat
        cases.append({"name": name, "scale": scale, "mask": [[int(b) for b in r] for r in mask.tolist()],
                      "x": rows(x), "source": rows(src), "heads": out_heads,
                      "wo": rows(wo) if wo is not None else None,
                      "concat": rows(concat), "output": rows(final)})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    provenance = {"script": "tools/make_attention_fixtures.py", "seed": SEED, "torch": torch.__version__,
                  "precision": "inputs rounded to float32, reference computed in float64"}
    OUT.write_text(json.dumps({"provenance": provenance, "cases": cases}))
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
