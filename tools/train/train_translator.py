"""Train the built-in BART-architecture English -> Spanish translator.

Data: short everyday English sentences of the corpus, translated by Apertium (pairs.py);
vocabulary: the shared 16k byte-level BPE of English + Spanish (vocab.py).  Held out: the
fixed, seeded 1,000-pair test split.  The card reports chrF and exact match against
Apertium and the cross-attention alignment score (translation_eval.py).
"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

import chrf
import common
import pairs
import translation_eval as ev
import vocab
from models import Bart

NAME = "translator"
SEED = 777
BATCH = 64
STEPS = int(os.environ.get("ATTNVIZ_STEPS", 2000))
LR = 8e-4
WARMUP = 300
LABEL_SMOOTHING = 0.1
MAX_TOKENS = 62  # longest source or target kept for training (max_position_embeddings 128)
# Users type lowercase sentences without a full stop ("the red car is fast"); this share of
# the training sources is shown that way (the target keeps its capital, loses the full stop).
PLAIN_SHARE = 0.3
REF_TEXT = "the red car is fast"
EVERYDAY = ["the red car is fast", "The animal didn't cross the street because it was too tired.",
            "a dog ate dinner", "I like green apples.", "the cat is sleeping", "Where is the station?",
            "My brother has a big house."]
N_SAMPLE = 40  # held-out pairs stored for the C++ test (greedy ids, chrF, alignment)
CFG = {"model_type": "bart", "architectures": ["BartForConditionalGeneration"], "d_model": 256,
       "encoder_layers": 3, "decoder_layers": 3, "encoder_attention_heads": 4,
       "decoder_attention_heads": 4, "encoder_ffn_dim": 1024, "decoder_ffn_dim": 1024,
       "max_position_embeddings": 128, "activation_function": "gelu", "normalize_before": False,
       "add_final_layer_norm": False, "scale_embedding": False, "normalize_embedding": True,
       "static_position_embeddings": False, "add_bias_logits": False, "dropout": 0.0,
       "attention_dropout": 0.0, "activation_dropout": 0.0, "tie_word_embeddings": True,
       "is_encoder_decoder": True, "init_std": 0.02, "torch_dtype": "float16"}


def plain(text):
    """'The red car is fast.' -> 'the red car is fast' (a user's typing); 'I ...' keeps its capital."""
    t = text.rstrip(".!")
    return t if t.startswith(("I ", "I'")) else t[:1].lower() + t[1:]


def encode_pair(tok, sp, en, es):
    src = [sp["bos"]] + tok.encode(en) + [sp["eos"]]
    tgt = tok.encode(es)
    return src, [sp["bos"]] + tgt, tgt + [sp["eos"]]


def training_examples(tok, sp, train_pairs):
    """Both spellings of every pair, encoded once; overlong pairs dropped."""
    out = []
    for en, es in train_pairs:
        full = encode_pair(tok, sp, en, es)
        short = encode_pair(tok, sp, plain(en), es.rstrip(".!"))
        if len(full[0]) <= MAX_TOKENS and len(full[1]) <= MAX_TOKENS:
            out.append((full, short))
    return out


def length_batches(rng, examples):
    """Batches of similar source length (less padding), in a seeded random order."""
    order = sorted(rng.permutation(len(examples)), key=lambda i: len(examples[i][0][0]))
    batches = [order[i:i + BATCH] for i in range(0, len(order), BATCH)]
    return [batches[i] for i in rng.permutation(len(batches))]


def collate(items, pad):
    S = max(len(s) for s, _, _ in items)
    T = max(len(d) for _, d, _ in items)
    src = torch.full((len(items), S), pad)
    msk = torch.zeros((len(items), S), dtype=torch.long)
    dec = torch.full((len(items), T), pad)
    lab = torch.full((len(items), T), -100)
    for b, (s, d, l) in enumerate(items):
        src[b, :len(s)] = torch.tensor(s)
        msk[b, :len(s)] = 1
        dec[b, :len(d)] = torch.tensor(d)
        lab[b, :len(l)] = torch.tensor(l)
    return src, msk, dec, lab


def train(model, examples, sp, V):
    opt = torch.optim.AdamW(model.parameters(), lr=LR, betas=(0.9, 0.98), weight_decay=0.01)
    sched = lambda s: min(1.0, (s + 1) / WARMUP) * 0.5 * (1 + math.cos(math.pi * s / STEPS))
    rng = np.random.default_rng(SEED)
    batches, t0, step = [], time.time(), 0
    while step < STEPS:
        if not batches:
            batches = length_batches(rng, examples)
        idx = batches.pop()
        items = [examples[i][1] if rng.random() < PLAIN_SHARE else examples[i][0] for i in idx]
        for g in opt.param_groups:
            g["lr"] = LR * sched(step)
        src, msk, dec, lab = collate(items, sp["pad"])
        logits, _, _, _ = model(src, msk, dec)
        loss = F.cross_entropy(logits.reshape(-1, V), lab.reshape(-1), ignore_index=-100,
                               label_smoothing=LABEL_SMOOTHING)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 100 == 0 or step == STEPS - 1:
            print(f"step {step} loss {loss.item():.3f} {time.time() - t0:.0f}s", flush=True)
        step += 1
    return time.time() - t0


def evaluate(model, tok, sp, test_pairs, lexicon, cfg):
    """chrF / exact match of greedy translations and the per-head alignment score."""
    L, H = cfg["decoder_layers"], cfg["decoder_attention_heads"]
    hyps, hits, n_links, per_pair = [], np.zeros((L, H)), 0, []
    for k in range(0, len(test_pairs), 50):
        chunk = test_pairs[k:k + 50]
        srcs = [encode_pair(tok, sp, en, es)[0] for en, es in chunk]
        hyps += [tok.decode(g) for g in ev.greedy(model, srcs, sp, cfg["max_position_embeddings"] - 1)]
    for en, es in test_pairs:
        links = ev.gold_links(en, es, lexicon)
        src_ids, src_spans = ev.encode_words(tok, en)
        tgt_ids, tgt_spans = ev.encode_words(tok, es)
        src = torch.tensor([[sp["bos"]] + src_ids + [sp["eos"]]])
        with torch.no_grad():
            _, _, _, cross = model(src, torch.ones_like(src), torch.tensor([[sp["bos"]] + tgt_ids]))
        h = ev.alignment_hits([c[0].numpy() for c in cross], links, src_spans, tgt_spans)
        hits += h
        n_links += len(links)
        per_pair.append({"links": links, "hits": h})
    refs = [es for _, es in test_pairs]
    return {"chrf": chrf.corpus_chrf(hyps, refs),
            "exact": float(np.mean([h.strip() == r.strip() for h, r in zip(hyps, refs)])),
            "alignment": (hits / max(1, n_links)).tolist(), "links": n_links}, hyps, per_pair


def main():
    common.fast_runtime()
    common.seed_all(SEED)
    tok, data = vocab.load()
    V = len(tok)
    sp = {"bos": tok.special("<s>"), "eos": tok.special("</s>"), "pad": tok.special("[PAD]")}
    cfg = dict(CFG, vocab_size=V, bos_token_id=sp["bos"], eos_token_id=sp["eos"],
               pad_token_id=sp["pad"], decoder_start_token_id=sp["bos"], forced_bos_token_id=None,
               forced_eos_token_id=None)
    # ATTNVIZ_EVAL_PAIRS=N: evaluate on the first N held-out pairs only (quick experiments).
    test_pairs = data["test_pairs"][:int(os.environ.get("ATTNVIZ_EVAL_PAIRS", len(data["test_pairs"])))]
    lexicon = pairs.lexicon(ev.norm(w) for en, _ in test_pairs for w in en.split())
    model = Bart(cfg)
    out = os.path.join(common.MODELS_DIR, NAME)
    if "--eval-only" in sys.argv:  # recompute metrics/card from shipped weights
        seconds_file = os.path.join(common.WORK, "translator_train_seconds.txt")
        if os.path.exists(seconds_file):
            common.load_weights_only(model, out)
            with open(seconds_file) as f:
                train_s = float(f.read())
        else:
            train_s = common.load_weights(model, out)
    else:
        examples = training_examples(tok, sp, data["train_pairs"])
        print(f"{len(examples)} training pairs, {STEPS} steps of {BATCH}", flush=True)
        train_s = train(model, examples, sp, V)
        # Kept apart from metrics.json so that --eval-only still knows it if evaluation fails.
        common.write_text(os.path.join(common.WORK, "translator_train_seconds.txt"), f"{train_s:.1f}\n")
    model.eval()

    os.makedirs(out, exist_ok=True)
    tensors = common.export_model(model, out)
    common.write_json(os.path.join(out, "config.json"), cfg)
    # "<s> English </s>", as trained: what attnviz-cli generate feeds the encoder.
    common.copy_tokenizer(out, {"single": ["<s>", "$A", "</s>"], "pair_tail": ["$B", "</s>"]}, vocab.TOKENIZER_FILE)
    scores, hyps, per_pair = evaluate(model, tok, sp, test_pairs, lexicon, cfg)
    import translator_files
    metrics = translator_files.metrics(cfg, tok, sp, model, dict(data, test_pairs=test_pairs), scores, hyps,
                                       per_pair, train_s)
    common.write_json(os.path.join(out, "metrics.json"), metrics)
    common.write_json(os.path.join(out, "reference.json"), translator_files.reference(cfg, tok, sp, model),
                      indent=None)
    import cards
    common.write_text(os.path.join(out, "MODEL_CARD.md"), cards.translator_card(cfg, metrics, tensors, tok))
    print(json.dumps({k: v for k, v in metrics.items() if not k.startswith(("heldout_sample", "encoder_",
                                                                           "decoder_"))}, indent=1))


if __name__ == "__main__":
    main()
