"""The same weights as a fixture GGUF, as a Hugging Face folder (config.json + model.safetensors in
HF tensor names), so AttnViz's GGUF path can be compared with its safetensors path.

Undoes what the converter did (make_gguf_fixtures.py's docstring): the llama Q/K permutation, the
+1 of Gemma's norms, the transposition of GPT-2's Conv1D weights; drops what HF does not store
(rope_freqs.weight, which config.json's rope_scaling describes, and GPT-2's copied output.weight).
The safetensors file is written by tools/fixtures/make_model_fixtures.py's writer.
"""
import json
import struct
import os
import sys

import numpy as np

# GGUF block tensor -> HF module under model.layers.<il>. (Llama-like families)
_LAYER_NAMES = {
    "attn_norm": "input_layernorm", "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj",
    "attn_v": "self_attn.v_proj", "attn_output": "self_attn.o_proj", "attn_q_norm": "self_attn.q_norm",
    "attn_k_norm": "self_attn.k_norm", "attn_qkv": "self_attn.qkv_proj", "ffn_gate": "mlp.gate_proj",
    "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj", "ffn_norm": "post_attention_layernorm",
}
_GEMMA_LAYER_NAMES = dict(_LAYER_NAMES, ffn_norm="pre_feedforward_layernorm",
                          post_attention_norm="post_attention_layernorm", post_ffw_norm="post_feedforward_layernorm")
_PHI3_LAYER_NAMES = dict(_LAYER_NAMES, ffn_up="mlp.gate_up_proj")
_GPT2_LAYER_NAMES = {"attn_norm": "ln_1", "attn_qkv": "attn.c_attn", "attn_output": "attn.c_proj",
                     "ffn_norm": "ln_2", "ffn_up": "mlp.c_fc", "ffn_down": "mlp.c_proj"}
_TOP_NAMES = {"token_embd": "model.embed_tokens", "output_norm": "model.norm", "output": "lm_head"}
_GPT2_TOP_NAMES = {"token_embd": "transformer.wte", "position_embd": "transformer.wpe", "output_norm": "transformer.ln_f"}


def llama_unpermute(w, n_heads):
    """Inverse of LlamaModel.permute: per head, interleaved rows back to [0..d/2) + [d/2..d)."""
    return w.reshape(n_heads, w.shape[0] // n_heads // 2, 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def _hf_name(arch, gguf_name):
    """HF name of a GGUF tensor, or None when HF does not store it."""
    stem, suffix = gguf_name.rsplit(".", 1)
    if stem.startswith("blk."):
        _, il, part = stem.split(".", 2)
        if arch == "gpt2":
            return f"transformer.h.{il}.{_GPT2_LAYER_NAMES[part]}.{suffix}"
        names = {"gemma2": _GEMMA_LAYER_NAMES, "gemma3": _GEMMA_LAYER_NAMES, "phi3": _PHI3_LAYER_NAMES}.get(arch, _LAYER_NAMES)
        return f"model.layers.{il}.{names[part]}.{suffix}"
    top = _GPT2_TOP_NAMES if arch == "gpt2" else _TOP_NAMES
    return f"{top[stem]}.{suffix}" if stem in top else None


def _hf_array(fixture, gguf_name, array):
    arch, part = fixture.arch, gguf_name.rsplit(".", 2)[-2]
    if arch == "llama" and gguf_name.endswith(("attn_q.weight", "attn_k.weight")):
        heads = fixture.hf_config["num_attention_heads" if part == "attn_q" else "num_key_value_heads"]
        return llama_unpermute(array, heads)
    if arch in ("gemma", "gemma2", "gemma3") and gguf_name.endswith("norm.weight"):
        return array - np.float32(1.0)
    if arch == "gpt2" and array.ndim == 2 and part in ("attn_qkv", "attn_output", "ffn_up", "ffn_down"):
        return np.ascontiguousarray(array.T)
    return array


def write_safetensors(path, tensors):
    """safetensors: an 8-byte little-endian header length, a JSON header giving each tensor's
    dtype, shape and byte range, then the raw data (F32 here)."""
    header, offset = {}, 0
    for name, array in tensors.items():
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for array in tensors.values():
            f.write(array.astype("<f4").tobytes())


def write_hf_folder(fixture, folder):
    tensors = {}
    for gguf_name, array in fixture.arrays:
        name = _hf_name(fixture.arch, gguf_name)
        if name is not None:
            tensors[name] = np.ascontiguousarray(_hf_array(fixture, gguf_name, array), dtype=np.float32)
    os.makedirs(folder, exist_ok=True)
    write_safetensors(os.path.join(folder, "model.safetensors"), dict(sorted(tensors.items())))
    with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as f:
        json.dump(fixture.hf_config, f, indent=2)
        f.write("\n")
