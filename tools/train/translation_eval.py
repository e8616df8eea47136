"""Held-out evaluation of the translator: greedy decoding, chrF, exact match, alignment.

Alignment score (written in the card): Apertium's own word order gives the gold links.  Each
English word is translated on its own by Apertium (pairs.lexicon); a target word of Apertium's
sentence translation is linked to a source word when it is that word's lone translation (or
the same stem: rojo / roja / rojos), and the link is unique on both sides.  For a linked target
word, the decoder query that predicts its first token (teacher-forced on Apertium's sentence)
hits when the argmax of a head's cross-attention row falls on one of the source word's tokens.
The score of a head is hits / links over the held-out pairs.
"""
import re

import numpy as np
import torch

_PUNCT = re.compile(r"^[^\w]+|[^\w]+$")


def norm(word):
    return _PUNCT.sub("", word.lower())


def encode_words(tok, text):
    """Token ids of `text` and, per whitespace word, its token span [begin, end).

    For single-spaced text this is exactly tok.encode(text): GPT-2's pre-tokenizer never
    joins across a space, so " word" pieces can be encoded one by one."""
    ids, spans = [], []
    for k, w in enumerate(text.split()):
        piece = tok.encode(w if k == 0 else " " + w)
        spans.append((len(ids), len(ids) + len(piece)))
        ids.extend(piece)
    return ids, spans


def _translates(target_word, lexicon_entry):
    t, lex = norm(target_word), norm(lexicon_entry)
    if not t or not lex or " " in lex:
        return False
    return t == lex or (len(lex) >= 4 and len(t) >= 4 and t[:-1] == lex[:-1]) or \
        (len(lex) >= 4 and t.startswith(lex[:-1]) and len(t) - len(lex) <= 2)


def gold_links(english, spanish, lexicon):
    """[(target word index, source word index)] linked one-to-one by the word lexicon."""
    src, tgt = english.split(), spanish.split()
    cands = [(j, i) for j, tw in enumerate(tgt) for i, sw in enumerate(src)
             if norm(sw) in lexicon and _translates(tw, lexicon[norm(sw)])]
    by_t, by_s = {}, {}
    for j, i in cands:
        by_t.setdefault(j, []).append(i)
        by_s.setdefault(i, []).append(j)
    return [(j, i) for j, i in cands if len(by_t[j]) == 1 and len(by_s[i]) == 1]


def greedy(model, sources, sp, max_len):
    """Batched greedy decoding; each output stops before its first </s>.  As in the app, at most
    twice the source length plus 10 tokens (an untrained model would run to max_len)."""
    pad = sp["pad"]
    S = max(len(s) for s in sources)
    max_len = min(max_len, 2 * S + 10)
    src = torch.full((len(sources), S), pad)
    msk = torch.zeros((len(sources), S), dtype=torch.long)
    for b, s in enumerate(sources):
        src[b, :len(s)] = torch.tensor(s)
        msk[b, :len(s)] = 1
    with torch.no_grad():
        enc, _ = model.encode(src, msk)
        out = torch.full((len(sources), 1), sp["bos"])
        done = torch.zeros(len(sources), dtype=torch.bool)
        for _ in range(max_len):
            lg, _, _ = model.decode(out, enc, msk, last_only=True)
            nxt = lg[:, -1].argmax(-1)
            out = torch.cat([out, nxt[:, None]], 1)
            done |= nxt == sp["eos"]
            if bool(done.all()):
                break
    result = []
    for row in out[:, 1:].tolist():
        result.append(row[:row.index(sp["eos"])] if sp["eos"] in row else row)
    return result


def alignment_hits(cross, links, src_spans, tgt_spans, src_offset=1):
    """hits (L, H) of one example; cross: list over layers of (H, T, S) arrays (decoder input
    [<s>] + target, so the query predicting target token t is position t)."""
    L, H = len(cross), cross[0].shape[0]
    hits = np.zeros((L, H))
    for j, i in links:
        query = tgt_spans[j][0]
        lo, hi = src_spans[i][0] + src_offset, src_spans[i][1] + src_offset  # + <s>
        for li in range(L):
            best = cross[li][:, query].argmax(-1)
            hits[li] += (best >= lo) & (best < hi)
    return hits
