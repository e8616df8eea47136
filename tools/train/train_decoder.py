"""Train the built-in GPT-2-architecture decoder ("decoder")."""
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
from models import GPT2

NAME = "decoder"
SEED = 1234
CTX = 64
BATCH = 32
STEPS = int(os.environ.get("ATTNVIZ_STEPS", 4500))
LR = 2e-3
# Fraction of training windows that are synthetic repeats (teach induction).
P_RANDOM_REPEAT, P_TEXT_REPEAT = 0.25, 0.10
CFG = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "n_embd": 128, "n_layer": 4,
       "n_head": 4, "n_positions": CTX, "n_ctx": CTX, "n_inner": None,
       "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5, "tie_word_embeddings": True,
       "resid_pdrop": 0.0, "embd_pdrop": 0.0, "attn_pdrop": 0.0, "scale_attn_weights": True,
       "initializer_range": 0.02, "torch_dtype": "float16"}


def stream(docs, eot):
    """Documents joined as <|endoftext|> doc <|endoftext|> doc ...; returns the
    token array and the index of the <|endoftext|> preceding each document."""
    toks, starts = [], []
    for d in docs:
        starts.append(len(toks))
        toks.append(eot)
        for s in d:
            toks.extend(s)
    return np.array(toks, dtype=np.int64), np.array(starts)


def batch(rng, toks, starts, eot, n_ns):
    out = np.empty((BATCH, CTX + 1), dtype=np.int64)
    for b in range(BATCH):
        r = rng.random()
        if r < P_RANDOM_REPEAT:
            # <eot> R R R... with R uniform random ids: only induction predicts it.
            L = rng.integers(8, 32)
            R = rng.integers(0, n_ns, L)
            out[b] = np.concatenate([[eot], np.tile(R, CTX // L + 2)])[:CTX + 1]
        elif r < P_RANDOM_REPEAT + P_TEXT_REPEAT:
            L = rng.integers(8, 32)
            s = starts[rng.integers(len(starts) - 1)]
            chunk = toks[s + 1:s + 1 + L]
            out[b] = np.concatenate([[eot], np.tile(chunk, CTX // len(chunk) + 2)])[:CTX + 1]
        else:
            s = starts[rng.integers(len(starts))]  # always begins with <eot> = BOS
            w = toks[s:s + CTX + 1]
            if len(w) < CTX + 1:
                w = np.concatenate([w, toks[:CTX + 1 - len(w)]])
            out[b] = w
    t = torch.from_numpy(out)
    return t[:, :-1], t[:, 1:]


def evaluate(model, toks, starts, n_windows=400):
    """Mean next-token cross-entropy (nats) on held-out natural-text windows."""
    rng = np.random.default_rng(7)
    tot, n = 0.0, 0
    with torch.no_grad():
        for i in range(0, n_windows, 50):
            ws = []
            for s in rng.choice(len(starts), 50, replace=False):
                w = toks[starts[s]:starts[s] + CTX + 1]
                if len(w) == CTX + 1:
                    ws.append(w)
            x = torch.from_numpy(np.stack(ws))
            lg, _ = model(x[:, :-1])
            tot += F.cross_entropy(lg.reshape(-1, lg.shape[-1]), x[:, 1:].reshape(-1), reduction="sum").item()
            n += x[:, 1:].numel()
            # windows chosen identically for every model state (fixed rng)
    return tot / n


def unigram_baseline(train_toks, val_toks, starts, V):
    counts = np.bincount(train_toks, minlength=V).astype(np.float64) + 1.0
    p = counts / counts.sum()
    rng = np.random.default_rng(7)
    ce, n = 0.0, 0
    for _ in range(0, 400, 50):
        for s in rng.choice(len(starts), 50, replace=False):
            w = val_toks[starts[s]:starts[s] + CTX + 1]
            if len(w) == CTX + 1:
                ce += -np.log(p[w[1:]]).sum()
                n += CTX
    return ce / n


def attn_np(model, ids):
    with torch.no_grad():
        logits, atts = model(torch.tensor([ids]))
    return logits[0].numpy(), [a[0].numpy() for a in atts]


def main():
    common.fast_runtime()
    common.seed_all(SEED)
    tok, data = prepare.load()
    eot, V, n_ns = tok.special("<|endoftext|>"), len(tok), tok.first_special
    cfg = dict(CFG, vocab_size=V, bos_token_id=eot, eos_token_id=eot)
    toks, starts = stream(data["train"], eot)
    vtoks, vstarts = stream(data["val"], eot)
    model = GPT2(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, betas=(0.9, 0.98), weight_decay=0.01)
    sched = lambda s: min(1.0, (s + 1) / 200) * 0.5 * (1 + math.cos(math.pi * s / STEPS))
    rng = np.random.default_rng(SEED)
    t0 = time.time()
    out = os.path.join(common.MODELS_DIR, NAME)
    eval_only = "--eval-only" in sys.argv  # recompute metrics/card from shipped weights
    for step in range(0 if eval_only else STEPS):
        for g in opt.param_groups:
            g["lr"] = LR * sched(step)
        x, y = batch(rng, toks, starts, eot, n_ns)
        logits, _ = model(x)
        loss = F.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 200 == 0 or step == STEPS - 1:
            print(f"step {step} loss {loss.item():.3f} {time.time() - t0:.0f}s", flush=True)
    train_s = common.load_weights(model, out) if eval_only else time.time() - t0
    model.eval()

    os.makedirs(out, exist_ok=True)
    tensors = common.export_model(model, out)  # from here on: f16-rounded weights
    common.write_json(os.path.join(out, "config.json"), cfg)
    common.copy_tokenizer(out, {"single": ["<|endoftext|>", "$A"], "pair_tail": ["$B"]})

    val_loss = evaluate(model, vtoks, vstarts)
    uni = unigram_baseline(toks, vtoks, vstarts, V)
    sent = [eot] + tok.encode(common.DEFAULT_SENTENCE)
    ind = [eot] + common.induction_ids(V) * 2
    logits, att_s = attn_np(model, sent)
    _, att_i = attn_np(model, ind)
    layers = common.head_stats(att_s, sent, att_i)
    bp, bi = common.best(layers, "previous_token"), common.best(layers, "induction")
    metrics = {"model": NAME, "train_seconds": round(train_s, 1), "steps": STEPS,
               "tokens_seen": STEPS * BATCH * CTX, "val_loss_nats": val_loss,
               "unigram_baseline_loss_nats": uni, "val_perplexity": math.exp(val_loss),
               "best_previous_token": {"score": bp[0], "layer": bp[1], "head": bp[2]},
               "best_induction": {"score": bi[0], "layer": bi[1], "head": bi[2]},
               "sentence": common.DEFAULT_SENTENCE, "sentence_ids": sent,
               "induction_ids": ind, "induction_R_rule":
                   common.INDUCTION_RULE + f"; sequence = [{eot}] + R + R",
               "pronoun_it_to_animal": common.pronoun_attention(att_s, sent, tok),
               "layers": layers}
    common.write_json(os.path.join(out, "metrics.json"), metrics)
    top = np.argsort(-logits[-1])[:5]
    L = cfg["n_layer"] - 1
    ref = {"input_ids": sent, "note": "GPT-2 forward with the stored f16 weights upcast to f32",
           "attention": {"layer0_head0": common.rounded(att_s[0][0]),
                         f"layer{L}_head{cfg['n_head'] - 1}": common.rounded(att_s[L][-1])},
           "last_position_top5": {"ids": top.tolist(), "logits": common.rounded(logits[-1][top]),
                                  "tokens": [tok.id_to_token[int(i)] for i in top]}}
    common.write_json(os.path.join(out, "reference.json"), ref, indent=None)
    import cards
    common.write_text(os.path.join(out, "MODEL_CARD.md"), cards.decoder_card(cfg, metrics, tensors, tok))
    print(json.dumps({k: v for k, v in metrics.items() if k != "layers"}, indent=1))
    print(common.stats_table(layers))


if __name__ == "__main__":
    main()
