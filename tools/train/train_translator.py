"""Train the built-in BART-architecture encoder-decoder ("translator").

Task: English word-order reversal.  Input: a sequence of 3-12 lowercase corpus
words, each of which is ONE token of the shared tokenizer (" word");
output: the same words in reverse order.  Because every word is one token,
the alignment is exact: target word k (0-based) comes from source word n-1-k.
"""
import json
import math
import os
import re
import shutil
import sys
import time
from collections import Counter

import numpy as np
import torch
import torch.nn.functional as F

import common
import prepare
from models import Bart, BART_POS_OFFSET

NAME = "translator"
SEED = 777
BATCH = 64
STEPS = int(os.environ.get("ATTNVIZ_STEPS", 2000))
LR = 1e-3
MIN_W, MAX_W, N_WORDS = 3, 12, 1500
REF_TEXT = "the animal did not cross the street because it was too old"
CFG = {"model_type": "bart", "architectures": ["BartForConditionalGeneration"], "d_model": 128,
       "encoder_layers": 2, "decoder_layers": 2, "encoder_attention_heads": 4,
       "decoder_attention_heads": 4, "encoder_ffn_dim": 512, "decoder_ffn_dim": 512,
       "max_position_embeddings": 64, "activation_function": "gelu", "normalize_before": False,
       "add_final_layer_norm": False, "scale_embedding": False, "normalize_embedding": True,
       "static_position_embeddings": False, "add_bias_logits": False, "dropout": 0.0,
       "attention_dropout": 0.0, "activation_dropout": 0.0, "tie_word_embeddings": True,
       "is_encoder_decoder": True, "init_std": 0.02, "torch_dtype": "float16"}


def word_list(tok, texts):
    """The N_WORDS most frequent lowercase corpus words that are single tokens."""
    c = Counter(w for d in texts for s in d for w in re.findall(r"[a-z]+", s.lower()))
    out = []
    for w, _ in c.most_common():
        ids = tok.encode(" " + w)
        if len(ids) == 1:
            out.append((w, ids[0]))
        if len(out) == N_WORDS:
            break
    return out


def sample_source(rng, texts, vocab):
    """Half: in-list words of a real corpus sentence (a window); half: uniform random words."""
    n = int(rng.integers(MIN_W, MAX_W + 1))
    if rng.random() < 0.5:
        for _ in range(20):
            d = texts[rng.integers(len(texts))]
            ws = [w for w in re.findall(r"[a-z]+", d[rng.integers(len(d))].lower()) if w in vocab]
            if len(ws) >= MIN_W:
                s = int(rng.integers(0, max(1, len(ws) - n + 1)))
                return ws[s:s + n]
    keys = list(vocab)
    return [keys[i] for i in rng.integers(0, len(keys), n)]


def encode_pair(words, vocab, sp):
    src = [sp["bos"]] + [vocab[w] for w in words] + [sp["eos"]]
    tgt = [vocab[w] for w in reversed(words)]
    return src, [sp["bos"]] + tgt, tgt + [sp["eos"]]


def collate(pairs, pad):
    S = max(len(p[0]) for p in pairs)
    T = max(len(p[1]) for p in pairs)
    src = torch.full((len(pairs), S), pad)
    msk = torch.zeros((len(pairs), S), dtype=torch.long)
    dec = torch.full((len(pairs), T), pad)
    lab = torch.full((len(pairs), T), -100)
    for b, (s, d, l) in enumerate(pairs):
        src[b, :len(s)] = torch.tensor(s)
        msk[b, :len(s)] = 1
        dec[b, :len(d)] = torch.tensor(d)
        lab[b, :len(l)] = torch.tensor(l)
    return src, msk, dec, lab


def greedy(model, src, msk, max_len, sp):
    with torch.no_grad():
        enc, _ = model.encode(src, msk)
        out = torch.full((src.shape[0], 1), sp["bos"])
        for _ in range(max_len):
            lg, _, _ = model.decode(out, enc, msk)
            out = torch.cat([out, lg[:, -1].argmax(-1, keepdim=True)], 1)
    return out[:, 1:]


def evaluate(model, pairs, sp, cfg):
    """Exact match (greedy) and per-head cross-attention alignment accuracy."""
    L, H = cfg["decoder_layers"], cfg["decoder_attention_heads"]
    exact, hits, n_tgt = 0, np.zeros((L, H)), 0
    for i in range(0, len(pairs), 100):
        chunk = pairs[i:i + 100]
        src, msk, dec, lab = collate(chunk, sp["pad"])
        gen = greedy(model, src, msk, dec.shape[1], sp)
        with torch.no_grad():
            _, _, _, cross = model(src, msk, dec)
        for b, (s, d, l) in enumerate(chunk):
            g = gen[b].tolist()
            exact += g[:len(l)] == l
            n = len(s) - 2
            for k in range(n):  # decoder query k predicts target word k
                n_tgt += 1
                for li in range(L):
                    hits[li] += (cross[li][b, :, k].argmax(-1) == 1 + (n - 1 - k)).numpy()
    return exact / len(pairs), (hits / n_tgt).tolist(), n_tgt


def main():
    common.fast_runtime()
    common.seed_all(SEED)
    tok, data = prepare.load()
    V = len(tok)
    sp = {"bos": tok.special("<s>"), "eos": tok.special("</s>"), "pad": tok.special("[PAD]")}
    cfg = dict(CFG, vocab_size=V, bos_token_id=sp["bos"], eos_token_id=sp["eos"],
               pad_token_id=sp["pad"], decoder_start_token_id=sp["bos"], forced_bos_token_id=None,
               forced_eos_token_id=None)
    vocab = dict(word_list(tok, data["train_text"]))
    model = Bart(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, betas=(0.9, 0.98), weight_decay=0.01)
    sched = lambda s: min(1.0, (s + 1) / 200) * 0.5 * (1 + math.cos(math.pi * s / STEPS))
    rng = np.random.default_rng(SEED)
    t0 = time.time()
    out = os.path.join(common.MODELS_DIR, NAME)
    eval_only = "--eval-only" in sys.argv  # recompute metrics/card from shipped weights
    for step in range(0 if eval_only else STEPS):
        for g in opt.param_groups:
            g["lr"] = LR * sched(step)
        pairs = [encode_pair(sample_source(rng, data["train_text"], vocab), vocab, sp) for _ in range(BATCH)]
        src, msk, dec, lab = collate(pairs, sp["pad"])
        logits, _, _, _ = model(src, msk, dec)
        loss = F.cross_entropy(logits.reshape(-1, V), lab.reshape(-1), ignore_index=-100)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 200 == 0 or step == STEPS - 1:
            print(f"step {step} loss {loss.item():.3f} {time.time() - t0:.0f}s", flush=True)
    train_s = common.load_weights(model, out) if eval_only else time.time() - t0
    model.eval()

    os.makedirs(out, exist_ok=True)
    tensors = common.export_model(model, out)
    common.write_json(os.path.join(out, "config.json"), cfg)
    shutil.copy(os.path.join(common.WORK, "tokenizer.json"), os.path.join(out, "tokenizer.json"))

    vrng = np.random.default_rng(2024)  # held-out: val-document sentences + fresh random words
    held = [encode_pair(sample_source(vrng, data["val_text"], vocab), vocab, sp) for _ in range(1000)]
    exact, align, n_tgt = evaluate(model, held, sp, cfg)
    words = [w for w in REF_TEXT.split() if w in vocab]
    src, d, lab = encode_pair(words, vocab, sp)
    s_t, m_t = torch.tensor([src]), torch.ones(1, len(src), dtype=torch.long)
    gen = greedy(model, s_t, m_t, len(lab), sp)[0].tolist()
    with torch.no_grad():
        logits, ea, da, ca = model(s_t, m_t, torch.tensor([d]))
    enc_stats = [[{"previous_token": common.previous_token(a), "first_token": common.first_token(a),
                   "duplicate_token": common.duplicate_token(a, src), "entropy": common.entropy(a)}
                  for a in layer[0].numpy()] for layer in ea]
    dec_stats = [[{"previous_token": common.previous_token(a), "first_token": common.first_token(a),
                   "duplicate_token": common.duplicate_token(a, d), "entropy": common.entropy(a)}
                  for a in layer[0].numpy()] for layer in da]
    best = max((a, li, h) for li, row in enumerate(align) for h, a in enumerate(row))
    metrics = {"model": NAME, "train_seconds": round(train_s, 1), "steps": STEPS,
               "examples_seen": STEPS * BATCH, "word_list_size": len(vocab),
               "heldout_examples": len(held), "heldout_exact_match": exact,
               "alignment_target_tokens": n_tgt, "cross_attention_alignment": align,
               "best_alignment_head": {"score": best[0], "layer": best[1], "head": best[2]},
               "alignment_definition": "teacher-forced decoder input [<s>] + reversed words; for target "
                   "word k (0-based, </s> excluded) the decoder query is position k (the one that predicts "
                   "it); the aligned encoder key is position 1 + (n - 1 - k) (position 0 is <s>); a head "
                   "hits when argmax over keys of its cross-attention row equals that position",
               "reference_text": " ".join(words), "reference_src_ids": src, "reference_greedy_ids": gen,
               "encoder_layers": enc_stats, "decoder_layers": dec_stats}
    common.write_json(os.path.join(out, "metrics.json"), metrics)
    lg = logits[0].numpy()
    top = [np.argsort(-lg[i])[:5] for i in range(lg.shape[0])]
    ref = {"input_ids": src, "attention_mask": [1] * len(src), "decoder_input_ids": d,
           "labels": lab, "greedy_output_ids": gen,
           "note": "BART forward, teacher-forced, stored f16 weights upcast to f32",
           "encoder_self_layer0_head0": common.rounded(ea[0][0, 0].numpy()),
           "decoder_self_layer0_head0": common.rounded(da[0][0, 0].numpy()),
           "cross_layer0_head0": common.rounded(ca[0][0, 0].numpy()),
           f"cross_layer{cfg['decoder_layers'] - 1}_head{cfg['decoder_attention_heads'] - 1}":
               common.rounded(ca[-1][0, -1].numpy()),
           "top5_per_decoder_position": [{"ids": t.tolist(), "logits": common.rounded(lg[i][t])}
                                         for i, t in enumerate(top)]}
    common.write_json(os.path.join(out, "reference.json"), ref, indent=None)
    import cards
    common.write_text(os.path.join(out, "MODEL_CARD.md"), cards.translator_card(cfg, metrics, tensors, tok))
    print(json.dumps({k: v for k, v in metrics.items() if not k.endswith("_layers")}, indent=1))


if __name__ == "__main__":
    main()
