#!/usr/bin/python3
"""Writes a random-weight model of Llama-3.2-1B's shape for the benchmark (not for ctest: 2.5 GB):
hidden 2048, 16 layers, 32 heads of 64, 8 KV heads, FFN 8192, vocabulary 128256, tied
embeddings, RoPE base 500000 with llama3 scaling (rope_freqs.weight: factor 32, low 1, high 4,
original context 8192), context 131072, RMSNorm eps 1e-5; 2-D weights F16, norms F32, as the
converter writes an F16 GGUF. The vocabulary is the fixtures' small byte-level BPE padded to
128256 with [PAD<i>] tokens (as the converter pads missing ids), Llama 3's special tokens at
128000..128255.

    /usr/bin/python3 tools/gguf/make_llama32_1b_shaped.py [--out bench/models]

writes llama32-1b-shaped-f16.gguf, one tensor at a time (each from its own seed), so memory stays
at about one tensor. The Q/K permutation of the converter is left out: it only reorders rows of
random matrices. Quantise it with llamacpp_reference (tools/llamacpp/README.md).
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture_vocab as fv  # noqa: E402
from gguf_writer import GGMLType, ValueType  # noqa: E402
from make_gguf_fixtures import Fixture, llama3_rope_factors  # noqa: E402

N_EMBD, N_LAYER, N_HEAD, N_HEAD_KV, HEAD_DIM, N_FF, N_VOCAB, N_CTX = 2048, 16, 32, 8, 64, 8192, 128256, 131072
ROPE_BASE = 500000.0


def vocabulary():
    base = fv.bpe_vocab("llama-bpe", [])
    tokens, types = list(base.tokens), list(base.token_types)
    tokens += [f"[PAD{i}]" for i in range(len(tokens), 128000)]
    types += [fv.UNUSED] * (128000 - len(types))
    specials = ["<|begin_of_text|>", "<|end_of_text|>"] + [f"<|reserved_special_token_{i}|>" for i in range(254)]
    return fv.Vocab("gpt2", "llama-bpe", tokens + specials, types + [fv.CONTROL] * len(specials), merges=base.merges)


class Producer:
    """Tensors made only when the writer reaches them, each from its own seed."""

    def __init__(self):
        self.count = 0

    def normal(self, shape, std):
        self.count += 1
        seed = 2024 + self.count

        def make():
            rng = np.random.default_rng(seed)
            return (std * rng.standard_normal(shape, dtype=np.float32)).astype(np.float16)
        return make

    def norm(self, n):
        self.count += 1
        seed = 2024 + self.count
        return lambda: (1.0 + 0.1 * np.random.default_rng(seed).standard_normal(n, dtype=np.float32)).astype(np.float32)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                                      "bench", "models"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    vocab = vocabulary()
    fx = Fixture("llama32-1b-shaped-f16", "llama", N_LAYER)
    for key, value in (("block_count", N_LAYER), ("context_length", N_CTX), ("embedding_length", N_EMBD),
                       ("feed_forward_length", N_FF), ("attention.head_count", N_HEAD),
                       ("attention.head_count_kv", N_HEAD_KV), ("attention.key_length", HEAD_DIM),
                       ("attention.value_length", HEAD_DIM), ("vocab_size", N_VOCAB),
                       ("rope.dimension_count", HEAD_DIM)):
        fx.key(key, value)
    fx.key("rope.freq_base", ROPE_BASE, ValueType.FLOAT32)
    fx.key("attention.layer_norm_rms_epsilon", 1e-5, ValueType.FLOAT32)
    fx.vocab(vocab, "<|begin_of_text|>", "<|end_of_text|>", add_bos=True)
    p, w, f16 = Producer(), fx.w, GGMLType.F16
    w.add_tensor("token_embd.weight", p.normal((N_VOCAB, N_EMBD), 0.02), shape=(N_VOCAB, N_EMBD), dtype=f16)
    w.add_tensor("output_norm.weight", p.norm(N_EMBD), shape=(N_EMBD,))
    w.add_tensor("rope_freqs.weight", llama3_rope_factors(ROPE_BASE, HEAD_DIM, 32.0, 1.0, 4.0, 8192))
    shapes = (("attn_q.weight", (N_HEAD * HEAD_DIM, N_EMBD)), ("attn_k.weight", (N_HEAD_KV * HEAD_DIM, N_EMBD)),
              ("attn_v.weight", (N_HEAD_KV * HEAD_DIM, N_EMBD)), ("attn_output.weight", (N_EMBD, N_HEAD * HEAD_DIM)),
              ("ffn_gate.weight", (N_FF, N_EMBD)), ("ffn_up.weight", (N_FF, N_EMBD)),
              ("ffn_down.weight", (N_EMBD, N_FF)))
    for il in range(N_LAYER):
        w.add_tensor(f"blk.{il}.attn_norm.weight", p.norm(N_EMBD), shape=(N_EMBD,))
        w.add_tensor(f"blk.{il}.ffn_norm.weight", p.norm(N_EMBD), shape=(N_EMBD,))
        for name, shape in shapes:
            w.add_tensor(f"blk.{il}.{name}", p.normal(shape, 0.02), shape=shape, dtype=f16)
    fx.write(args.out, file_type=1)
    print(os.path.normpath(os.path.join(args.out, fx.name + ".gguf")))


if __name__ == "__main__":
    main()
