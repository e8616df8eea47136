"""GGUF files AttnViz must refuse with a message naming what is wrong: each a copy of a valid
fixture (make_gguf_fixtures.py) with one change that AttnViz cannot compute exactly or that
makes the file inconsistent. write_refused(out_dir) writes them to OUT/refused/<case>.gguf and
OUT/refused/expected.tsv: one line per case, the file name and a text the error must contain.
"""
import os

import numpy as np

from gguf_writer import ValueType

IQ2_XXS = 16  # ggml type id: a block of 256 values in 66 bytes, which AttnViz does not decode


def _replace_key(fx, key, value, vtype):
    fx.w.remove(key)
    fx.w.add(key, value, vtype)


def _cases(make_llama, make_phi3):
    """(name, expected text, fixture) for every refusal."""
    out = []

    fx = make_llama()
    fx.w.remove("general.architecture")
    fx.w.add_string("general.architecture", "mamba")
    out.append(("unknown-architecture", 'GGUF architecture "mamba" is not supported', fx))

    fx = make_llama()
    fx.key("expert_count", 8)
    out.append(("mixture-of-experts", "llama.expert_count", fx))

    fx = make_llama()
    fx.w.remove("llama.attention.head_count_kv")
    fx.w.add_array("llama.attention.head_count_kv", [2, 2], ValueType.UINT32)
    out.append(("per-layer-kv-heads", "llama.attention.head_count_kv", fx))

    fx = make_llama()
    fx.key("rope.scaling.type", "yarn", ValueType.STRING)
    fx.key("rope.scaling.factor", 4.0, ValueType.FLOAT32)
    out.append(("yarn-rope", "llama.rope.scaling.type", fx))

    fx = make_llama()
    _replace_key(fx, "llama.rope.dimension_count", 32, ValueType.UINT32)
    out.append(("partial-rotary", "llama.rope.dimension_count", fx))

    fx = make_llama()
    fx.w.remove("llama.embedding_length")
    out.append(("no-width", "llama.embedding_length", fx))

    fx = make_llama()  # Q stored (in, out) instead of (out, in)
    q = next(a for n, a in fx.arrays if n == "blk.0.attn_q.weight")
    fx.w.remove_tensor("blk.0.attn_q.weight")
    fx.w.add_tensor("blk.0.attn_q.weight", np.ascontiguousarray(q[:128, :].T))
    out.append(("wrong-shape", "blk.0.attn_q.weight", fx))

    fx = make_llama()  # an FFN matrix in a type AttnViz does not decode
    gate = next(a for n, a in fx.arrays if n == "blk.1.ffn_gate.weight")
    fx.w.remove_tensor("blk.1.ffn_gate.weight")
    fx.w.add_raw_tensor("blk.1.ffn_gate.weight", gate.shape, IQ2_XXS, bytes(gate.size // 256 * 66))
    out.append(("unsupported-type", "IQ2_XXS", fx))

    fx = make_llama()  # a broken norm: one NaN gain
    norm = next(a for n, a in fx.arrays if n == "blk.0.ffn_norm.weight").copy()
    norm[3] = np.nan
    fx.w.remove_tensor("blk.0.ffn_norm.weight")
    fx.w.add_tensor("blk.0.ffn_norm.weight", norm)
    out.append(("nan-norm", "blk.0.ffn_norm.weight", fx))

    fx = make_phi3()  # Phi-3 128k's LongRoPE factors
    fx.w.add_tensor("rope_factors_long.weight", np.ones(32, dtype=np.float32))
    out.append(("longrope", "rope_factors_long.weight", fx))
    return out


def write_refused(out_dir, make_llama, make_phi3):
    folder = os.path.join(out_dir, "refused")
    os.makedirs(folder, exist_ok=True)
    lines = []
    for name, expected, fx in _cases(make_llama, make_phi3):
        fx.name = name
        fx.write(folder)
        lines.append(f"{name}.gguf\t{expected}\n")
    with open(os.path.join(folder, "expected.tsv"), "w", encoding="utf-8") as f:
        f.write("".join(lines))
