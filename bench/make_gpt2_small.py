#!/usr/bin/env python3
"""Writes a GPT-2-small-shaped checkpoint with random weights in the Hugging Face layout.

12 layers, 12 heads, d_model 768, vocab 50257, 1024 positions; float32 safetensors with the bare
tensor names of the `gpt2` checkpoint (wte.weight, h.0.attn.c_attn.weight, ...) and a
config.json. Random weights make the timing meaningful (the same FLOPs as the real model) without
needing a download. Usage: /usr/bin/python3 bench/make_gpt2_small.py OUT_DIR
"""
import json
import pathlib
import struct
import sys

import numpy as np

LAYERS, HEADS, D, VOCAB, POSITIONS = 12, 12, 768, 50257, 1024
SEED = 1234


def tensors():
    rng = np.random.default_rng(SEED)

    def normal(*shape, std=0.02):
        return (rng.standard_normal(shape, dtype=np.float32) * std).astype(np.float32)

    out = {"wte.weight": normal(VOCAB, D), "wpe.weight": normal(POSITIONS, D, std=0.01)}
    for i in range(LAYERS):
        p = f"h.{i}."
        out[p + "ln_1.weight"] = np.ones(D, np.float32)
        out[p + "ln_1.bias"] = np.zeros(D, np.float32)
        out[p + "attn.c_attn.weight"] = normal(D, 3 * D)  # Conv1D layout: (in, out)
        out[p + "attn.c_attn.bias"] = normal(3 * D)
        out[p + "attn.c_proj.weight"] = normal(D, D)
        out[p + "attn.c_proj.bias"] = normal(D)
        out[p + "ln_2.weight"] = np.ones(D, np.float32)
        out[p + "ln_2.bias"] = np.zeros(D, np.float32)
        out[p + "mlp.c_fc.weight"] = normal(D, 4 * D)
        out[p + "mlp.c_fc.bias"] = normal(4 * D)
        out[p + "mlp.c_proj.weight"] = normal(4 * D, D)
        out[p + "mlp.c_proj.bias"] = normal(D)
    out["ln_f.weight"] = np.ones(D, np.float32)
    out["ln_f.bias"] = np.zeros(D, np.float32)
    return out


def write_safetensors(path, named):
    header, offset = {}, 0
    for name, array in named.items():
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)  # align the data start to 8 bytes
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for array in named.values():
            f.write(np.ascontiguousarray(array).tobytes())


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "bench/models/gpt2-small-random")
    if (out / "model.safetensors").exists():
        print(f"{out} exists")
        return
    out.mkdir(parents=True, exist_ok=True)
    config = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "n_layer": LAYERS, "n_head": HEADS,
              "n_embd": D, "vocab_size": VOCAB, "n_positions": POSITIONS, "n_ctx": POSITIONS,
              "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new", "bos_token_id": 50256,
              "eos_token_id": 50256, "torch_dtype": "float32"}
    (out / "config.json").write_text(json.dumps(config, indent=2))
    write_safetensors(out / "model.safetensors", tensors())
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
