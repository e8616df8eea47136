"""Train the built-in BERT-architecture masked-LM encoder ("encoder")."""
import json
import math
import os
import shutil
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

import common
import prepare
from models import BertMLM

NAME = "encoder"
SEED = 4321
MAXLEN = 64
BATCH = 32
STEPS = int(os.environ.get("ATTNVIZ_STEPS", 6000))
LR = 1.5e-3
P_MASK = 0.15
CFG = {"model_type": "bert", "architectures": ["BertForMaskedLM"], "hidden_size": 128,
       "num_hidden_layers": 4, "num_attention_heads": 4, "intermediate_size": 512,
       "max_position_embeddings": MAXLEN, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
       "hidden_act": "gelu", "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0,
       "position_embedding_type": "absolute", "initializer_range": 0.02,
       "tie_word_embeddings": True, "torch_dtype": "float16"}


def make_example(rng, doc, sp):
    """[CLS] A [SEP] (B [SEP]); A, B consecutive sentences of one document when
    it has two or more, else one segment only.  Truncated to MAXLEN."""
    if len(doc) >= 2 and rng.random() < 0.7:
        i = rng.integers(len(doc) - 1)
        a, b = doc[i], doc[i + 1]
        budget = MAXLEN - 3
        a = a[:max(budget // 2, budget - len(b))]
        b = b[:budget - len(a)]
        ids = [sp["cls"]] + a + [sp["sep"]] + b + [sp["sep"]]
        tt = [0] * (len(a) + 2) + [1] * (len(b) + 1)
    else:
        a = [t for s in doc for t in s][:MAXLEN - 2]
        ids = [sp["cls"]] + a + [sp["sep"]]
        tt = [0] * len(ids)
    return ids, tt


def mask_example(rng, ids, sp, n_ns, train=True):
    """BERT masking: 15% of non-special tokens; train: 80% [MASK] / 10% random /
    10% kept; eval: always [MASK].  labels = -100 where not predicted."""
    ids = list(ids)
    labels = [-100] * len(ids)
    cand = [i for i, t in enumerate(ids) if t < n_ns]
    k = max(1, int(round(P_MASK * len(cand))))
    for i in rng.choice(cand, k, replace=False):
        labels[i] = ids[i]
        r = rng.random() if train else 0.0
        ids[i] = sp["mask"] if r < 0.8 else (int(rng.integers(n_ns)) if r < 0.9 else ids[i])
    return ids, labels


def collate(exs, pad):
    T = max(len(e[0]) for e in exs)
    ids = torch.full((len(exs), T), pad)
    tt = torch.zeros((len(exs), T), dtype=torch.long)
    lab = torch.full((len(exs), T), -100)
    am = torch.zeros((len(exs), T), dtype=torch.long)
    for b, (i, t, l) in enumerate(exs):
        ids[b, :len(i)] = torch.tensor(i)
        tt[b, :len(t)] = torch.tensor(t)
        lab[b, :len(l)] = torch.tensor(l)
        am[b, :len(i)] = 1
    return ids, tt, am, lab


def eval_set(docs, sp, n_ns, n=2000):
    rng = np.random.default_rng(99)
    out = []
    for d in rng.choice(len(docs), n, replace=False):
        ids, tt = make_example(rng, docs[d], sp)
        if sum(t < n_ns for t in ids) == 0:
            continue
        m, lab = mask_example(rng, ids, sp, n_ns, train=False)
        out.append((m, tt, lab))
    return out


def masked_accuracy(model, exs, pad):
    correct, total = 0, 0
    with torch.no_grad():
        for i in range(0, len(exs), 100):
            ids, tt, am, lab = collate(exs[i:i + 100], pad)
            lg, _ = model(ids, tt, am)
            sel = lab != -100
            correct += (lg.argmax(-1)[sel] == lab[sel]).sum().item()
            total += sel.sum().item()
    return correct / total, total


def main():
    common.fast_runtime()
    common.seed_all(SEED)
    tok, data = prepare.load()
    V, n_ns = len(tok), tok.first_special
    sp = {"cls": tok.special("[CLS]"), "sep": tok.special("[SEP]"), "mask": tok.special("[MASK]"),
          "pad": tok.special("[PAD]")}
    cfg = dict(CFG, vocab_size=V, pad_token_id=sp["pad"])
    docs = [d for d in data["train"] if sum(map(len, d)) > 0]
    model = BertMLM(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, betas=(0.9, 0.98), weight_decay=0.01)
    sched = lambda s: min(1.0, (s + 1) / 300) * 0.5 * (1 + math.cos(math.pi * s / STEPS))
    rng = np.random.default_rng(SEED)
    t0 = time.time()
    out = os.path.join(common.MODELS_DIR, NAME)
    eval_only = "--eval-only" in sys.argv  # recompute metrics/card from shipped weights
    for step in range(0 if eval_only else STEPS):
        for g in opt.param_groups:
            g["lr"] = LR * sched(step)
        exs = []
        while len(exs) < BATCH:
            ids, tt = make_example(rng, docs[rng.integers(len(docs))], sp)
            if any(t < n_ns for t in ids):
                m, lab = mask_example(rng, ids, sp, n_ns)
                exs.append((m, tt, lab))
        ids, tt, am, lab = collate(exs, sp["pad"])
        logits, _ = model(ids, tt, am)
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
    common.copy_tokenizer(out, {"single": ["[CLS]", "$A", "[SEP]"], "pair_tail": ["$B", "[SEP]"]})

    vexs = eval_set(data["val"], sp, n_ns)
    acc, n_masked = masked_accuracy(model, vexs, sp["pad"])
    counts = np.bincount([t for d in docs for s in d for t in s], minlength=V)
    mft = int(counts.argmax())
    base = sum(l == mft for e in vexs for l in e[2]) / n_masked

    sent = [sp["cls"]] + tok.encode(common.DEFAULT_SENTENCE) + [sp["sep"]]
    ind = [sp["cls"]] + common.induction_ids(V) * 2
    with torch.no_grad():
        _, att_s = model(torch.tensor([sent]))
        _, att_i = model(torch.tensor([ind]))
    att_s = [a[0].numpy() for a in att_s]
    layers = common.head_stats(att_s, sent, [a[0].numpy() for a in att_i])
    # Reference input: the default sentence with " street" masked.
    masked = list(sent)
    mpos = sent.index(tok.encode(" street")[0]) if len(tok.encode(" street")) == 1 else 7
    masked[mpos] = sp["mask"]
    with torch.no_grad():
        lg, att_r = model(torch.tensor([masked]))
    lg = lg[0, mpos].numpy()
    top = np.argsort(-lg)[:5]
    bp, bf = common.best(layers, "previous_token"), common.best(layers, "first_token")
    metrics = {"model": NAME, "train_seconds": round(train_s, 1), "steps": STEPS,
               "examples_seen": STEPS * BATCH, "masked_accuracy": acc,
               "unigram_baseline_accuracy": base, "baseline_token": {"id": mft, "token": tok.id_to_token[mft]},
               "masked_tokens_evaluated": n_masked,
               "best_previous_token": {"score": bp[0], "layer": bp[1], "head": bp[2]},
               "best_first_token": {"score": bf[0], "layer": bf[1], "head": bf[2]},
               "sentence": common.DEFAULT_SENTENCE, "sentence_ids": sent, "induction_ids": ind,
               "induction_R_rule": common.INDUCTION_RULE + f"; sequence = [{sp['cls']}] + R + R (no [SEP])",
               "pronoun_it_to_animal": common.pronoun_attention(att_s, sent, tok),
               "layers": layers}
    common.write_json(os.path.join(out, "metrics.json"), metrics)
    L = cfg["num_hidden_layers"] - 1
    ref = {"input_ids": masked, "token_type_ids": [0] * len(masked), "attention_mask": [1] * len(masked),
           "mask_position": mpos, "note": "BERT forward with the stored f16 weights upcast to f32",
           "attention": {"layer0_head0": common.rounded(att_r[0][0, 0].numpy()),
                         f"layer{L}_head{cfg['num_attention_heads'] - 1}": common.rounded(att_r[L][0, -1].numpy())},
           "mask_position_top5": {"ids": top.tolist(), "logits": common.rounded(lg[top]),
                                  "tokens": [tok.id_to_token[int(i)] for i in top]}}
    common.write_json(os.path.join(out, "reference.json"), ref, indent=None)
    import cards
    common.write_text(os.path.join(out, "MODEL_CARD.md"), cards.encoder_card(cfg, metrics, tensors, tok))
    print(json.dumps({k: v for k, v in metrics.items() if k != "layers"}, indent=1))
    print(common.stats_table(layers))


if __name__ == "__main__":
    main()
