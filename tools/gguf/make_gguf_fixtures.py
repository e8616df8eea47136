#!/usr/bin/python3
"""Writes small random-weight F32 GGUF files, one or more per architecture AttnViz opens, with the
tensor names, shapes, metadata keys and value types that llama.cpp's convert_hf_to_gguf.py writes
for that architecture (gguf-py's MODEL_TENSORS / LLM_KV names, each model class's
set_gguf_parameters, the tensors llama.cpp's loader requires).

    /usr/bin/python3 tools/gguf/make_gguf_fixtures.py --out DIR

writes DIR/<fixture>.gguf and DIR/manifest.tsv (one line per fixture: name, architecture, layer
count, sliding window (0 = none), one character per layer, 'S' sliding or 'G' global, and the test
text). Every fixture draws from its own fixed seed in a fixed order: reruns give the same bytes.

How the converter's output differs from the Hugging Face checkpoint, reproduced here:
- llama: Q and K rows are permuted per head (LlamaModel.permute). HF's rotary embedding pairs
  dimension i with i + d/2 of each head ("rotate half"); llama.cpp's RoPE for llama pairs 2i with
  2i+1. The converter therefore reorders each head's rows from [0..d/2) + [d/2..d) to interleaved:
  new row 2i = old row i, new row 2i+1 = old row d/2 + i (K with the KV head count).
- llama 3.x with rope_scaling type "llama3": no scaling keys, but a rope_freqs.weight tensor of
  head_dim/2 per-frequency divisors (1 for short wavelengths, `factor` for long ones, smoothly
  interpolated between, from the original context length and low/high frequency factors).
- gemma2 / gemma3: RMSNorm weights are stored as 1 + w (Gemma's norm multiplies by 1 + w).
- gpt2: the Conv1D weights are transposed to (out, in); output.weight is a copy of token_embd.
- phi3: qkv_proj and gate_up_proj stay fused (attn_qkv, ffn_up = gate rows then up rows).
The weights are drawn directly in the stored form (the permutation of random rows is again random
rows), apart from the llama permutation, which is applied to the drawn HF-order rows so the script
shows it.
"""
import argparse
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture_vocab as fv  # noqa: E402
from gguf_writer import GGUFWriter, ValueType  # noqa: E402

N_EMBD, N_HEAD, HEAD_DIM, N_CTX = 256, 4, 64, 256
TEXT = "The quick brown fox jumps over the lazy dog. Attention maps: 1, 22, 333 - \u00fcn\u00efc\u00f6d\u00e9!"


class Weights:
    """Random tensors from one seeded generator, drawn in call order."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)

    def normal(self, shape, std, mean=0.0):
        return (mean + std * self.rng.standard_normal(shape)).astype(np.float32)

    def norm(self, n, mean=1.0):  # a norm's weights: around `mean`
        return self.normal((n,), 0.1, mean)


class Fixture:
    def __init__(self, name, arch, n_layer, window=0, sliding=None):
        self.name, self.arch, self.n_layer, self.window = name, arch, n_layer, window
        self.sliding = sliding or (lambda il: False)
        self.arrays = []  # (GGUF name, array) in writing order, for the HF export
        self.hf_config = {}  # the config.json these weights would have on Hugging Face
        self.w = GGUFWriter()
        self.w.add_string("general.architecture", arch)
        self.w.add_string("general.type", "model")
        self.w.add_string("general.name", f"AttnViz fixture {name}")

    def key(self, suffix, value, vtype=ValueType.UINT32):
        self.w.add(f"{self.arch}.{suffix}", value, vtype)

    def common_keys(self, n_ff, n_head_kv=None, rms_eps=None, ln_eps=None, rope_base=None, head_dim_keys=False):
        """The keys TextModel.set_gguf_parameters writes (those the config has)."""
        self.key("block_count", self.n_layer)
        self.key("context_length", N_CTX)
        self.key("embedding_length", N_EMBD)
        self.key("feed_forward_length", n_ff)
        self.key("attention.head_count", N_HEAD)
        if n_head_kv is not None:
            self.key("attention.head_count_kv", n_head_kv)
        if rope_base is not None:
            self.key("rope.freq_base", rope_base, ValueType.FLOAT32)
        if rms_eps is not None:
            self.key("attention.layer_norm_rms_epsilon", rms_eps, ValueType.FLOAT32)
        if ln_eps is not None:
            self.key("attention.layer_norm_epsilon", ln_eps, ValueType.FLOAT32)
        if head_dim_keys:  # written when config.json has head_dim
            self.key("attention.key_length", HEAD_DIM)
            self.key("attention.value_length", HEAD_DIM)

    def vocab(self, v, bos, eos, add_bos, unk=None, pad=None, add_eos=None, add_space_prefix=None):
        w = self.w
        w.add_string("tokenizer.ggml.model", v.model)
        w.add_string("tokenizer.ggml.pre", v.pre)
        w.add_array("tokenizer.ggml.tokens", v.tokens, ValueType.STRING)
        if v.scores is not None:
            w.add_array("tokenizer.ggml.scores", v.scores, ValueType.FLOAT32)
        w.add_array("tokenizer.ggml.token_type", v.token_types, ValueType.INT32)
        if v.merges is not None:
            w.add_array("tokenizer.ggml.merges", v.merges, ValueType.STRING)
        for key, token in (("bos", bos), ("eos", eos), ("unknown", unk), ("padding", pad)):
            if token is not None:
                w.add_uint32(f"tokenizer.ggml.{key}_token_id", v.id(token))
        w.add_bool("tokenizer.ggml.add_bos_token", add_bos)
        if add_eos is not None:
            w.add_bool("tokenizer.ggml.add_eos_token", add_eos)
        if add_space_prefix is not None:
            w.add_bool("tokenizer.ggml.add_space_prefix", add_space_prefix)

    def tensor(self, name, array):
        self.arrays.append((name, array))
        self.w.add_tensor(name, array)

    def block(self, il, part, array):
        self.tensor(f"blk.{il}.{part}", array)

    def write(self, out_dir, file_type=0):  # llama_ftype: 0 all F32, 1 mostly F16
        self.w.add_uint32("general.file_type", file_type)
        self.w.add_uint32("general.quantization_version", 2)
        self.w.write(os.path.join(out_dir, self.name + ".gguf"))
        layers = "".join("S" if self.sliding(il) else "G" for il in range(self.n_layer))
        return f"{self.name}\t{self.arch}\t{self.n_layer}\t{self.window}\t{layers}\t{TEXT}\n"


def hf_config(architecture, model_type, vocab, n_layer, n_ff, n_head_kv, tied, bos, eos, **extra):
    """config.json of a Llama-like family (keys as transformers writes them)."""
    config = {"architectures": [architecture], "model_type": model_type, "vocab_size": len(vocab),
              "hidden_size": N_EMBD, "intermediate_size": n_ff, "num_hidden_layers": n_layer,
              "num_attention_heads": N_HEAD, "num_key_value_heads": n_head_kv, "hidden_act": "silu",
              "max_position_embeddings": N_CTX, "tie_word_embeddings": tied, "attention_bias": False,
              "bos_token_id": vocab.id(bos), "eos_token_id": vocab.id(eos), "torch_dtype": "float32"}
    config.update(extra)
    return config


def llama_permute(w, n_heads):
    """convert_hf_to_gguf's LlamaModel.permute: per head, rows [0..d/2) + [d/2..d) interleaved."""
    return w.reshape(n_heads, 2, w.shape[0] // n_heads // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def llama3_rope_factors(base, dim, factor, low_freq_factor, high_freq_factor, original_context):
    """The rope_freqs.weight llama 3.x GGUFs carry for rope_scaling type llama3."""
    freqs = 1.0 / (base ** (np.arange(0, dim, 2, dtype=np.float64) / dim))
    low_wavelen, high_wavelen = original_context / low_freq_factor, original_context / high_freq_factor
    factors = []
    for freq in freqs:
        wavelen = 2 * math.pi / freq
        if wavelen < high_wavelen:
            factors.append(1.0)
        elif wavelen > low_wavelen:
            factors.append(factor)
        else:
            smooth = (original_context / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
            factors.append(1.0 / ((1 - smooth) / factor + smooth))
    return np.array(factors, dtype=np.float32)


def gated_ffn(fx, wt, il, n_ff):
    fx.block(il, "ffn_gate.weight", wt.normal((n_ff, N_EMBD), 0.05))
    fx.block(il, "ffn_up.weight", wt.normal((n_ff, N_EMBD), 0.05))
    fx.block(il, "ffn_down.weight", wt.normal((N_EMBD, n_ff), 0.05))


def embeddings(fx, wt, n_vocab, tied):
    embd = wt.normal((n_vocab, N_EMBD), 0.5)
    fx.tensor("token_embd.weight", embd)
    fx.tensor("output_norm.weight", wt.norm(N_EMBD))
    if not tied:
        fx.tensor("output.weight", wt.normal((n_vocab, N_EMBD), 0.05))
    return embd


# --- architectures -------------------------------------------------------------------------------

def llama(name, seed, vocab, n_layer, n_head_kv, tied, llama3_rope, bpe):
    fx = Fixture(name, "llama", n_layer)
    wt = Weights(seed)
    n_ff = 512
    rope_base = 500000.0 if llama3_rope else 10000.0
    fx.common_keys(n_ff, n_head_kv=n_head_kv, rms_eps=1e-5, rope_base=rope_base, head_dim_keys=llama3_rope)
    fx.key("vocab_size", len(vocab))
    fx.key("rope.dimension_count", HEAD_DIM)
    bos, eos = ("<|begin_of_text|>", "<|end_of_text|>") if bpe else ("<s>", "</s>")
    if bpe:
        fx.vocab(vocab, bos, eos, add_bos=True)
    else:
        fx.vocab(vocab, bos, eos, add_bos=True, unk="<unk>", add_eos=False)
    scaling = {"rope_scaling": {"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                "original_max_position_embeddings": 8192}, "head_dim": HEAD_DIM} if llama3_rope else {}
    fx.hf_config = hf_config("LlamaForCausalLM", "llama", vocab, n_layer, n_ff, n_head_kv, tied, bos, eos,
                             rms_norm_eps=1e-5, rope_theta=rope_base, **scaling)
    embeddings(fx, wt, len(vocab), tied)
    if llama3_rope:  # Llama 3.2's rope_scaling: factor 32, low 1, high 4, original context 8192
        fx.tensor("rope_freqs.weight", llama3_rope_factors(rope_base, HEAD_DIM, 32.0, 1.0, 4.0, 8192))
    for il in range(n_layer):
        fx.block(il, "attn_norm.weight", wt.norm(N_EMBD))
        q_hf = wt.normal((N_HEAD * HEAD_DIM, N_EMBD), 0.1)
        k_hf = wt.normal((n_head_kv * HEAD_DIM, N_EMBD), 0.1)
        fx.block(il, "attn_q.weight", llama_permute(q_hf, N_HEAD))
        fx.block(il, "attn_k.weight", llama_permute(k_hf, n_head_kv))
        fx.block(il, "attn_v.weight", wt.normal((n_head_kv * HEAD_DIM, N_EMBD), 0.05))
        fx.block(il, "attn_output.weight", wt.normal((N_EMBD, N_HEAD * HEAD_DIM), 0.05))
        fx.block(il, "ffn_norm.weight", wt.norm(N_EMBD))
        gated_ffn(fx, wt, il, n_ff)
    return fx


def qwen(name, arch, seed, vocab, n_layer, tied):
    """qwen2: q/k/v biases; qwen3: per-head q/k RMSNorm (attn_q_norm / attn_k_norm), no biases."""
    fx = Fixture(name, arch, n_layer)
    wt = Weights(seed)
    n_ff, n_head_kv = (512, 2) if arch == "qwen2" else (768, 2)
    fx.common_keys(n_ff, n_head_kv=n_head_kv, rms_eps=1e-6, rope_base=1000000.0, head_dim_keys=arch == "qwen3")
    eos = "<|im_end|>" if arch == "qwen3" else "<|endoftext|>"
    fx.vocab(vocab, "<|endoftext|>", eos, add_bos=False, pad="<|endoftext|>")
    head_dim = {"head_dim": HEAD_DIM} if arch == "qwen3" else {}
    fx.hf_config = hf_config("Qwen2ForCausalLM" if arch == "qwen2" else "Qwen3ForCausalLM", arch, vocab, n_layer, n_ff,
                             n_head_kv, tied, "<|endoftext|>", eos, rms_norm_eps=1e-6, rope_theta=1000000.0,
                             use_sliding_window=False, **head_dim)
    if arch == "qwen2":  # Qwen2's config has no attention_bias: q/k/v always have biases, o_proj never
        del fx.hf_config["attention_bias"]
    embeddings(fx, wt, len(vocab), tied)
    for il in range(n_layer):
        fx.block(il, "attn_norm.weight", wt.norm(N_EMBD))
        for part, rows, std in (("q", N_HEAD, 0.1), ("k", n_head_kv, 0.1), ("v", n_head_kv, 0.05)):
            fx.block(il, f"attn_{part}.weight", wt.normal((rows * HEAD_DIM, N_EMBD), std))
            if arch == "qwen2":
                fx.block(il, f"attn_{part}.bias", wt.normal((rows * HEAD_DIM,), 0.1))
        if arch == "qwen3":
            fx.block(il, "attn_q_norm.weight", wt.norm(HEAD_DIM, mean=1.4))
            fx.block(il, "attn_k_norm.weight", wt.norm(HEAD_DIM, mean=1.4))
        fx.block(il, "attn_output.weight", wt.normal((N_EMBD, N_HEAD * HEAD_DIM), 0.05))
        fx.block(il, "ffn_norm.weight", wt.norm(N_EMBD))
        gated_ffn(fx, wt, il, n_ff)
    return fx


def gemma_attention_inputs(fx, wt, il, n_head_kv):
    """A Gemma layer's input norm and its separate Q, K, V (drawn in this order)."""
    fx.block(il, "attn_norm.weight", wt.norm(N_EMBD))
    fx.block(il, "attn_q.weight", wt.normal((N_HEAD * HEAD_DIM, N_EMBD), 0.1))
    fx.block(il, "attn_k.weight", wt.normal((n_head_kv * HEAD_DIM, N_EMBD), 0.1))
    fx.block(il, "attn_v.weight", wt.normal((n_head_kv * HEAD_DIM, N_EMBD), 0.05))


def gemma(name, arch, seed, vocab, n_layer, window):
    """gemma2: logit softcapping, every other layer sliding (llama.cpp: pattern 2, layer 0 sliding);
    gemma3: q/k norms, five sliding layers then one global (pattern 6), global RoPE base 1e6 (the
    sliding layers' 10000 is built into llama.cpp). Both: post-attention / post-FFN norms, tied
    embeddings, norms stored as 1 + w."""
    pattern = 2 if arch == "gemma2" else 6
    fx = Fixture(name, arch, n_layer, window, sliding=lambda il: il % pattern < pattern - 1)
    wt = Weights(seed)
    n_ff, n_head_kv = (512, 2) if arch == "gemma2" else (768, 2)
    if arch == "gemma2":
        fx.common_keys(n_ff, n_head_kv=n_head_kv, rms_eps=1e-6, head_dim_keys=True)
        fx.key("attn_logit_softcapping", 50.0, ValueType.FLOAT32)
        fx.key("final_logit_softcapping", 30.0, ValueType.FLOAT32)
    else:
        fx.common_keys(n_ff, n_head_kv=n_head_kv, rms_eps=1e-6, rope_base=1000000.0, head_dim_keys=True)
    fx.key("attention.sliding_window", window)
    fx.vocab(vocab, "<bos>", "<eos>", add_bos=True, unk="<unk>", pad="<pad>", add_eos=False, add_space_prefix=False)
    softcaps = {"attn_logit_softcapping": 50.0, "final_logit_softcapping": 30.0} if arch == "gemma2" else \
        {"attn_logit_softcapping": None, "final_logit_softcapping": None, "rope_local_base_freq": 10000.0,
         "sliding_window_pattern": pattern}
    fx.hf_config = hf_config("Gemma2ForCausalLM" if arch == "gemma2" else "Gemma3ForCausalLM",
                             arch if arch == "gemma2" else "gemma3_text", vocab, n_layer, n_ff, n_head_kv, True,
                             "<bos>", "<eos>", head_dim=HEAD_DIM, hidden_activation="gelu_pytorch_tanh",
                             rms_norm_eps=1e-6, rope_theta=10000.0 if arch == "gemma2" else 1000000.0,
                             query_pre_attn_scalar=float(HEAD_DIM), sliding_window=window,
                             pad_token_id=vocab.id("<pad>"), **softcaps)
    del fx.hf_config["hidden_act"]
    embeddings(fx, wt, len(vocab), tied=True)
    for il in range(n_layer):
        gemma_attention_inputs(fx, wt, il, n_head_kv)
        if arch == "gemma3":
            fx.block(il, "attn_q_norm.weight", wt.norm(HEAD_DIM, mean=1.4))
            fx.block(il, "attn_k_norm.weight", wt.norm(HEAD_DIM, mean=1.4))
        fx.block(il, "attn_output.weight", wt.normal((N_EMBD, N_HEAD * HEAD_DIM), 0.05))
        fx.block(il, "post_attention_norm.weight", wt.norm(N_EMBD))
        fx.block(il, "ffn_norm.weight", wt.norm(N_EMBD))
        gated_ffn(fx, wt, il, n_ff)
        fx.block(il, "post_ffw_norm.weight", wt.norm(N_EMBD))
    return fx


def gemma1(name, seed, vocab, n_layer):
    """Gemma (1): Llama's block with GeGLU, norms stored as 1 + w, the embedding scaled by
    sqrt(width), tied embeddings; no soft-capping, sliding window or post norms."""
    fx = Fixture(name, "gemma", n_layer)
    wt = Weights(seed)
    n_ff, n_head_kv = 512, 1  # Gemma 2B's multi-query attention
    fx.common_keys(n_ff, n_head_kv=n_head_kv, rms_eps=1e-6, head_dim_keys=True)
    fx.vocab(vocab, "<bos>", "<eos>", add_bos=True, unk="<unk>", pad="<pad>", add_eos=False, add_space_prefix=False)
    fx.hf_config = hf_config("GemmaForCausalLM", "gemma", vocab, n_layer, n_ff, n_head_kv, True, "<bos>", "<eos>",
                             head_dim=HEAD_DIM, hidden_activation="gelu_pytorch_tanh", rms_norm_eps=1e-6,
                             rope_theta=10000.0, pad_token_id=vocab.id("<pad>"))
    del fx.hf_config["hidden_act"]
    embeddings(fx, wt, len(vocab), tied=True)
    for il in range(n_layer):
        gemma_attention_inputs(fx, wt, il, n_head_kv)
        fx.block(il, "attn_output.weight", wt.normal((N_EMBD, N_HEAD * HEAD_DIM), 0.05))
        fx.block(il, "ffn_norm.weight", wt.norm(N_EMBD))
        gated_ffn(fx, wt, il, n_ff)
    return fx


def phi3(name, seed, vocab, n_layer):
    """Phi3MiniModel: fused qkv and gate|up; sliding_window as in Phi-3-mini's config (2047, which
    llama.cpp reads but does not apply to phi3)."""
    fx = Fixture(name, "phi3", n_layer)
    wt = Weights(seed)
    n_ff, n_head_kv = 512, 2
    fx.key("context_length", N_CTX)
    fx.key("rope.scaling.original_context_length", N_CTX)
    fx.key("embedding_length", N_EMBD)
    fx.key("feed_forward_length", n_ff)
    fx.key("block_count", n_layer)
    fx.key("attention.head_count", N_HEAD)
    fx.key("attention.head_count_kv", n_head_kv)
    fx.key("attention.layer_norm_rms_epsilon", 1e-5, ValueType.FLOAT32)
    fx.key("rope.dimension_count", HEAD_DIM)
    fx.key("rope.freq_base", 10000.0, ValueType.FLOAT32)
    fx.key("attention.sliding_window", 2047)
    fx.vocab(vocab, "<s>", "<|endoftext|>", add_bos=True, unk="<unk>", pad="<|endoftext|>", add_eos=False)
    fx.hf_config = hf_config("Phi3ForCausalLM", "phi3", vocab, n_layer, n_ff, n_head_kv, False, "<s>", "<|endoftext|>",
                             rms_norm_eps=1e-5, rope_theta=10000.0, rope_scaling=None, sliding_window=2047,
                             original_max_position_embeddings=N_CTX)
    embeddings(fx, wt, len(vocab), tied=False)
    for il in range(n_layer):
        fx.block(il, "attn_norm.weight", wt.norm(N_EMBD))
        fx.block(il, "attn_qkv.weight", wt.normal(((N_HEAD + 2 * n_head_kv) * HEAD_DIM, N_EMBD), 0.1))
        fx.block(il, "attn_output.weight", wt.normal((N_EMBD, N_HEAD * HEAD_DIM), 0.05))
        fx.block(il, "ffn_norm.weight", wt.norm(N_EMBD))
        fx.block(il, "ffn_up.weight", wt.normal((2 * n_ff, N_EMBD), 0.05))
        fx.block(il, "ffn_down.weight", wt.normal((N_EMBD, n_ff), 0.05))
    return fx


def gpt2(name, seed, vocab, n_layer):
    """GPT2Model: learned positions, LayerNorm with biases, fused qkv with bias, no GQA keys."""
    fx = Fixture(name, "gpt2", n_layer)
    wt = Weights(seed)
    n_ff = 4 * N_EMBD  # the converter writes 4 * n_embd
    fx.key("block_count", n_layer)
    fx.key("context_length", N_CTX)
    fx.key("embedding_length", N_EMBD)
    fx.key("feed_forward_length", n_ff)
    fx.key("attention.head_count", N_HEAD)
    fx.key("attention.layer_norm_epsilon", 1e-5, ValueType.FLOAT32)
    fx.vocab(vocab, "<|endoftext|>", "<|endoftext|>", add_bos=False)
    fx.hf_config = {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": len(vocab),
                    "n_positions": N_CTX, "n_ctx": N_CTX, "n_embd": N_EMBD, "n_layer": n_layer, "n_head": N_HEAD,
                    "n_inner": None, "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5,
                    "bos_token_id": vocab.id("<|endoftext|>"), "eos_token_id": vocab.id("<|endoftext|>"),
                    "scale_attn_weights": True, "torch_dtype": "float32"}
    embd = wt.normal((len(vocab), N_EMBD), 0.5)
    fx.tensor("token_embd.weight", embd)
    fx.tensor("position_embd.weight", wt.normal((N_CTX, N_EMBD), 0.2))
    fx.tensor("output_norm.weight", wt.norm(N_EMBD))
    fx.tensor("output_norm.bias", wt.normal((N_EMBD,), 0.02))
    fx.tensor("output.weight", embd)  # tied in GPT-2; the converter stores a copy
    for il in range(n_layer):
        fx.block(il, "attn_norm.weight", wt.norm(N_EMBD))
        fx.block(il, "attn_norm.bias", wt.normal((N_EMBD,), 0.02))
        fx.block(il, "attn_qkv.weight", wt.normal((3 * N_EMBD, N_EMBD), 0.1))
        fx.block(il, "attn_qkv.bias", wt.normal((3 * N_EMBD,), 0.05))
        fx.block(il, "attn_output.weight", wt.normal((N_EMBD, N_EMBD), 0.05))
        fx.block(il, "attn_output.bias", wt.normal((N_EMBD,), 0.02))
        fx.block(il, "ffn_norm.weight", wt.norm(N_EMBD))
        fx.block(il, "ffn_norm.bias", wt.normal((N_EMBD,), 0.02))
        fx.block(il, "ffn_up.weight", wt.normal((n_ff, N_EMBD), 0.05))
        fx.block(il, "ffn_up.bias", wt.normal((n_ff,), 0.02))
        fx.block(il, "ffn_down.weight", wt.normal((N_EMBD, n_ff), 0.05))
        fx.block(il, "ffn_down.bias", wt.normal((N_EMBD,), 0.02))
    return fx


# --- vocabularies --------------------------------------------------------------------------------

def llama2_spm():
    return fv.spm_vocab([("<unk>", fv.UNKNOWN), ("<s>", fv.CONTROL), ("</s>", fv.CONTROL)])


def phi3_spm():
    return fv.spm_vocab([("<unk>", fv.UNKNOWN), ("<s>", fv.CONTROL), ("</s>", fv.CONTROL)],
                        trailing=["<|endoftext|>", "<|assistant|>", "<|user|>", "<|end|>"])


def gemma_spm():
    return fv.spm_vocab([("<pad>", fv.CONTROL), ("<eos>", fv.CONTROL), ("<bos>", fv.CONTROL), ("<unk>", fv.UNKNOWN)],
                        trailing=["<start_of_turn>", "<end_of_turn>"])


def fixtures():
    llama3_bpe = fv.bpe_vocab("llama-bpe", ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>"])
    qwen_bpe = fv.bpe_vocab("qwen2", ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
    gpt2_bpe = fv.bpe_vocab("gpt-2", ["<|endoftext|>"])
    return [
        llama("llama3", 101, llama3_bpe, n_layer=2, n_head_kv=2, tied=True, llama3_rope=True, bpe=True),
        llama("llama2", 102, llama2_spm(), n_layer=2, n_head_kv=N_HEAD, tied=False, llama3_rope=False, bpe=False),
        qwen("qwen2", "qwen2", 103, qwen_bpe, n_layer=2, tied=False),
        qwen("qwen3", "qwen3", 104, qwen_bpe, n_layer=2, tied=True),
        gemma1("gemma", 109, gemma_spm(), n_layer=2),
        gemma("gemma2", "gemma2", 105, gemma_spm(), n_layer=3, window=8),
        gemma("gemma3", "gemma3", 106, gemma_spm(), n_layer=6, window=8),
        phi3("phi3", 107, phi3_spm(), n_layer=2),
        gpt2("gpt2", 108, gpt2_bpe, n_layer=2),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="folder for the .gguf files and manifest.tsv")
    parser.add_argument("--hf", help="also write each fixture as a Hugging Face folder HF/<fixture>/ "
                                     "(config.json + model.safetensors)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    lines = []
    os.makedirs(os.path.join(args.out, "split"), exist_ok=True)
    for fx in fixtures():
        lines.append(fx.write(args.out))
        if fx.name == "llama3":  # a split model: the same file as three shards, in split/
            fx.w.write_split(os.path.join(args.out, "split", fx.name), 3)
        if args.hf:
            from hf_export import write_hf_folder
            write_hf_folder(fx, os.path.join(args.hf, fx.name))
    with open(os.path.join(args.out, "manifest.tsv"), "w", encoding="utf-8") as f:
        f.write("".join(lines))
    from refused_fixtures import write_refused
    write_refused(args.out,
                  lambda: llama("llama3", 101, fv.bpe_vocab("llama-bpe", ["<|begin_of_text|>", "<|end_of_text|>",
                                                                         "<|eot_id|>"]),
                                n_layer=2, n_head_kv=2, tied=True, llama3_rope=True, bpe=True),
                  lambda: phi3("phi3", 107, phi3_spm(), n_layer=2))


if __name__ == "__main__":
    main()
